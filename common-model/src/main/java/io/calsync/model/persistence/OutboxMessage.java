package io.calsync.model.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A message waiting to be published, written in the same transaction as the state change it announces. The column
 * names are Debezium's outbox names: {@code aggregatetype} is the topic, {@code aggregateid} the Kafka key (the
 * connection id), {@code type} the logical message type and {@code id} the message's event id.
 */
@Entity
@Table(name = "outbox")
public class OutboxMessage {

    @Id
    private UUID id;

    @Column(name = "aggregatetype", nullable = false)
    private String topic;

    @Column(name = "aggregateid", nullable = false)
    private String messageKey;

    @Column(name = "type", nullable = false)
    private String type;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", columnDefinition = "jsonb", nullable = false)
    private String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected OutboxMessage() {}

    public OutboxMessage(UUID id, String topic, String messageKey, String type, String payload) {
        this.id = id;
        this.topic = topic;
        this.messageKey = messageKey;
        this.type = type;
        this.payload = payload;
        this.createdAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public String getTopic() {
        return topic;
    }

    public String getMessageKey() {
        return messageKey;
    }

    public String getType() {
        return type;
    }

    public String getPayload() {
        return payload;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
