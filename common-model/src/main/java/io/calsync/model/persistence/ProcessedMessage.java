package io.calsync.model.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A message id a consumer has applied; see {@link ProcessedMessageRepository}. */
@Entity
@Table(name = "processed_messages")
@IdClass(ProcessedMessage.Key.class)
public class ProcessedMessage {

    @Id
    @Column(name = "consumer", nullable = false, length = 128)
    private String consumer;

    @Id
    @Column(name = "message_id", nullable = false)
    private UUID messageId;

    @Column(name = "processed_at", nullable = false)
    private Instant processedAt;

    protected ProcessedMessage() {}

    public String getConsumer() {
        return consumer;
    }

    public UUID getMessageId() {
        return messageId;
    }

    public Instant getProcessedAt() {
        return processedAt;
    }

    /** The composite key (consumer, message id). */
    public record Key(String consumer, UUID messageId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
