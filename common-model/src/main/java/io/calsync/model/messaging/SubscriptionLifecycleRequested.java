package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/** Work on a connection's push subscription, asked for by the clock (renewals) or by lifecycle notifications. */
public record SubscriptionLifecycleRequested(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        Action action,
        String subscriptionId,
        String reason)
        implements CalendarMessage {

    public static final String TYPE = "subscription.lifecycle";

    public enum Action {
        CREATE,
        RENEW,
        STOP,
        RECREATE,
        REAUTHORIZE
    }

    public static SubscriptionLifecycleRequested of(
            UUID connectionId, Action action, String subscriptionId, String reason) {
        return new SubscriptionLifecycleRequested(
                UUID.randomUUID(), 1, Instant.now(), connectionId, action, subscriptionId, reason);
    }

    @Override
    @JsonIgnore
    public String type() {
        return TYPE;
    }

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.SUBSCRIPTION_LIFECYCLE;
    }
}
