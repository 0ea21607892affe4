package io.calsync.providers.port;

import io.calsync.model.domain.CalendarProvider;
import java.time.Instant;
import java.util.UUID;

/**
 * What an adapter needs to know of one connection for one sync pass: which calendar, the cursor of the last pass
 * ({@code cursor}: Google's sync token or Graph's delta link; null means a full sync), the ICS validators, and the
 * window a full sync covers. Immutable: the adapter reports the new state in its {@link SyncResult}.
 */
public record SyncTarget(
        UUID connectionId,
        CalendarProvider provider,
        String providerCalendarId,
        String accountEmail,
        String icsUrl,
        String cursor,
        String icsEtag,
        String icsLastModified,
        Instant windowStart,
        Instant windowEnd,
        AccessTokenSource tokens) {

    public boolean full() {
        return cursor == null;
    }

    public SyncTarget withoutCursor() {
        return new SyncTarget(
                connectionId,
                provider,
                providerCalendarId,
                accountEmail,
                icsUrl,
                null,
                icsEtag,
                icsLastModified,
                windowStart,
                windowEnd,
                tokens);
    }
}
