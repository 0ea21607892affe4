package io.calsync.gateway.application;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code GET /calendars/{id}/sync-state}: whether a calendar is live, catching up or stuck, and why, from what the
 * engine records as it works (no provider call).
 *
 * @param mode PUSH (a live subscription), POLL (feeds, or push off here, or not opened yet) or DEGRADED (push could
 *     not be opened or renewed: the poller polls the calendar every few minutes instead)
 * @param lastError the last sync's error, else (when DEGRADED) why push is off, else null
 */
public record SyncState(
        UUID calendarId,
        Mode mode,
        Instant subscriptionExpiresAt,
        Instant lastSyncedAt,
        Instant lastAttemptAt,
        int consecutiveFailures,
        String lastError,
        InitialSync initialSync) {

    public enum Mode {
        PUSH,
        POLL,
        DEGRADED
    }

    /** The first full pass of the calendar: QUEUED, RUNNING (events stored so far), DONE or FAILED. */
    public record InitialSync(String state, int eventsSoFar, Instant startedAt, Instant finishedAt) {}

    /**
     * The mode from the provider, the stored push state and the latest live subscription: feeds poll; a refused push
     * is DEGRADED, and so is one that was open and has lapsed without a new one; a live subscription is PUSH.
     */
    public static Mode mode(String provider, String pushState, Instant subscriptionExpiresAt, Instant now) {
        if (!"GOOGLE".equals(provider) && !"MICROSOFT".equals(provider)) {
            return Mode.POLL;
        }
        if ("DEGRADED".equals(pushState)) {
            return Mode.DEGRADED;
        }
        if (subscriptionExpiresAt != null && subscriptionExpiresAt.isAfter(now)) {
            return Mode.PUSH;
        }
        return "ACTIVE".equals(pushState) ? Mode.DEGRADED : Mode.POLL;
    }
}
