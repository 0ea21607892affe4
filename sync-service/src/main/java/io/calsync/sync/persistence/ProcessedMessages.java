package io.calsync.sync.persistence;

import io.calsync.model.persistence.ProcessedMessageRepository;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sync consumer's de-duplication record ({@code processed_messages}): which of a batch's message ids were applied
 * before, and the mark a unit of work writes inside its own transaction (so that the mark commits or rolls back with
 * the work). The Kafka edge asks here instead of reaching into the tables itself.
 */
@Component
public class ProcessedMessages {

    private final ProcessedMessageRepository processed;
    private final JdbcTemplate jdbc;

    ProcessedMessages(ProcessedMessageRepository processed, JdbcTemplate jdbc) {
        this.processed = processed;
        this.jdbc = jdbc;
    }

    /** The ids among {@code ids} that {@code consumer} applied before, in one query. */
    public Set<UUID> alreadyProcessed(String consumer, Collection<UUID> ids) {
        return new HashSet<>(jdbc.queryForList(
                "SELECT message_id FROM processed_messages WHERE consumer = ? AND message_id = ANY(?::uuid[])",
                UUID.class,
                consumer,
                ids.toArray(UUID[]::new)));
    }

    /** Inside the work's transaction: 1 when the message is new, 0 when it was applied before. */
    public int mark(String consumer, UUID id) {
        return processed.markProcessed(consumer, id);
    }
}
