package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.calsync.model.domain.CalendarProvider;
import java.time.Instant;
import java.util.UUID;

/**
 * A verified push notification. {@code subscriptionId} is the Graph subscription id or the Google channel id;
 * {@code state} is Google's resource state ({@code exists}, {@code not_exists}) or Graph's change type
 * ({@code created}, {@code updated}, {@code deleted}); {@code lifecycleEvent} is set for Graph lifecycle
 * notifications ({@code reauthorizationRequired}, {@code subscriptionRemoved}, {@code missed}).
 */
public record ProviderNotificationReceived(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        CalendarProvider provider,
        String subscriptionId,
        String state,
        String resource,
        Long messageNumber,
        String lifecycleEvent)
        implements CalendarMessage {

    public static final String TYPE = "provider.notification";

    @Override
    @JsonIgnore
    public String type() {
        return TYPE;
    }

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.PROVIDER_NOTIFICATIONS;
    }
}
