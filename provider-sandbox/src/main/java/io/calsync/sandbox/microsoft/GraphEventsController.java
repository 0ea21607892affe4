package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events: CRUD, instances, calendarView and calendarView delta, under {@code /me}, {@code /me/calendar} (the
 * default calendar), {@code /me/calendars/{id}} and the same with {@code /users/{id}}. {@code /me/events} spans all
 * the user's calendars, {@code /me/calendarView} is the default calendar's. The SDK calls functions with
 * parentheses ({@code delta()}), so both spellings are mapped.
 */
@RestController
@RequestMapping(GraphHttp.PREFIX)
class GraphEventsController {

    private static final int DEFAULT_TOP = 10;
    private static final String WINDOW_REQUIRED =
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.";

    private final GraphHttp http;
    private final MicrosoftStore store;
    private final CalendarViewDelta delta;

    GraphEventsController(GraphHttp http, MicrosoftStore store, CalendarViewDelta delta) {
        this.http = http;
        this.store = store;
        this.delta = delta;
    }

    // ------------------------------------------------------------------ collections

    @GetMapping({
        "/me/events",
        "/users/{user}/events",
        "/me/calendar/events",
        "/users/{user}/calendar/events",
        "/me/calendars/{calendarId}/events",
        "/users/{user}/calendars/{calendarId}/events"
    })
    ResponseEntity<String> list(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        String scope = scope(a, calendarId, request);
        List<EventView> all = store.events(a, scope);
        return page(all, "users('" + a.id() + "')/events", request);
    }

    @PostMapping({
        "/me/events",
        "/users/{user}/events",
        "/me/calendar/events",
        "/users/{user}/calendar/events",
        "/me/calendars/{calendarId}/events",
        "/users/{user}/calendars/{calendarId}/events"
    })
    ResponseEntity<String> create(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @RequestBody(required = false) String body,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        String scope = scope(a, calendarId, request);
        EventView v = store.createEvent(a, scope, GraphJson.parseObject(body));
        PreferHeader prefer = GraphHttp.prefer(request);
        return GraphHttp.respond(201, entity(a, v, prefer, request), prefer.applied(false, 0));
    }

    @GetMapping({
        "/me/calendarView",
        "/users/{user}/calendarView",
        "/me/calendar/calendarView",
        "/users/{user}/calendar/calendarView",
        "/me/calendars/{calendarId}/calendarView",
        "/users/{user}/calendars/{calendarId}/calendarView"
    })
    ResponseEntity<String> calendarView(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        Instant[] window = window(request);
        List<EventView> items = store.calendarView(a, calendarId, window[0], window[1]);
        return page(items, "users('" + a.id() + "')/calendarView", request);
    }

    @GetMapping({
        "/me/calendarView/delta",
        "/me/calendarView/delta()",
        "/users/{user}/calendarView/delta",
        "/users/{user}/calendarView/delta()",
        "/me/calendar/calendarView/delta",
        "/me/calendar/calendarView/delta()",
        "/users/{user}/calendar/calendarView/delta",
        "/users/{user}/calendar/calendarView/delta()",
        "/me/calendars/{calendarId}/calendarView/delta",
        "/me/calendars/{calendarId}/calendarView/delta()",
        "/users/{user}/calendars/{calendarId}/calendarView/delta",
        "/users/{user}/calendars/{calendarId}/calendarView/delta()"
    })
    ResponseEntity<String> delta(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        PreferHeader prefer = GraphHttp.prefer(request);
        String skipToken = GraphHttp.param(request, "$skiptoken");
        String deltaToken = GraphHttp.param(request, "$deltatoken");
        CalendarViewDelta.Page page;
        if (skipToken != null) {
            page = delta.next(a, skipToken, prefer.maxPageSize());
        } else if (deltaToken != null) {
            page = delta.changes(a, deltaToken, prefer.maxPageSize());
        } else {
            Instant[] window = window(request);
            page = delta.start(a, calendarId, window[0], window[1], prefer.maxPageSize());
        }
        RenderZone zone = prefer.zone();
        ArrayNode value = GraphJson.array();
        for (CalendarViewDelta.Item item : page.items()) {
            ObjectNode j = value.addObject();
            j.put("@odata.type", "#microsoft.graph.event");
            if (item.event() != null) {
                j.setAll(item.event().render(zone));
            } else {
                j.put("id", item.removedId());
                j.putObject("@removed").put("reason", "deleted");
            }
        }
        String link =
                ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString()
                        + request.getRequestURI().replace("/delta()", "/delta");
        ObjectNode body = GraphJson.object();
        body.put("@odata.context", GraphHttp.context("Collection(event)"));
        if (page.skipToken() != null) {
            body.put("@odata.nextLink", link + "?$skiptoken=" + page.skipToken());
        } else {
            body.put("@odata.deltaLink", link + "?$deltatoken=" + page.deltaToken());
        }
        body.set("value", value);
        return GraphHttp.ok(body, prefer.applied(true, page.pageSize(), "odata.track-changes"));
    }

    // ------------------------------------------------------------------ single events

    @GetMapping({
        "/me/events/{eventId}",
        "/users/{user}/events/{eventId}",
        "/me/calendar/events/{eventId}",
        "/users/{user}/calendar/events/{eventId}",
        "/me/calendars/{calendarId}/events/{eventId}",
        "/users/{user}/calendars/{calendarId}/events/{eventId}"
    })
    ResponseEntity<String> get(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @PathVariable String eventId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        EventView v = inScope(store.event(a, eventId), scope(a, calendarId, request));
        PreferHeader prefer = GraphHttp.prefer(request);
        return GraphHttp.ok(entity(a, v, prefer, request), prefer.applied(false, 0));
    }

    @PatchMapping({
        "/me/events/{eventId}",
        "/users/{user}/events/{eventId}",
        "/me/calendar/events/{eventId}",
        "/users/{user}/calendar/events/{eventId}",
        "/me/calendars/{calendarId}/events/{eventId}",
        "/users/{user}/calendars/{calendarId}/events/{eventId}"
    })
    ResponseEntity<String> update(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @PathVariable String eventId,
            @RequestBody(required = false) String body,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        inScope(store.event(a, eventId), scope(a, calendarId, request));
        EventView v = store.updateEvent(a, eventId, GraphJson.parseObject(body), ifMatch);
        PreferHeader prefer = GraphHttp.prefer(request);
        return GraphHttp.ok(entity(a, v, prefer, request), prefer.applied(false, 0));
    }

    @DeleteMapping({
        "/me/events/{eventId}",
        "/users/{user}/events/{eventId}",
        "/me/calendar/events/{eventId}",
        "/users/{user}/calendar/events/{eventId}",
        "/me/calendars/{calendarId}/events/{eventId}",
        "/users/{user}/calendars/{calendarId}/events/{eventId}"
    })
    ResponseEntity<String> delete(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @PathVariable String eventId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        inScope(store.event(a, eventId), scope(a, calendarId, request));
        store.deleteEvent(a, eventId, ifMatch);
        return GraphHttp.noContent();
    }

    /** {@code accept}, {@code decline}, {@code tentativelyAccept} of an invitation: 202 without a body. */
    @PostMapping({
        "/me/events/{eventId}/{action:accept|decline|tentativelyAccept}",
        "/users/{user}/events/{eventId}/{action:accept|decline|tentativelyAccept}",
        "/me/calendars/{calendarId}/events/{eventId}/{action:accept|decline|tentativelyAccept}",
        "/users/{user}/calendars/{calendarId}/events/{eventId}/{action:accept|decline|tentativelyAccept}"
    })
    ResponseEntity<String> respond(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @PathVariable String eventId,
            @PathVariable String action,
            @RequestBody(required = false) String body,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        inScope(store.event(a, eventId), scope(a, calendarId, request));
        GraphJson.parseObject(body == null || body.isBlank() ? "{}" : body); // a body that is not JSON is 400
        store.respond(
                a,
                eventId,
                switch (action) {
                    case "accept" -> "accepted";
                    case "decline" -> "declined";
                    default -> "tentativelyAccepted";
                });
        return ResponseEntity.accepted().build();
    }

    @GetMapping({
        "/me/events/{eventId}/instances",
        "/users/{user}/events/{eventId}/instances",
        "/me/calendar/events/{eventId}/instances",
        "/users/{user}/calendar/events/{eventId}/instances",
        "/me/calendars/{calendarId}/events/{eventId}/instances",
        "/users/{user}/calendars/{calendarId}/events/{eventId}/instances"
    })
    ResponseEntity<String> instances(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            @PathVariable String eventId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        inScope(store.event(a, eventId), scope(a, calendarId, request));
        Instant[] window = window(request);
        List<EventView> items = store.instances(a, eventId, window[0], window[1]);
        return page(items, "users('" + a.id() + "')/events('" + eventId + "')/instances", request);
    }

    // ------------------------------------------------------------------ helpers

    /** The calendar a path names: an id, the default one for {@code /calendar/}, or null for all of them. */
    private String scope(Account a, String calendarId, HttpServletRequest request) {
        if (calendarId != null) {
            return store.calendar(a, calendarId).id();
        }
        return request.getRequestURI().contains("/calendar/")
                ? store.defaultCalendar(a).id()
                : null;
    }

    private static EventView inScope(EventView v, String calendarId) {
        if (calendarId != null && !calendarId.equals(v.calendarId())) {
            throw GraphException.notFound();
        }
        return v;
    }

    private static ObjectNode entity(Account a, EventView v, PreferHeader prefer, HttpServletRequest request) {
        ObjectNode j = GraphJson.object();
        j.put("@odata.context", GraphHttp.context("users('" + a.id() + "')/events/$entity"));
        j.setAll(v.render(prefer.zone()));
        return GraphHttp.select(j, request);
    }

    private static ResponseEntity<String> page(List<EventView> all, String context, HttpServletRequest request) {
        int top = GraphHttp.intParam(request, "$top", DEFAULT_TOP);
        int skip = GraphHttp.intParam(request, "$skip", 0);
        PreferHeader prefer = GraphHttp.prefer(request);
        RenderZone zone = prefer.zone();
        ArrayNode value = GraphJson.array();
        all.stream().skip(skip).limit(top).forEach(v -> value.add(GraphHttp.select(v.render(zone), request)));
        String next = skip + top < all.size() ? GraphHttp.withSkip(request, skip + top) : null;
        return GraphHttp.ok(GraphHttp.collection(GraphHttp.context(context), value, next), prefer.applied(false, 0));
    }

    /** startDateTime and endDateTime, required as Graph requires them. */
    private static Instant[] window(HttpServletRequest request) {
        String s = GraphHttp.param(request, "startDateTime");
        String e = GraphHttp.param(request, "endDateTime");
        if (s == null || e == null) {
            throw GraphException.invalidParameter(WINDOW_REQUIRED);
        }
        Instant from = GraphJson.parseQueryInstant(s);
        if (from == null) {
            throw GraphException.invalidParameter("The value '" + s + "' of parameter 'StartDateTime' is invalid.");
        }
        Instant to = GraphJson.parseQueryInstant(e);
        if (to == null) {
            throw GraphException.invalidParameter("The value '" + e + "' of parameter 'EndDateTime' is invalid.");
        }
        if (!to.isAfter(from)) {
            throw GraphException.invalidParameter("The parameter 'EndDateTime' must be later than 'StartDateTime'.");
        }
        return new Instant[] {from, to};
    }
}
