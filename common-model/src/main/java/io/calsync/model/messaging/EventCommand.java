package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * A local change of an event, to be written to the provider. The row ({@code localEventId}) holds the wanted state;
 * the command only says which row and what to do, so a retried command always writes the latest local state.
 */
public record EventCommand(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        UUID userId,
        UUID localEventId,
        Action action,
        String requestId)
        implements CalendarMessage {

    public static final String TYPE = "event.command";

    public enum Action {
        CREATE,
        UPDATE,
        DELETE
    }

    public static EventCommand of(UUID connectionId, UUID userId, UUID localEventId, Action action, String requestId) {
        return new EventCommand(
                UUID.randomUUID(), 1, Instant.now(), connectionId, userId, localEventId, action, requestId);
    }

    @Override
    @JsonIgnore
    public String type() {
        return TYPE;
    }

    @Override
    @JsonIgnore
    public String topic() {
        return Topics.EVENT_COMMANDS;
    }
}
