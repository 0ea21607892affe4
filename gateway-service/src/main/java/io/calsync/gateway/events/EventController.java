package io.calsync.gateway.events;

import io.calsync.gateway.audit.RequestIds;
import io.calsync.gateway.identity.CurrentUser;
import io.calsync.gateway.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/calendar/events}: the user's events, local writes that reach the provider on their own. */
@RestController
@RequestMapping(path = "/api/v1/calendar/events", produces = "application/json")
class EventController {

    static final Duration MAX_WINDOW = Duration.ofDays(366);
    private final EventService events;
    private final EventReader reader;
    private final Clock clock = Clock.systemUTC();

    EventController(EventService events, EventReader reader) {
        this.events = events;
        this.reader = reader;
    }

    /** {@code truncated}: more events overlap the window than one answer holds; the frontend narrows it. */
    record EventList(List<EventView> events, boolean truncated) {}

    @PostMapping(consumes = "application/json")
    ResponseEntity<EventView> create(@RequestBody EventRequest body, HttpServletRequest request) {
        EventView created = events.create(CurrentUser.get().id(), body, RequestIds.of(request));
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/api/v1/calendar/events/" + created.id())
                .body(created);
    }

    @GetMapping
    EventList range(
            @RequestParam(required = false) String start,
            @RequestParam(required = false) String end,
            @RequestParam(required = false) UUID calendarId,
            @RequestParam(defaultValue = "true") boolean expand) {
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        Instant from = TimeBounds.parse("start", start, problems);
        Instant to = TimeBounds.parse("end", end, problems);
        TimeBounds.window(from, to, MAX_WINDOW, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        EventReader.Range found = reader.range(CurrentUser.get().id(), calendarId, from, to, expand);
        return new EventList(found.events(), found.truncated());
    }

    @GetMapping("/upcoming")
    EventList upcoming(@RequestParam(defaultValue = "10") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 100) {
            throw ApiException.invalid("limit", "must be a whole number from 1 to 100");
        }
        return new EventList(reader.upcoming(CurrentUser.get().id(), n, clock.instant()), false);
    }

    @GetMapping("/{id}")
    EventView get(@PathVariable String id) {
        return reader.get(CurrentUser.get().id(), id);
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    EventView update(@PathVariable String id, @RequestBody EventRequest body, HttpServletRequest request) {
        return events.update(CurrentUser.get().id(), id, body, RequestIds.of(request));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, HttpServletRequest request) {
        events.delete(CurrentUser.get().id(), id, RequestIds.of(request));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/retry-sync")
    ResponseEntity<Void> retry(@PathVariable String id, HttpServletRequest request) {
        events.retrySync(CurrentUser.get().id(), id, RequestIds.of(request));
        return ResponseEntity.accepted().build();
    }
}
