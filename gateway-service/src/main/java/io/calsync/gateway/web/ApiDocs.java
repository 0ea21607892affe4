package io.calsync.gateway.web;

import io.calsync.model.api.CalendarView;
import java.time.Instant;
import java.util.List;

/**
 * Shapes of answers that the gateway forwards as bytes (oauth-service's) or builds as small maps, named here so that
 * the OpenAPI document and the clients generated from it know them. They are the contract's shapes; the tests of
 * oauth-service and the gateway check the answers themselves.
 */
final class ApiDocs {

    private ApiDocs() {}

    /** {@code GET /oauth/{provider}/login} with {@code Accept: application/json}. */
    record LoginAnswer(String authUrl) {}

    /** One calendar a session offers; {@code id} is the provider's calendar id (a CalDAV calendar's URL). */
    record OfferedCalendar(String id, String name, boolean isPrimary, String color, String accessRole) {}

    /** An OAuth (or CalDAV) session: the account and the calendars to select from, until it expires. */
    record CalendarSession(
            String sessionId,
            String provider,
            String accountEmail,
            Instant expiresAt,
            List<OfferedCalendar> calendars) {}

    /** {@code POST .../select}: the connections made (or found). */
    record SelectedCalendars(List<CalendarView> calendars) {}

    /** {@code POST /calendars/{id}/sync}. */
    record SyncQueued(String status, String requestId) {}

    /** {@code POST /calendars/sync-all}. */
    record SyncAllQueued(int queued) {}
}
