package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /me} and the user's calendars. */
@RestController
@RequestMapping(GraphHttp.PREFIX)
class GraphUserController {

    private static final int DEFAULT_TOP = 10;

    private final GraphHttp http;
    private final MicrosoftStore store;

    GraphUserController(GraphHttp http, MicrosoftStore store) {
        this.http = http;
        this.store = store;
    }

    @GetMapping({"/me", "/users/{user}"})
    ResponseEntity<String> me(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        String[] names = a.displayName().trim().split("\\s+", 2);
        ObjectNode j = GraphJson.object();
        j.put("@odata.context", GraphHttp.context("users/$entity"));
        j.putArray("businessPhones");
        j.put("displayName", a.displayName());
        j.put("givenName", names[0]);
        j.putNull("jobTitle");
        j.put("mail", a.email());
        j.putNull("mobilePhone");
        j.putNull("officeLocation");
        j.put("preferredLanguage", "en-US");
        j.put("surname", names.length > 1 ? names[1] : "");
        j.put("userPrincipalName", a.email());
        j.put("id", a.id());
        return GraphHttp.ok(GraphHttp.select(j, request), null);
    }

    @GetMapping({"/me/calendars", "/users/{user}/calendars"})
    ResponseEntity<String> calendars(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        int top = GraphHttp.intParam(request, "$top", DEFAULT_TOP);
        int skip = GraphHttp.intParam(request, "$skip", 0);
        List<GraphCalendar> all = store.calendars(a);
        ArrayNode value = GraphJson.array();
        all.stream().skip(skip).limit(top).forEach(c -> value.add(GraphHttp.select(c.toJson(a), request)));
        String next = skip + top < all.size() ? GraphHttp.withSkip(request, skip + top) : null;
        return GraphHttp.ok(
                GraphHttp.collection(GraphHttp.context("users('" + a.id() + "')/calendars"), value, next), null);
    }

    @GetMapping({
        "/me/calendar",
        "/users/{user}/calendar",
        "/me/calendars/{calendarId}",
        "/users/{user}/calendars/{calendarId}"
    })
    ResponseEntity<String> calendar(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @PathVariable(required = false) String calendarId,
            HttpServletRequest request) {
        Account a = http.user(authorization, user);
        GraphCalendar c = calendarId == null ? store.defaultCalendar(a) : store.calendar(a, calendarId);
        ObjectNode j = GraphJson.object();
        j.put("@odata.context", GraphHttp.context("users('" + a.id() + "')/calendars/$entity"));
        j.setAll(c.toJson(a));
        return GraphHttp.ok(GraphHttp.select(j, request), null);
    }

    @PostMapping({"/me/calendars", "/users/{user}/calendars"})
    ResponseEntity<String> createCalendar(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable(required = false) String user,
            @RequestBody(required = false) String body) {
        Account a = http.user(authorization, user);
        ObjectNode b = GraphJson.parseObject(body);
        GraphCalendar c = store.createCalendar(a, GraphJson.text(b, "name"), GraphJson.text(b, "color"));
        ObjectNode j = GraphJson.object();
        j.put("@odata.context", GraphHttp.context("users('" + a.id() + "')/calendars/$entity"));
        j.setAll(c.toJson(a));
        return GraphHttp.respond(201, j, null);
    }
}
