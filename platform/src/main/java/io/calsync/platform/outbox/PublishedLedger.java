package io.calsync.platform.outbox;

import io.calsync.model.persistence.ProcessedMessageRepository;
import java.sql.Array;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ids this relay has published, kept in {@code processed_messages} under the relay's consumer name. Debezium
 * re-delivers the last event or two after a restart (its flushed offset trails the last acknowledged send); the relay
 * skips what is recorded here, so a restart does not publish them twice.
 *
 * <p>{@link #record} also deletes the published rows from {@code outbox}, in the same transaction: a row still in the
 * table is a message not yet confirmed, which is what {@link OutboxReconciler} republishes after a lost slot.
 *
 * <p>The window left: a crash after Kafka acknowledged a record and before {@link #record} committed publishes that
 * record once more after the restart. Consumers de-duplicate on the event id anyway, so this is a duplicate, never a
 * loss; closing it would need Kafka transactions spanning the database, which is not on offer.
 */
public class PublishedLedger {

    private final String consumer;
    private final ProcessedMessageRepository processed;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PublishedLedger(
            String consumer, ProcessedMessageRepository processed, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.consumer = consumer;
        this.processed = processed;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Which of these ids were published before: one query for the whole batch. */
    public Set<UUID> alreadyPublished(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<UUID> found = jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT message_id FROM processed_messages WHERE consumer = ? AND message_id = ANY (?)");
                    Array array = con.createArrayOf("uuid", ids.toArray());
                    ps.setString(1, consumer);
                    ps.setArray(2, array);
                    return ps;
                },
                (rs, i) -> rs.getObject(1, UUID.class));
        return new HashSet<>(found);
    }

    /** Records acknowledged ids and deletes their outbox rows, all in one transaction of the relay's own. */
    public void record(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            ids.forEach(id -> processed.markProcessed(consumer, id));
            jdbc.update(con -> {
                var ps = con.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)");
                ps.setArray(1, con.createArrayOf("uuid", ids.toArray()));
                return ps;
            });
        });
    }
}
