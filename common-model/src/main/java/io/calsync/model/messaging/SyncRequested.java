package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * A sync of one connection is wanted. {@code fullResync} asks to drop the incremental state (sync token, delta link,
 * ICS validators) and list the whole window again.
 */
public record SyncRequested(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID connectionId,
        UUID userId,
        Reason reason,
        String requestId,
        boolean fullResync)
        implements CalendarMessage {

    public static final String TYPE = "sync.requested";

    /** Why the sync was asked for; shown in metrics and audit rows. */
    public enum Reason {
        MANUAL,
        SCHEDULED,
        INITIAL,
        BACKSTOP,
        RETRY
    }

    public static SyncRequested of(UUID connectionId, UUID userId, Reason reason, String requestId) {
        return new SyncRequested(UUID.randomUUID(), 1, Instant.now(), connectionId, userId, reason, requestId, false);
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
