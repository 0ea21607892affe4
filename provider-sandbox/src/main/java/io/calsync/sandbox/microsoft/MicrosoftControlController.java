package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Control routes for the Microsoft side (tests and demos, never part of Graph): calendars, and event changes made
 * "as the user in Outlook" with Graph JSON bodies. They go through the same store as the API, so they change change
 * keys, show up in delta and send change notifications. Also: invalidating delta tokens, lifecycle notifications,
 * and the list of subscriptions. Occurrences are named by their original start, as an instant
 * ({@code 2026-03-30T07:00:00Z}) or as the local date of the occurrence in the series' zone ({@code 2026-03-30}).
 */
@RestController
@RequestMapping(path = "/control/microsoft", produces = MediaType.APPLICATION_JSON_VALUE)
class MicrosoftControlController {

    private final MicrosoftStore store;
    private final CalendarViewDelta delta;
    private final MicrosoftSubscriptions subscriptions;

    MicrosoftControlController(MicrosoftStore store, CalendarViewDelta delta, MicrosoftSubscriptions subscriptions) {
        this.store = store;
        this.delta = delta;
        this.subscriptions = subscriptions;
    }

    // ------------------------------------------------------------------ calendars

    @PostMapping("/accounts/{accountId}/calendars")
    ResponseEntity<String> createCalendar(@PathVariable String accountId, @RequestBody String body) {
        Account a = store.account(accountId);
        ObjectNode b = GraphJson.parseObject(body);
        GraphCalendar c = store.createCalendar(a, GraphJson.text(b, "name"), GraphJson.text(b, "color"));
        return json(HttpStatus.CREATED, c.toJson(a));
    }

    @GetMapping("/accounts/{accountId}/calendars")
    ResponseEntity<String> calendars(@PathVariable String accountId) {
        Account a = store.account(accountId);
        ArrayNode list = GraphJson.array();
        store.calendars(a).forEach(c -> list.add(c.toJson(a)));
        return json(HttpStatus.OK, list);
    }

    @PostMapping("/calendars/{calendarId}/invalidate-delta-tokens")
    ResponseEntity<Void> invalidate(@PathVariable String calendarId) {
        Account a = store.ownerOfCalendar(calendarId).orElseThrow(GraphException::notFound);
        delta.invalidate(store.calendar(a, calendarId).id());
        return ResponseEntity.noContent().build();
    }

    // ------------------------------------------------------------------ events

    /** Creates an event in the account's default calendar, or in {@code calendarId}. */
    @PostMapping("/accounts/{accountId}/events")
    ResponseEntity<String> createEvent(
            @PathVariable String accountId,
            @RequestParam(required = false) String calendarId,
            @RequestBody String body) {
        Account a = store.account(accountId);
        return json(
                HttpStatus.CREATED,
                store.createEvent(a, calendarId, GraphJson.parseObject(body)).json());
    }

    @PostMapping("/calendars/{calendarId}/events")
    ResponseEntity<String> createEventIn(@PathVariable String calendarId, @RequestBody String body) {
        Account a = store.ownerOfCalendar(calendarId).orElseThrow(GraphException::notFound);
        return json(
                HttpStatus.CREATED,
                store.createEvent(a, calendarId, GraphJson.parseObject(body)).json());
    }

    @GetMapping("/accounts/{accountId}/events")
    ResponseEntity<String> events(@PathVariable String accountId) {
        Account a = store.account(accountId);
        ArrayNode list = GraphJson.array();
        store.events(a, null).forEach(v -> list.add(v.json()));
        return json(HttpStatus.OK, list);
    }

    @GetMapping("/events/{eventId}")
    ResponseEntity<String> event(@PathVariable String eventId) {
        return json(HttpStatus.OK, store.event(owner(eventId), eventId).json());
    }

    /** A PATCH in Graph JSON; on an occurrence id it makes an exception. */
    @PatchMapping("/events/{eventId}")
    ResponseEntity<String> updateEvent(@PathVariable String eventId, @RequestBody String body) {
        return json(
                HttpStatus.OK,
                store.updateEvent(owner(eventId), eventId, GraphJson.parseObject(body), null)
                        .json());
    }

    @DeleteMapping("/events/{eventId}")
    ResponseEntity<Void> deleteEvent(@PathVariable String eventId) {
        store.deleteEvent(owner(eventId), eventId, null);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/events/{seriesMasterId}/occurrences/{originalStart}/cancel")
    ResponseEntity<Void> cancelOccurrence(@PathVariable String seriesMasterId, @PathVariable String originalStart) {
        Account a = owner(seriesMasterId);
        store.cancelOccurrence(a, seriesMasterId, originalStart(a, seriesMasterId, originalStart));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/events/{seriesMasterId}/occurrences/{originalStart}/exception")
    ResponseEntity<String> exception(
            @PathVariable String seriesMasterId, @PathVariable String originalStart, @RequestBody String body) {
        Account a = owner(seriesMasterId);
        EventView v = store.updateOccurrence(
                a, seriesMasterId, originalStart(a, seriesMasterId, originalStart), GraphJson.parseObject(body));
        return json(HttpStatus.OK, v.json());
    }

    /** Makes the event an invitation from {@code {name, email}}: the mailbox becomes an attendee who may answer. */
    @PostMapping("/events/{eventId}/invitation")
    ResponseEntity<String> invitation(@PathVariable String eventId, @RequestBody String body) {
        Account a = owner(eventId);
        ObjectNode from = GraphJson.parseObject(body);
        EventView v = store.invite(
                a, eventId, from.path("name").asString(""), from.path("email").asString(""));
        return json(HttpStatus.OK, v.json());
    }

    // ------------------------------------------------------------------ subscriptions

    @GetMapping("/subscriptions")
    ResponseEntity<String> subscriptions() {
        ArrayNode list = GraphJson.array();
        Instant now = Instant.now();
        for (GraphSubscription s : subscriptions.all()) {
            ObjectNode j = s.toJson();
            j.put("expired", s.expired(now));
            list.add(j);
        }
        return json(HttpStatus.OK, list);
    }

    @PostMapping("/subscriptions/{id}/lifecycle")
    ResponseEntity<String> lifecycle(@PathVariable String id, @RequestParam("event") String lifecycleEvent) {
        boolean sent = subscriptions.lifecycle(id, lifecycleEvent);
        ObjectNode j = GraphJson.object();
        j.put("subscriptionId", id);
        j.put("lifecycleEvent", lifecycleEvent);
        j.put("sent", sent);
        return json(HttpStatus.OK, j);
    }

    // ------------------------------------------------------------------ helpers

    private Account owner(String eventId) {
        return store.ownerOfEvent(eventId).orElseThrow(GraphException::notFound);
    }

    private Instant originalStart(Account a, String masterId, String text) {
        try {
            if (text.length() == 10) {
                return store.occurrenceOn(a, masterId, LocalDate.parse(text)).orElseThrow(GraphException::notFound);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "an occurrence is named by its original start (2026-03-30T07:00:00Z) or its date (2026-03-30)");
        }
    }

    private static ResponseEntity<String> json(HttpStatus status, tools.jackson.databind.JsonNode body) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(GraphJson.write(body));
    }

    @ExceptionHandler(GraphException.class)
    ResponseEntity<Map<String, String>> graphError(GraphException e) {
        return ResponseEntity.status(e.status()).body(Map.of("error", e.code() + ": " + e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", e.getMessage()));
    }
}
