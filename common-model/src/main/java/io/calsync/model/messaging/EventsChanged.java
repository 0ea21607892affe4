package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one sync or write-back changed in a connection. {@code eventIds} lists the changed rows, at most
 * {@link #MAX_IDS} of them; {@code truncated} says there were more (a consumer then re-reads the connection).
 */
public record EventsChanged(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        UUID userId,
        String cause,
        int upserted,
        int deleted,
        List<UUID> eventIds,
        boolean truncated)
        implements CalendarMessage {

    public static final String TYPE = "events.changed";
    public static final int MAX_IDS = 500;

    public EventsChanged {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }

    @Override
    @JsonIgnore
    public String type() {
        return TYPE;
    }

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.EVENTS_CHANGED;
    }
}
