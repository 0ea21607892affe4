package io.calsync.model.persistence;

import io.calsync.model.domain.CalendarProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A push subscription of one connection: a Google watch channel ({@code subscriptionId} = channel id,
 * {@code resourceId}) or a Graph subscription. {@code clientState} is the secret the provider echoes back.
 */
@Entity
@Table(name = "webhook_subscriptions")
public class WebhookSubscription {

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "connection_id", nullable = false)
    private UUID connectionId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.NAMED_ENUM)
    @Column(name = "provider", columnDefinition = "calendar_provider", nullable = false)
    private CalendarProvider provider;

    @Column(name = "subscription_id", nullable = false, length = 512)
    private String subscriptionId;

    @Column(name = "resource_id", length = 1024)
    private String resourceId;

    @Column(name = "resource")
    private String resource;

    @Column(name = "client_state")
    private String clientState;

    @Column(name = "notification_url")
    private String notificationUrl;

    @Column(name = "status", nullable = false, length = 16)
    private String status;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "last_message_number")
    private Long lastMessageNumber;

    @Column(name = "last_notification_at")
    private Instant lastNotificationAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected WebhookSubscription() {}

    public WebhookSubscription(UUID connectionId, CalendarProvider provider, String subscriptionId, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.connectionId = connectionId;
        this.provider = provider;
        this.subscriptionId = subscriptionId;
        this.expiresAt = expiresAt;
        this.status = "ACTIVE";
    }

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public UUID getConnectionId() {
        return connectionId;
    }

    public void setConnectionId(UUID connectionId) {
        this.connectionId = connectionId;
    }

    public CalendarProvider getProvider() {
        return provider;
    }

    public void setProvider(CalendarProvider provider) {
        this.provider = provider;
    }

    public String getSubscriptionId() {
        return subscriptionId;
    }

    public void setSubscriptionId(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    public String getResourceId() {
        return resourceId;
    }

    public void setResourceId(String resourceId) {
        this.resourceId = resourceId;
    }

    public String getResource() {
        return resource;
    }

    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getClientState() {
        return clientState;
    }

    public void setClientState(String clientState) {
        this.clientState = clientState;
    }

    public String getNotificationUrl() {
        return notificationUrl;
    }

    public void setNotificationUrl(String notificationUrl) {
        this.notificationUrl = notificationUrl;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Long getLastMessageNumber() {
        return lastMessageNumber;
    }

    public void setLastMessageNumber(Long lastMessageNumber) {
        this.lastMessageNumber = lastMessageNumber;
    }

    public Instant getLastNotificationAt() {
        return lastNotificationAt;
    }

    public void setLastNotificationAt(Instant lastNotificationAt) {
        this.lastNotificationAt = lastNotificationAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
