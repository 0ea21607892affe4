package io.calsync.model.persistence;

import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The de-duplication record of idempotent consumers. A consumer calls {@link #markProcessed} first, inside the
 * transaction of its work: 1 means the message is new, 0 that it was applied before and must be skipped. Because the
 * mark commits or rolls back with the work, a crash between the two can never lose or double-apply a message.
 */
public interface ProcessedMessageRepository extends Repository<ProcessedMessage, ProcessedMessage.Key> {

    @Modifying
    @Transactional(propagation = Propagation.MANDATORY)
    @Query(
            value =
                    "INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES (:consumer, :messageId, now())"
                            + " ON CONFLICT DO NOTHING",
            nativeQuery = true)
    int markProcessed(@Param("consumer") String consumer, @Param("messageId") UUID messageId);

    boolean existsByConsumerAndMessageId(String consumer, UUID messageId);

    @Modifying
    @Transactional
    @Query(
            value = "DELETE FROM processed_messages WHERE processed_at < now() - make_interval(days => :days)",
            nativeQuery = true)
    int deleteOlderThanDays(@Param("days") int days);
}
