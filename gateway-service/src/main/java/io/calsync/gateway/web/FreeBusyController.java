package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.FreeBusy;
import io.calsync.gateway.application.TimeBounds;
import io.calsync.gateway.persistence.FreeBusyReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/calendar/freebusy}: busy intervals of the user's calendars inside a window of at most 62 days. */
@RestController
@RequestMapping(path = "/api/v1/calendar/freebusy", produces = "application/json")
class FreeBusyController {

    static final Duration MAX_WINDOW = Duration.ofDays(62);

    private final FreeBusyReader reader;

    FreeBusyController(FreeBusyReader reader) {
        this.reader = reader;
    }

    /** The body: the window, and the calendars (all of the user's when absent). */
    record Query(String start, String end, List<String> calendarIds) {}

    /** One calendar's busy intervals, as answered. */
    record CalendarAnswer(UUID calendarId, List<FreeBusy.Busy> busy, Instant lastSyncedAt) {}

    record Answer(List<CalendarAnswer> calendars, List<FreeBusy.Interval> merged) {}

    @PostMapping(consumes = "application/json")
    Answer query(@RequestBody(required = false) Query body) {
        if (body == null) {
            throw ApiException.invalid("start", "is required");
        }
        UUID userId = CurrentUser.get().id();
        // An unknown calendar is 404 before any 422 (the contract's Errors); an id that is no UUID is unknown too.
        List<UUID> ids = null;
        if (body.calendarIds() != null) {
            ids = new ArrayList<>();
            for (String id : body.calendarIds()) {
                ids.add(uuid(id));
            }
        }
        List<FreeBusyReader.Calendar> calendars = reader.calendars(userId, ids);
        List<ApiException.FieldProblem> problems = new ArrayList<>();
        Instant from = TimeBounds.parse("start", body.start(), problems);
        Instant to = TimeBounds.parse("end", body.end(), problems);
        TimeBounds.window(from, to, MAX_WINDOW, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        FreeBusyReader.Answer a = reader.read(calendars, from, to);
        return new Answer(
                a.calendars().stream()
                        .map(c -> new CalendarAnswer(c.calendarId(), c.busy(), c.lastSyncedAt()))
                        .toList(),
                a.merged());
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("calendar");
        }
    }
}
