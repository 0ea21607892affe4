package io.calsync.gateway.web;

import io.calsync.gateway.application.Cursors;
import io.calsync.gateway.application.StreamHub;
import io.calsync.gateway.persistence.ChangeLog;
import java.time.Duration;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: the user's changes as server-sent events ({@code event: changes} with the cursor as its id,
 * {@code event: calendar} when a calendar's state changed). {@code Last-Event-ID} (what EventSource sends when it
 * reconnects) or {@code ?cursor=} resumes after that cursor with nothing lost; a cursor that is not the user's or is
 * too old is 410 {@code CURSOR_EXPIRED}. A stream lasts at most an hour, then EventSource reconnects on its own.
 */
@RestController
@RequestMapping(path = "/api/v1/calendar/stream")
class StreamController {

    static final Duration LIFETIME = Duration.ofHours(1);

    private final StreamHub hub;
    private final Cursors cursors;

    StreamController(StreamHub hub, Cursors cursors) {
        this.hub = hub;
        this.cursors = cursors;
    }

    @GetMapping(produces = "text/event-stream")
    SseEmitter stream(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) String cursor) {
        UUID userId = CurrentUser.get().id();
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
        ChangeLog.Position position = from == null || from.isBlank() ? null : cursors.decode(userId, from);
        return hub.open(userId, position, LIFETIME);
    }
}
