package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.calsync.model.domain.CalendarProvider;
import java.time.Instant;
import java.util.UUID;

/** A calendar was connected: the sync engine runs its initial sync and then opens its push subscription. */
public record ConnectionCreated(
        UUID eventId, int schemaVersion, Instant occurredAt, UUID connectionId, UUID userId, CalendarProvider provider)
        implements CalendarMessage {

    public static final String TYPE = "connection.created";

    public static ConnectionCreated of(UUID connectionId, UUID userId, CalendarProvider provider) {
        return new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connectionId, userId, provider);
    }

    @Override
    @JsonIgnore
    public String type() {
        return TYPE;
    }

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.SYNC_REQUESTS;
    }
}
