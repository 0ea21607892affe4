package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.EventRequest;
import io.calsync.gateway.application.EventService;
import io.calsync.gateway.application.EventView;
import io.calsync.gateway.application.IdempotentCreates;
import io.calsync.gateway.application.RequestIds;
import io.calsync.gateway.application.TimeBounds;
import io.calsync.gateway.persistence.ChangeLog;
import io.calsync.gateway.persistence.EventReader;
import io.calsync.gateway.persistence.Idempotency;
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
import org.springframework.web.bind.annotation.RequestHeader;
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
    private final IdempotentCreates idempotent;
    private final ChangeLog changes;
    private final Clock clock = Clock.systemUTC();

    EventController(EventService events, EventReader reader, IdempotentCreates idempotent, ChangeLog changes) {
        this.changes = changes;
        this.events = events;
        this.reader = reader;
        this.idempotent = idempotent;
    }

    /** {@code truncated}: more events overlap the window than one answer holds; the frontend narrows it. */
    record EventList(List<EventView> events, boolean truncated) {}

    /**
     * With an {@code Idempotency-Key}, a repeat of the same key and body answers the first answer (status, body and
     * tag as they were) and creates nothing; the same key with another body is 422 {@code IDEMPOTENCY_KEY_REUSED}.
     */
    @PostMapping(consumes = "application/json")
    ResponseEntity<?> create(
            @RequestBody EventRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String key,
            HttpServletRequest request) {
        if (key != null) {
            Idempotency.Answer a =
                    idempotent.create(CurrentUser.get().id(), body, Idempotency.validKey(key), RequestIds.of(request));
            return ResponseEntity.status(a.status())
                    .header("Location", "/api/v1/calendar/events/" + idOf(a.body()))
                    .eTag(a.etag())
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(a.body());
        }
        EventView created = events.create(CurrentUser.get().id(), body, RequestIds.of(request));
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/api/v1/calendar/events/" + created.id())
                .eTag(created.etag())
                .body(created);
    }

    /** The id of a stored answer's event (a UUID string: nothing else can be in it). */
    private static String idOf(String storedEvent) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"")
                .matcher(storedEvent);
        return m.find() ? m.group(1) : "";
    }

    /**
     * A conditional read: the answer's {@code ETag} is the user's data version ({@link ChangeLog#dataVersion}) with the
     * query, taken before the rows are read, so that a change committed meanwhile can only make the next tag differ.
     * A tab that polls with {@code If-None-Match} gets 304 without a row or an expansion being read.
     */
    @GetMapping
    ResponseEntity<EventList> range(
            @RequestParam(required = false) String start,
            @RequestParam(required = false) String end,
            @RequestParam(required = false) UUID calendarId,
            @RequestParam(defaultValue = "true") boolean expand,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        Instant from = TimeBounds.parse("start", start, problems);
        Instant to = TimeBounds.parse("end", end, problems);
        TimeBounds.window(from, to, MAX_WINDOW, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        UUID user = CurrentUser.get().id();
        String tag = rangeTag(changes.dataVersion(user), from, to, calendarId, expand);
        if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(tag).build();
        }
        EventReader.Range found = reader.range(user, calendarId, from, to, expand);
        return ResponseEntity.ok().eTag(tag).body(new EventList(found.events(), found.truncated()));
    }

    /** A weak tag: the same events, not necessarily the same bytes. */
    static String rangeTag(String version, Instant from, Instant to, UUID calendarId, boolean expand) {
        String key = version + "|" + from + "|" + to + "|" + calendarId + "|" + expand;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "W/\"" + java.util.HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code If-None-Match}: a list of tags or {@code *}, compared weakly (RFC 9110 13.1.2). */
    static boolean matches(String ifNoneMatch, String tag) {
        String opaque = tag.startsWith("W/") ? tag.substring(2) : tag;
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(opaque)) {
                return true;
            }
        }
        return false;
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
    ResponseEntity<EventView> get(@PathVariable String id) {
        EventView e = reader.get(CurrentUser.get().id(), id);
        return ResponseEntity.ok().eTag(e.etag()).body(e);
    }

    /**
     * {@code scope} ({@code this}, {@code following}, {@code all}) says how far a change of a recurring event reaches;
     * with {@code If-Match}: 412 {@code PRECONDITION_FAILED} when the event changed since that tag was read.
     */
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<EventView> update(
            @PathVariable String id,
            @RequestBody EventRequest body,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @RequestParam(required = false) String scope,
            HttpServletRequest request) {
        EventView e = events.update(CurrentUser.get().id(), id, body, RequestIds.of(request), ifMatch, scope);
        return ResponseEntity.ok().eTag(e.etag()).body(e);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(
            @PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @RequestParam(required = false) String scope,
            HttpServletRequest request) {
        events.delete(CurrentUser.get().id(), id, RequestIds.of(request), ifMatch, scope);
        return ResponseEntity.noContent().build();
    }

    /** The body of {@code POST /events/{id}/rsvp}. */
    record Rsvp(String responseStatus, String comment) {}

    @PostMapping(path = "/{id}/rsvp", consumes = "application/json")
    ResponseEntity<EventView> rsvp(
            @PathVariable String id,
            @RequestBody Rsvp body,
            @RequestParam(required = false) String scope,
            HttpServletRequest request) {
        EventView e = events.rsvp(
                CurrentUser.get().id(), id, body.responseStatus(), body.comment(), scope, RequestIds.of(request));
        return ResponseEntity.ok().eTag(e.etag()).body(e);
    }

    @PostMapping("/{id}/retry-sync")
    ResponseEntity<Void> retry(@PathVariable String id, HttpServletRequest request) {
        events.retrySync(CurrentUser.get().id(), id, RequestIds.of(request));
        return ResponseEntity.accepted().build();
    }
}
