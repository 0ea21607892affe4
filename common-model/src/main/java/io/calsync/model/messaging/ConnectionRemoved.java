package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.calsync.model.domain.CalendarProvider;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A calendar was disconnected. Carries what the sync engine needs to stop the provider's push subscriptions after
 * the connection's rows are gone: the subscription ids ({@code resourceIds} in the same order for Google channels)
 * and the account whose token may stop them.
 */
public record ConnectionRemoved(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        UUID userId,
        CalendarProvider provider,
        String accountEmail,
        List<String> subscriptionIds,
        List<String> resourceIds)
        implements CalendarMessage {

    public static final String TYPE = "connection.removed";

    public ConnectionRemoved {
        subscriptionIds = subscriptionIds == null ? List.of() : List.copyOf(subscriptionIds);
        resourceIds = resourceIds == null ? List.of() : List.copyOf(resourceIds);
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
