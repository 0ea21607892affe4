package io.calsync.sandbox.google;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Control routes for Google data (never part of Google's API): calendars of an account, and events changed "as the
 * user at Google", which behave exactly like API writes (sequence, etag, sync, push). Bodies are Google's JSON.
 */
@RestController
@RequestMapping("/control/google")
public class GoogleControlController {

    private final GoogleCalendarStore store;
    private final GoogleChannels channels;

    public GoogleControlController(GoogleCalendarStore store, GoogleChannels channels) {
        this.store = store;
        this.channels = channels;
    }

    /** {@code {summary, timeZone, primary?, description?, location?, accessRole?, colorId?, id?}}. */
    @PostMapping("/accounts/{accountId}/calendars")
    ResponseEntity<ObjectNode> createCalendar(
            @PathVariable String accountId, @RequestBody GoogleCalendarStore.CalendarSpec spec) {
        return ResponseEntity.status(HttpStatus.CREATED).body(store.createCalendar(accountId, spec));
    }

    @GetMapping("/accounts/{accountId}/calendars")
    List<ObjectNode> calendars(@PathVariable String accountId) {
        return store.calendarEntries(accountId);
    }

    /** Every stored event, deleted ones included. */
    @GetMapping("/calendars/{calendarId}/events")
    List<ObjectNode> events(@PathVariable String calendarId) {
        return store.storedEvents(calendarId);
    }

    @PostMapping("/calendars/{calendarId}/events")
    ResponseEntity<ObjectNode> insert(@PathVariable String calendarId, @RequestBody(required = false) byte[] body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(store.insert(calendarId, GoogleCalendarController.object(body)));
    }

    @PatchMapping("/calendars/{calendarId}/events/{eventId}")
    ObjectNode patch(
            @PathVariable String calendarId, @PathVariable String eventId, @RequestBody(required = false) byte[] body) {
        return store.patch(calendarId, eventId, GoogleCalendarController.object(body));
    }

    @PutMapping("/calendars/{calendarId}/events/{eventId}")
    ObjectNode update(
            @PathVariable String calendarId, @PathVariable String eventId, @RequestBody(required = false) byte[] body) {
        return store.update(calendarId, eventId, GoogleCalendarController.object(body));
    }

    @DeleteMapping("/calendars/{calendarId}/events/{eventId}")
    ResponseEntity<Void> delete(@PathVariable String calendarId, @PathVariable String eventId) {
        store.delete(calendarId, eventId);
        return ResponseEntity.noContent().build();
    }

    /** The next incremental list of the calendar answers 410 fullSyncRequired. */
    @PostMapping("/calendars/{calendarId}/invalidate-sync-tokens")
    Map<String, Object> invalidateSyncTokens(@PathVariable String calendarId) {
        return Map.of("calendarId", calendarId, "epoch", store.invalidateSyncTokens(calendarId));
    }

    @GetMapping("/calendars/{calendarId}/channels")
    List<Map<String, Object>> channels(@PathVariable String calendarId) {
        store.resourceId(calendarId); // 404 for an unknown calendar
        return channels.active(calendarId).stream()
                .map(c -> Map.<String, Object>of(
                        "id", c.id(),
                        "resourceId", c.resourceId(),
                        "resourceUri", c.resourceUri(),
                        "address", c.address(),
                        "token", c.token() == null ? "" : c.token(),
                        "expiration", c.expiration().toEpochMilli(),
                        "messages", c.messages().get()))
                .toList();
    }

    @ExceptionHandler(GoogleApiException.class)
    ResponseEntity<Object> googleError(GoogleApiException e) {
        return e.toResponse();
    }
}
