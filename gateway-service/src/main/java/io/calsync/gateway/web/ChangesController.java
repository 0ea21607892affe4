package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.Cursors;
import io.calsync.gateway.application.EventView;
import io.calsync.gateway.persistence.ChangeLog;
import io.calsync.gateway.persistence.EventReader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /events/changes?cursor=C[&limit=500]}: every change of the user's events after {@code C}, once, in the
 * log's order. Each change answers the event as it is now (UPSERTED with the Event, series as masters), or DELETED
 * when the row is gone or no longer shown, so a frontend that applies the changes in order ends with the store's state
 * even when two changes of one event committed out of order. Changes of calendars move the cursor but are not listed
 * (the stream tells them as {@code event: calendar}).
 */
@RestController
@RequestMapping(path = "/api/v1/calendar/events/changes", produces = "application/json")
class ChangesController {

    static final int MAX_LIMIT = 1000;

    private final ChangeLog log;
    private final Cursors cursors;
    private final EventReader events;
    private final Clock clock = Clock.systemUTC();

    ChangesController(ChangeLog log, Cursors cursors, EventReader events) {
        this.log = log;
        this.cursors = cursors;
        this.events = events;
    }

    record ChangeView(String cursor, String kind, UUID eventId, UUID calendarId, EventView event) {}

    record Changes(List<ChangeView> changes, String nextCursor, boolean hasMore) {}

    @GetMapping
    public Changes changes(
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "500") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        UUID userId = CurrentUser.get().id();
        Instant now = clock.instant();
        if (cursor == null || cursor.isBlank()) {
            return new Changes(List.of(), cursors.encode(userId, log.now(), now), false);
        }
        ChangeLog.Page page = log.read(userId, cursors.decode(userId, cursor), n);
        Set<UUID> ids = new LinkedHashSet<>();
        page.changes().stream().filter(c -> !c.ofCalendar()).forEach(c -> ids.add(c.eventId()));
        Map<UUID, EventView> current = events.current(userId, ids);
        List<ChangeView> out = new ArrayList<>();
        for (ChangeLog.Change c : page.changes()) {
            if (c.ofCalendar()) {
                continue;
            }
            EventView event = current.get(c.eventId());
            out.add(new ChangeView(
                    cursors.encode(userId, c.position(), c.changedAt()),
                    event == null ? "DELETED" : "UPSERTED",
                    c.eventId(),
                    c.calendarId(),
                    event));
        }
        Instant at = page.hasMore() ? page.changes().getLast().changedAt() : now;
        return new Changes(out, cursors.encode(userId, page.next(), at), page.hasMore());
    }
}
