package io.calsync.platform.outbox;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a message to the transactional outbox, in the caller's transaction: the message is published if and only if
 * that transaction commits. There must be one ({@link Propagation#MANDATORY}); a write outside a transaction would
 * publish a message about a change that may never happen.
 *
 * <p><b>Delete after insert.</b> The row is inserted and deleted again in the same transaction. The relay reads the
 * insert from the WAL (the delete is ignored), so the message is published exactly as if the row had stayed, while
 * the table never grows and needs no clean-up job, vacuum has only dead tuples of committed transactions to remove,
 * and no replica ever polls it. What is given up: the table cannot be read to see what is waiting, so a relay that is
 * down shows as lag on {@code calsync.outbox.relay.lag} and as WAL held by its replication slot, not as rows.
 */
public class OutboxWriter {

    private final JdbcTemplate jdbc;
    private final String origin;

    /**
     * @param origin the writing service ({@code spring.application.name}): each service's relay publishes only the
     *     rows of its own service, since all of them read the one outbox table
     */
    public OutboxWriter(JdbcTemplate jdbc, String origin) {
        this.jdbc = jdbc;
        this.origin = origin;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void write(CalendarMessage message) {
        // Logical decoding ships only WAL that is flushed. Under synchronous_commit=off (a server or session may set
        // it) a commit is flushed only by the WAL writer, up to wal_writer_delay (200 ms) later, and the relay waits
        // as long; a synchronous commit of the transactions that carry messages keeps the relay at its ~15 ms.
        jdbc.execute("SET LOCAL synchronous_commit = on");
        jdbc.update(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, origin, created_at)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?, now())",
                message.eventId(),
                message.topic(),
                message.key(),
                message.type(),
                MessageCodec.encode(message),
                origin);
        jdbc.update("DELETE FROM outbox WHERE id = ?", message.eventId());
    }
}
