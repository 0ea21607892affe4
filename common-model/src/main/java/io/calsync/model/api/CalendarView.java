package io.calsync.model.api;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.SyncStatus;
import io.calsync.model.persistence.CalendarConnection;
import java.time.Instant;
import java.util.UUID;

/**
 * A calendar connection as the frontend sees it (contract: "Calendar"). Shared because two services answer it: the
 * gateway's calendar routes and oauth-service's select (through the gateway).
 */
public record CalendarView(
        UUID id,
        CalendarProvider provider,
        String calendarName,
        String providerCalendarId,
        String accountEmail,
        String color,
        boolean isPrimary,
        boolean isReadOnly,
        boolean isConnected,
        SyncStatus syncStatus,
        Instant lastSyncedAt,
        String lastSyncError,
        long eventCount,
        String icsUrl,
        Instant createdAt) {

    public static CalendarView of(CalendarConnection c, long eventCount) {
        return new CalendarView(
                c.getId(),
                c.getProvider(),
                c.getCalendarName(),
                c.getProvider() == CalendarProvider.ICS ? null : c.getProviderCalendarId(),
                c.getAccountEmail(),
                c.getColor(),
                c.isPrimary(),
                c.isReadOnly(),
                c.isConnected(),
                c.getSyncStatus(),
                c.getLastSyncedAt(),
                c.isConnected() ? c.getLastSyncError() : firstNonNull(c.getDisconnectedReason(), c.getLastSyncError()),
                eventCount,
                c.getProvider() == CalendarProvider.ICS ? c.getIcsUrl() : null,
                c.getCreatedAt());
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
