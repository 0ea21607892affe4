package io.calsync.oauth.web;

import io.calsync.model.api.CalendarView;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.oauth.OAuthConfiguration;
import io.calsync.oauth.application.CalDavConnect;
import io.calsync.oauth.application.OAuthFlow;
import io.calsync.oauth.application.OAuthProblem;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal OAuth API the gateway forwards its public {@code /api/v1/calendar/oauth/...} routes to. Login, session
 * and select need the caller's JWT ({@code Authorization}, verified here again); the callback names its user through
 * the state.
 */
@RestController
@RequestMapping("/internal")
class InternalOAuthController {

    private final OAuthFlow flow;
    private final CalDavConnect caldav;
    private final Callers callers;

    private final OAuthConfiguration.OAuthSettings settings;

    InternalOAuthController(
            OAuthFlow flow, CalDavConnect caldav, Callers callers, OAuthConfiguration.OAuthSettings settings) {
        this.flow = flow;
        this.caldav = caldav;
        this.callers = callers;
        this.settings = settings;
    }

    @GetMapping("/oauth/{provider}/login")
    ResponseEntity<?> login(
            @PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        CalendarProvider p = provider(provider);
        OAuthFlow.Login login = flow.login(callers.userOf(authorization), p);
        URI authUrl = login.authUrl();
        String binding =
                BrowserBinding.set(login.state(), settings.frontendUrl()).toString();
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains(MediaType.APPLICATION_JSON_VALUE)) {
            return ResponseEntity.ok()
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header(HttpHeaders.SET_COOKIE, binding)
                    .body(Map.of("authUrl", authUrl.toString()));
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.SET_COOKIE, binding)
                .location(authUrl)
                .build();
    }

    @GetMapping("/oauth/{provider}/callback")
    ResponseEntity<Void> callback(
            @PathVariable String provider,
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @CookieValue(name = BrowserBinding.COOKIE, required = false) String browserState) {
        CalendarProvider p = provider(provider);
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(
                        HttpHeaders.SET_COOKIE,
                        BrowserBinding.clear(settings.frontendUrl()).toString())
                .location(flow.callback(p, code, state, error, browserState))
                .build();
    }

    @GetMapping("/oauth/session/{sessionId}")
    OAuthFlow.SessionView session(
            @PathVariable String sessionId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        UUID user = callers.userOf(authorization);
        return flow.session(user, uuid(sessionId, "session"));
    }

    record SelectRequest(String sessionId, List<String> calendarIds) {}

    @PostMapping("/oauth/{provider}/select")
    ResponseEntity<Map<String, List<CalendarView>>> select(
            @PathVariable String provider,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) SelectRequest body) {
        CalendarProvider p = provider(provider);
        UUID user = callers.userOf(authorization);
        if (body == null || body.sessionId() == null) {
            throw OAuthProblem.invalid("sessionId is required");
        }
        List<CalendarConnection> created = flow.select(user, p, uuid(body.sessionId(), "session"), body.calendarIds());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of(
                        "calendars",
                        created.stream()
                                .map(c -> CalendarView.of(c, c.getEventCount()))
                                .toList()));
    }

    record DiscoverRequest(String serverUrl, String username, String password) {
        @Override
        public String toString() {
            return "DiscoverRequest[serverUrl=?, username=" + username + "]"; // never the password
        }
    }

    /** {@code POST /caldav/discover}: a CalDAV account's calendars as a session (201), as an OAuth callback makes. */
    @PostMapping("/caldav/discover")
    ResponseEntity<OAuthFlow.SessionView> discover(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) DiscoverRequest body) {
        UUID user = callers.userOf(authorization);
        if (body == null) {
            throw OAuthProblem.invalid("serverUrl, username and password are required");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(caldav.discover(user, body.serverUrl(), body.username(), body.password()));
    }

    @PostMapping("/caldav/select")
    ResponseEntity<Map<String, List<CalendarView>>> selectCalDav(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) SelectRequest body) {
        UUID user = callers.userOf(authorization);
        if (body == null || body.sessionId() == null) {
            throw OAuthProblem.invalid("sessionId is required");
        }
        List<CalendarConnection> created =
                caldav.select(flow, user, uuid(body.sessionId(), "session"), body.calendarIds());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of(
                        "calendars",
                        created.stream()
                                .map(c -> CalendarView.of(c, c.getEventCount()))
                                .toList()));
    }

    @ExceptionHandler(OAuthProblem.class)
    ResponseEntity<ProblemDetail> problem(OAuthProblem e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(e.status, e.getMessage());
        p.setType(URI.create("https://calsync.dev/problems/"
                + e.code.toLowerCase(Locale.ROOT).replace('_', '-')));
        p.setTitle(e.status.getReasonPhrase());
        p.setProperty("code", e.code);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status == HttpStatus.UNAUTHORIZED) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return b.body(p);
    }

    private static CalendarProvider provider(String name) {
        return switch (name) {
            case "google" -> CalendarProvider.GOOGLE;
            case "microsoft" -> CalendarProvider.MICROSOFT;
            default -> throw OAuthProblem.notFound("provider");
        };
    }

    private static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw OAuthProblem.notFound(what);
        }
    }
}
