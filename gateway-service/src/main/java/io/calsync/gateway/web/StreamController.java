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
    @io.swagger.v3.oas.annotations.Operation(
            summary = "The user's changes as server-sent events",
            description = "Each message: `id:` the change's cursor, `event: changes`, `data: {cursor, calendarIds,"
                    + " eventIds}`; `event: calendar` with `data: {calendarId}` when a calendar's syncStatus,"
                    + " isConnected or sync state changed. `Last-Event-ID` (or `?cursor=`) resumes after that cursor"
                    + " with nothing lost; a comment line at least every 25 s keeps proxies open.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "200",
            description = "An endless text/event-stream",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "text/event-stream",
                            schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string"),
                            examples =
                                    @io.swagger.v3.oas.annotations.media.ExampleObject(
                                            value = "id: c1.42\nevent: changes\ndata: {\"cursor\":\"c1.42\","
                                                    + "\"calendarIds\":[\"9b2f...\"],\"eventIds\":[\"5e1a...\"]}\n\n")))
    SseEmitter stream(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) String cursor) {
        UUID userId = CurrentUser.get().id();
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
        ChangeLog.Position position = from == null || from.isBlank() ? null : cursors.decode(userId, from);
        return hub.open(userId, position, LIFETIME);
    }
}
