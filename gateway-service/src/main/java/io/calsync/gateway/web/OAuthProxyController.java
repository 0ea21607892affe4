package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contract's OAuth routes and the CalDAV connect routes ({@code /caldav/discover}, {@code /caldav/select}), forwarded to oauth-service ({@code OAUTH_SERVICE_URL}, internal): the caller's
 * credentials (login, session, select), {@code X-Request-Id} and {@code Accept} go along; status, {@code Location}
 * and body come back as they are (with the login's {@code Set-Cookie} that binds the flow to the browser, whose cookie
 * goes back to the callback; no other cookie is passed), except that an error comes back as the contract's problem with the public path
 * as its {@code instance} (oauth-service's own paths are internal). A down oauth-service is a 503 {@code
 * SERVICE_UNAVAILABLE}. The select body is read here, so a malformed one is the gateway's 400 like on every route.
 * The callback needs no user (the authentication filter lets it through); its state names the user. Query strings
 * (code, state) are never logged.
 */
@RestController
@RequestMapping("/api/v1/calendar")
public class OAuthProxyController {

    private static final Logger log = LoggerFactory.getLogger(OAuthProxyController.class);
    private static final Set<String> PROVIDERS = Set.of("google", "microsoft");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> RELAYED =
            Set.of("content-type", "location", "cache-control", "www-authenticate", "set-cookie");

    /** oauth-service's cookie that binds a login to the browser that started it: the only cookie passed along. */
    static final String BINDING_COOKIE = "calsync_oauth";

    private final RestClient http;
    private final String base;

    /**
     * Through Spring's {@link RestClient} from the auto-configured builder, so the call is observed: the trace of the
     * frontend's request continues in oauth-service ({@code traceparent}). No redirects are followed (the login and
     * callback answers are redirects meant for the browser).
     */
    public OAuthProxyController(
            RestClient.Builder builder, @Value("${OAUTH_SERVICE_URL:http://127.0.0.1:8081}") String oauthServiceUrl) {
        this.base = oauthServiceUrl.endsWith("/")
                ? oauthServiceUrl.substring(0, oauthServiceUrl.length() - 1)
                : oauthServiceUrl;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(3))
                .build());
        requests.setReadTimeout(Duration.ofSeconds(30));
        this.http = builder.clone().requestFactory(requests).build();
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "302",
            description = "to the provider's consent page (state + PKCE)",
            headers =
                    @io.swagger.v3.oas.annotations.headers.Header(
                            name = "Location",
                            description = "to the provider's consent page (state + PKCE)"),
            content = @io.swagger.v3.oas.annotations.media.Content)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "200",
            description = "with Accept: application/json",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "application/json",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            implementation = ApiDocs.LoginAnswer.class)))
    @GetMapping("/oauth/{provider}/login")
    public ResponseEntity<byte[]> login(@PathVariable String provider, HttpServletRequest request) {
        requireProvider(provider);
        return forward("GET", "/internal/oauth/" + provider + "/login", null, request, true);
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "302",
            description = "to FRONTEND_URL/calendar/connect?session=...&provider=..., or ...&error=<code>",
            headers =
                    @io.swagger.v3.oas.annotations.headers.Header(
                            name = "Location",
                            description =
                                    "to FRONTEND_URL/calendar/connect?session=...&provider=..., or ...&error=<code>"),
            content = @io.swagger.v3.oas.annotations.media.Content)
    @GetMapping("/oauth/{provider}/callback")
    public ResponseEntity<byte[]> callback(
            @PathVariable String provider,
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            HttpServletRequest request) {
        requireProvider(provider);
        StringBuilder query = new StringBuilder();
        append(query, "code", code);
        append(query, "state", state);
        append(query, "error", error);
        return forward(
                "GET",
                "/internal/oauth/" + provider + "/callback" + (query.isEmpty() ? "" : "?" + query),
                null,
                request,
                false);
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "200",
            description = "the session (its owner only)",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "application/json",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            implementation = ApiDocs.CalendarSession.class)))
    @GetMapping("/oauth/session/{sessionId}")
    public ResponseEntity<byte[]> session(@PathVariable String sessionId, HttpServletRequest request) {
        return forward(
                "GET",
                "/internal/oauth/session/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8),
                null,
                request,
                true);
    }

    /** The body of {@code POST /oauth/{provider}/select}; oauth-service checks its values. */
    public record SelectRequest(String sessionId, List<String> calendarIds) {}

    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "201",
            description = "one calendar per chosen id",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "application/json",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            implementation = ApiDocs.SelectedCalendars.class)))
    @PostMapping(path = "/oauth/{provider}/select", consumes = "application/json")
    public ResponseEntity<byte[]> select(
            @PathVariable String provider, @RequestBody SelectRequest body, HttpServletRequest request) {
        requireProvider(provider);
        return forward("POST", "/internal/oauth/" + provider + "/select", JSON.writeValueAsBytes(body), request, true);
    }

    /** The body of {@code POST /caldav/discover}; {@code toString} never shows the password. */
    public record DiscoverRequest(String serverUrl, String username, String password) {
        @Override
        public String toString() {
            return "DiscoverRequest[username=" + username + "]";
        }
    }

    /**
     * {@code POST /caldav/discover} (contract: "CalDAV calendars"): oauth-service reads the account's calendars into a
     * session. The body (with the password) is forwarded as read, never logged; the answer is not cached.
     */
    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "201",
            description = "the account's event calendars as a session",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "application/json",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            implementation = ApiDocs.CalendarSession.class)))
    @PostMapping(path = "/caldav/discover", consumes = "application/json")
    public ResponseEntity<byte[]> discoverCalDav(@RequestBody DiscoverRequest body, HttpServletRequest request) {
        return forward("POST", "/internal/caldav/discover", JSON.writeValueAsBytes(body), request, true);
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(
            responseCode = "201",
            description = "one calendar per chosen id",
            content =
                    @io.swagger.v3.oas.annotations.media.Content(
                            mediaType = "application/json",
                            schema =
                                    @io.swagger.v3.oas.annotations.media.Schema(
                                            implementation = ApiDocs.SelectedCalendars.class)))
    @PostMapping(path = "/caldav/select", consumes = "application/json")
    public ResponseEntity<byte[]> selectCalDav(@RequestBody SelectRequest body, HttpServletRequest request) {
        return forward("POST", "/internal/caldav/select", JSON.writeValueAsBytes(body), request, true);
    }

    private ResponseEntity<byte[]> forward(
            String method, String path, byte[] body, HttpServletRequest request, boolean withCredentials) {
        RestClient.RequestBodySpec call = http.method(HttpMethod.valueOf(method))
                .uri(URI.create(base + path)) // path and query are encoded already: no second encoding
                .header("X-Request-Id", RequestIds.of(request));
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null) {
            call.header(HttpHeaders.ACCEPT, accept);
        }
        if (request.getCookies() != null) {
            for (jakarta.servlet.http.Cookie c : request.getCookies()) {
                if (BINDING_COOKIE.equals(c.getName()) && c.getValue().matches("[A-Za-z0-9_-]{1,128}")) {
                    call.header(HttpHeaders.COOKIE, BINDING_COOKIE + "=" + c.getValue());
                }
            }
        }
        if (withCredentials) {
            String token = SecurityConfiguration.token(request);
            if (token != null) {
                call.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            }
        }
        if (body != null) {
            call.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        ResponseEntity<byte[]> response;
        try {
            response = call.exchange((req, res) -> ResponseEntity.status(res.getStatusCode())
                    .headers(res.getHeaders())
                    .body(res.getBody().readAllBytes()));
        } catch (ResourceAccessException e) {
            log.error(
                    "oauth-service unreachable: {}",
                    e.getMostSpecificCause().getClass().getSimpleName());
            throw unavailable();
        }
        int status = response.getStatusCode().value();
        if (status >= 500) {
            log.error("oauth-service answered {}", status);
        }
        HttpHeaders headers = new HttpHeaders();
        response.getHeaders().forEach((name, values) -> {
            if (RELAYED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.put(name, List.copyOf(values));
            }
        });
        byte[] answer = response.getBody();
        if (status >= 400) {
            headers.setContentType(MediaType.parseMediaType(Problems.MEDIA_TYPE));
            answer = publicProblem(status, answer, request.getRequestURI());
        }
        return ResponseEntity.status(status).headers(headers).body(answer);
    }

    /**
     * oauth-service's error as the contract's problem at the public path: its own problem (with {@code code}) keeps
     * its words; anything else (a framework default without {@code code}, an empty or non-JSON body) becomes the
     * contract's problem for that status.
     */
    static byte[] publicProblem(int status, byte[] body, String publicPath) {
        ObjectNode problem = null;
        try {
            if (body != null && body.length > 0 && JSON.readTree(body) instanceof ObjectNode node) {
                problem = node;
            }
        } catch (JacksonException e) {
            // not JSON: replaced below
        }
        if (problem == null || !problem.path("code").isString()) {
            HttpStatus s = HttpStatus.resolve(status) == null ? HttpStatus.BAD_GATEWAY : HttpStatus.valueOf(status);
            problem = JSON.valueToTree(Problems.body(s, Problems.codeFor(s), "the request could not be completed"));
        }
        problem.put("instance", publicPath);
        return JSON.writeValueAsBytes(problem);
    }

    private static ApiException unavailable() {
        return new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "calendar connection is unavailable; try again shortly",
                null);
    }

    private static void requireProvider(String provider) {
        if (!PROVIDERS.contains(provider)) {
            throw ApiException.notFound("provider");
        }
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value == null) {
            return;
        }
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
