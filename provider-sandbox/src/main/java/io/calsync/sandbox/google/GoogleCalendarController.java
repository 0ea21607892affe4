package io.calsync.sandbox.google;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.ProviderErrors;
import io.calsync.sandbox.oauth.OAuthEngine;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Calendar API v3 over HTTP: calendarList, calendars.get, events (list, get, insert, update, patch, delete,
 * instances, watch) and channels.stop. Every call needs a Google bearer token; calendars of other accounts are 404.
 * Errors use Google's JSON error body.
 */
@RestController
@RequestMapping("/google/calendar/v3")
public class GoogleCalendarController {

    private static final Logger log = LoggerFactory.getLogger(GoogleCalendarController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OAuthEngine oauth;
    private final GoogleCalendarStore store;
    private final GoogleChannels channels;

    public GoogleCalendarController(OAuthEngine oauth, GoogleCalendarStore store, GoogleChannels channels) {
        this.oauth = oauth;
        this.store = store;
        this.channels = channels;
    }

    @GetMapping("/users/me/calendarList")
    ResponseEntity<Object> calendarList(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam MultiValueMap<String, String> params) {
        Account account = authenticate(authorization);
        return ok(store.calendarList(
                account,
                integer(params, "maxResults"),
                params.getFirst("pageToken"),
                params.getFirst("syncToken"),
                params.getFirst("minAccessRole")));
    }

    @GetMapping("/users/me/calendarList/{calendarId}")
    ResponseEntity<Object> calendarListEntry(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId) {
        return ok(store.calendarListEntry(authenticate(authorization), calendarId));
    }

    @GetMapping("/calendars/{calendarId}")
    ResponseEntity<Object> calendar(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId) {
        return ok(store.calendarResource(authenticate(authorization), calendarId));
    }

    @GetMapping("/calendars/{calendarId}/events")
    ResponseEntity<Object> list(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId,
            @RequestParam MultiValueMap<String, String> params) {
        String id = store.resolve(authenticate(authorization), calendarId);
        return ok(store.list(id, query(params)));
    }

    @GetMapping("/calendars/{calendarId}/events/{eventId}")
    ResponseEntity<Object> get(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @PathVariable String calendarId,
            @PathVariable String eventId,
            @RequestParam(required = false) String timeZone) {
        String id = store.resolve(authenticate(authorization), calendarId);
        ObjectNode event = store.get(id, eventId, timeZone);
        if (ifNoneMatch != null && ifNoneMatch.trim().equals(EventTime.text(event, "etag"))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        return ok(event);
    }

    @GetMapping("/calendars/{calendarId}/events/{eventId}/instances")
    ResponseEntity<Object> instances(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId,
            @PathVariable String eventId,
            @RequestParam MultiValueMap<String, String> params) {
        String id = store.resolve(authenticate(authorization), calendarId);
        return ok(store.instances(id, eventId, query(params)));
    }

    @PostMapping("/calendars/{calendarId}/events")
    ResponseEntity<Object> insert(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId,
            @RequestBody(required = false) byte[] body) {
        String id = writable(authorization, calendarId);
        return ok(store.insert(id, object(body)));
    }

    @PutMapping("/calendars/{calendarId}/events/{eventId}")
    ResponseEntity<Object> update(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @PathVariable String calendarId,
            @PathVariable String eventId,
            @RequestBody(required = false) byte[] body) {
        String id = writable(authorization, calendarId);
        return ok(store.update(id, eventId, object(body), ifMatch));
    }

    @PatchMapping("/calendars/{calendarId}/events/{eventId}")
    ResponseEntity<Object> patch(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @PathVariable String calendarId,
            @PathVariable String eventId,
            @RequestBody(required = false) byte[] body) {
        String id = writable(authorization, calendarId);
        return ok(store.patch(id, eventId, object(body), ifMatch));
    }

    @DeleteMapping("/calendars/{calendarId}/events/{eventId}")
    ResponseEntity<Object> delete(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @PathVariable String calendarId,
            @PathVariable String eventId) {
        String id = writable(authorization, calendarId);
        store.delete(id, eventId, ifMatch);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/calendars/{calendarId}/events/watch")
    ResponseEntity<Object> watch(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String calendarId,
            @RequestBody(required = false) byte[] body) {
        String id = store.resolve(authenticate(authorization), calendarId);
        return ok(channels.watch(id, object(body)).toJson());
    }

    @PostMapping("/channels/stop")
    ResponseEntity<Object> stop(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) byte[] body) {
        authenticate(authorization);
        ObjectNode channel = object(body);
        String id = EventTime.text(channel, "id");
        if (!channels.stop(id, EventTime.text(channel, "resourceId"))) {
            throw new GoogleApiException(404, "global", "notFound", "Channel '" + id + "' not found for project");
        }
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(GoogleApiException.class)
    ResponseEntity<Object> googleError(GoogleApiException e) {
        return e.toResponse();
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> unexpected(RuntimeException e) {
        log.error("Google API request failed", e);
        return ProviderErrors.google(500, "global", "backendError", "Backend Error");
    }

    private Account authenticate(String authorization) {
        return token(authorization, false).account();
    }

    /**
     * The caller's token; 401 unless valid for Google, 403 insufficientPermissions unless its scopes include a
     * calendar scope (a writable one for writes). Tokens seeded without a scope may do everything.
     */
    private OAuthEngine.AccessToken token(String authorization, boolean write) {
        OAuthEngine.AccessToken token = oauth.authenticate(Provider.GOOGLE, authorization)
                .orElseThrow(() -> new GoogleApiException(401, "global", "authError", "Invalid Credentials"));
        if (token.scope() == null || token.scope().isBlank()) {
            return token;
        }
        boolean allowed = false;
        for (String scope : token.scope().trim().split("\\s+")) {
            String name = scope.substring(scope.lastIndexOf('/') + 1);
            allowed |= write ? name.equals("calendar") || name.equals("calendar.events") : name.startsWith("calendar");
        }
        if (!allowed) {
            throw new GoogleApiException(403, "global", "insufficientPermissions", "Insufficient Permission");
        }
        return token;
    }

    private String writable(String authorization, String calendarId) {
        String id = store.resolve(token(authorization, true).account(), calendarId);
        store.requireWritable(id);
        return id;
    }

    private static ResponseEntity<Object> ok(ObjectNode body) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                .body(body);
    }

    /** A request body: one JSON object, else Google's 400 parseError. */
    static ObjectNode object(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (JacksonException e) {
            // answered below
        }
        throw new GoogleApiException(400, "global", "parseError", "Parse Error");
    }

    private static EventQuery query(MultiValueMap<String, String> p) {
        return new EventQuery(
                integer(p, "maxResults"),
                p.getFirst("pageToken"),
                instant(p, "timeMin"),
                instant(p, "timeMax"),
                bool(p, "singleEvents"),
                bool(p, "showDeleted"),
                p.getFirst("orderBy"),
                p.getFirst("syncToken"),
                instant(p, "updatedMin"),
                p.getFirst("iCalUID"),
                p.getFirst("q"),
                p.getOrDefault("privateExtendedProperty", List.of()),
                p.getOrDefault("sharedExtendedProperty", List.of()),
                p.getOrDefault("eventTypes", List.of()),
                p.getFirst("timeZone"));
    }

    private static Integer integer(MultiValueMap<String, String> p, String name) {
        String v = p.getFirst(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw GoogleApiException.invalid("Invalid value '" + v + "'. Values must be within the range: [1, 2500]");
        }
    }

    private static boolean bool(MultiValueMap<String, String> p, String name) {
        String v = p.getFirst(name);
        if (v == null) {
            return false;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw GoogleApiException.invalid("Invalid value for " + name + ": " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static Instant instant(MultiValueMap<String, String> p, String name) {
        String v = p.getFirst(name);
        return v == null ? null : GoogleTime.parseRfc3339(v, name);
    }
}
