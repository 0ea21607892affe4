package io.calsync.platform.outbox;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a message to the transactional outbox, in the caller's transaction: the message is published if and only if
 * that transaction commits. There must be one ({@link Propagation#MANDATORY}); a write outside a transaction would
 * publish a message about a change that may never happen.
 *
 * <p><b>Kept until published.</b> The row stays in the table until the relay has Kafka's acknowledgement for it:
 * the relay reads the insert from the WAL, publishes it, and deletes the row in the same transaction that records
 * its id in the {@link PublishedLedger}. So the table always holds exactly what is committed and not yet confirmed,
 * and when the WAL position is lost (a dropped or recreated replication slot, a failover: PostgreSQL 15 slots do not
 * follow a promoted standby) the {@link OutboxReconciler} republishes from the table what the relay never confirmed.
 * The table stays small: a row lives as long as the relay's lag, about 15 ms, unless Kafka or the relay is down.
 *
 * <p><b>Trace.</b> The row carries the writer's current trace as a W3C {@code traceparent}
 * ({@link io.calsync.platform.tracing.TraceParent}); the relay publishes it as the record's header, so that the
 * consumer's log lines carry the trace id of the request that wrote the message.
 */
public class OutboxWriter {

    private final JdbcTemplate jdbc;
    private final String origin;
    private final Supplier<String> traceparent;

    /** A writer that stores no trace context (tools and benchmarks without tracing). */
    public OutboxWriter(JdbcTemplate jdbc, String origin) {
        this(jdbc, origin, () -> null);
    }

    /**
     * @param origin the writing service ({@code spring.application.name}): each service's relay publishes only the
     *     rows of its own service, since all of them read the one outbox table
     * @param traceparent the current trace's W3C traceparent, or null outside a trace
     */
    public OutboxWriter(JdbcTemplate jdbc, String origin, Supplier<String> traceparent) {
        this.jdbc = jdbc;
        this.origin = origin;
        this.traceparent = traceparent;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void write(CalendarMessage message) {
        // Logical decoding ships only WAL that is flushed. Under synchronous_commit=off (a server or session may set
        // it) a commit is flushed only by the WAL writer, up to wal_writer_delay (200 ms) later, and the relay waits
        // as long; a synchronous commit of the transactions that carry messages keeps the relay at its ~15 ms.
        jdbc.execute("SET LOCAL synchronous_commit = on");
        jdbc.update(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, origin, traceparent, created_at)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, now())",
                message.eventId(),
                message.topic(),
                message.key(),
                message.type(),
                MessageCodec.encode(message),
                origin,
                traceparent.get());
    }
}
