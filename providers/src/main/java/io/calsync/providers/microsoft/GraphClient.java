package io.calsync.providers.microsoft;

import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.SyncTarget;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Graph v1.0 over the JDK's {@link HttpClient} and Jackson rather than the {@code microsoft-graph} SDK. The sync
 * follows {@code @odata.nextLink}/{@code @odata.deltaLink} verbatim (full URLs carrying opaque tokens), sends its own
 * {@code Prefer} headers on every call and must see each answer's status, {@code Retry-After} and error code to
 * classify it; the SDK's Kiota pipeline would add a retry and redirect middleware of its own on top of
 * {@link ProviderCalls} (two retry policies, one of them invisible), re-encode links and hide the raw answer. Plain
 * HTTP keeps the one retry policy and every header in view.
 *
 * <p>Every request carries {@code Prefer: outlook.timezone="UTC"} (start and end come back as exact UTC instants;
 * without it Graph also defaults to UTC, but saying so keeps a mailbox setting from ever changing it) and
 * {@code Prefer: IdType="ImmutableId"} (ids that survive a move between folders, the same in delta pages, GETs and
 * the answer to a POST). Redirects are not followed: the bearer token goes to the configured Graph origin only.
 *
 * <p>Failures become {@link ProviderException}s with Graph's {@code error.code}; their messages name the operation,
 * the status and the code, never the token, a URL (delta links are credentials of a sort) or Graph's error text
 * (which may quote event data).
 */
final class GraphClient {

    /** What an answer is about; decides what a 404, 409 or 410 means. */
    enum Scope {
        /** A calendarView delta page: 410 and the sync-state codes mean the delta link is dead. */
        DELTA,
        /** One event (GET, PATCH, DELETE, its instances): 404 and 410 mean it is gone. */
        EVENT,
        /** A create: 409 means our transactionId's event exists. */
        CREATE,
        /** Anything else. */
        OTHER
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** Graph's codes for a delta link whose sync state is gone (compared case-insensitively). */
    private static final Set<String> SYNC_STATE_CODES =
            Set.of("syncstatenotfound", "resyncrequired", "fullsyncrequired", "syncstateinvalid");

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final URI origin;
    private final ProviderCalls calls;
    private final HttpClient http;

    GraphClient(String baseUrl, ProviderCalls calls) {
        this(baseUrl, Objects.requireNonNull(calls), true);
    }

    /**
     * A client for single reads with a token in hand (the account right after the consent): no connection yet, so no
     * retry policy around it; {@link #once} only.
     */
    static GraphClient withoutRetries(String baseUrl) {
        return new GraphClient(baseUrl, null, false);
    }

    private GraphClient(String baseUrl, ProviderCalls calls, boolean unused) {
        this.baseUrl = stripTrailingSlash(Objects.requireNonNull(baseUrl));
        this.origin = URI.create(this.baseUrl);
        this.calls = calls;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code <base>/<path>}: {@code path} is already encoded ({@link #segment}). */
    URI url(String path) {
        return URI.create(baseUrl + path);
    }

    /** One path segment (an event or calendar id) percent-encoded. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query value percent-encoded. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A link Graph handed out (nextLink, deltaLink, a stored cursor) as a URI, provided it points at the configured
     * Graph origin: a link elsewhere would carry the bearer token to a stranger. Null when it does not.
     */
    URI link(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        try {
            URI u = URI.create(link.trim());
            boolean sameOrigin = origin.getScheme().equalsIgnoreCase(String.valueOf(u.getScheme()))
                    && origin.getHost().equalsIgnoreCase(String.valueOf(u.getHost()))
                    && port(origin) == port(u)
                    && u.getRawPath() != null
                    && (u.getRawPath().equals(origin.getRawPath())
                            || u.getRawPath().startsWith(origin.getRawPath() + "/"));
            return sameOrigin ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Runs one request through the shared retry policy ({@link ProviderCalls}): the JSON answer, or null (204). */
    JsonNode call(
            SyncTarget target,
            String op,
            String method,
            URI uri,
            JsonNode body,
            String ifMatch,
            Integer maxPageSize,
            Scope scope) {
        return calls.execute(target, op, token -> send(op, method, uri, token, body, ifMatch, maxPageSize, scope));
    }

    /** One GET with {@code token}, classified like every call but not retried: the JSON answer. */
    JsonNode once(String op, URI uri, String token) {
        return send(op, "GET", uri, token, null, null, null, Scope.OTHER);
    }

    private JsonNode send(
            String op,
            String method,
            URI uri,
            String token,
            JsonNode body,
            String ifMatch,
            Integer maxPageSize,
            Scope scope) {
        if (token == null || token.isBlank()) {
            throw new ProviderException(Kind.UNAUTHORIZED, 401, "noAccessToken", "Graph " + op + ": no access token");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("Prefer", "outlook.timezone=\"UTC\"")
                .header("Prefer", "IdType=\"ImmutableId\"")
                // Graph's support asks for it; it ties a failed call to their logs without any event data
                .header("client-request-id", UUID.randomUUID().toString());
        if (maxPageSize != null) {
            b.header("Prefer", "odata.maxpagesize=" + maxPageSize);
        }
        if (ifMatch != null && !ifMatch.isBlank()) {
            b.header("If-Match", etag(ifMatch));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException(
                    Kind.TRANSIENT,
                    0,
                    "io",
                    "Graph " + op + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.TRANSIENT, 0, "interrupted", "Graph " + op + " was interrupted");
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            String text = r.body();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(text);
            } catch (JacksonException e) {
                // a cut-off answer is the network's doing more often than Graph's
                throw new ProviderException(
                        Kind.TRANSIENT, status, "unreadableJson", "Graph " + op + " answered unreadable JSON");
            }
        }
        throw classify(op, status, r.headers().firstValue("Retry-After").orElse(null), r.body(), scope, Instant.now());
    }

    /** An If-Match value: a change key as the weak etag Graph gives out ({@code W/"<changeKey>"}), an etag as is. */
    static String etag(String changeKeyOrEtag) {
        String v = changeKeyOrEtag.trim();
        return v.startsWith("W/") || v.startsWith("\"") || v.equals("*") ? v : "W/\"" + v + "\"";
    }

    /**
     * Graph's answer as a {@link ProviderException}: 401 UNAUTHORIZED; on a delta 410 or a sync-state code
     * SYNC_STATE_INVALID; 429, and 503/504 with Retry-After, RATE_LIMITED; 404/410 on one event NOT_FOUND; 412
     * PRECONDITION_FAILED; 409 on a create CONFLICT; other 5xx TRANSIENT; other 4xx PERMANENT.
     */
    static ProviderException classify(
            String op, int status, String retryAfterHeader, String body, Scope scope, Instant now) {
        String code = errorCode(body);
        Duration retryAfter = retryAfter(retryAfterHeader, now);
        String tag = code != null ? code : String.valueOf(status);
        String message = "Graph " + op + " answered " + status + (code != null ? " " + code : "");
        Kind kind;
        if (status == 401) {
            kind = Kind.UNAUTHORIZED;
        } else if (scope == Scope.DELTA
                && (status == 410 || (code != null && SYNC_STATE_CODES.contains(code.toLowerCase(Locale.ROOT))))) {
            kind = Kind.SYNC_STATE_INVALID;
        } else if (status == 429 || ((status == 503 || status == 504) && retryAfter != null)) {
            kind = Kind.RATE_LIMITED;
        } else if ((status == 404 || status == 410) && scope == Scope.EVENT) {
            kind = Kind.NOT_FOUND;
        } else if (status == 412) {
            kind = Kind.PRECONDITION_FAILED;
        } else if (status == 409 && scope == Scope.CREATE) {
            kind = Kind.CONFLICT;
        } else if (status >= 500) {
            kind = Kind.TRANSIENT;
        } else {
            kind = Kind.PERMANENT;
        }
        return new ProviderException(kind, status, tag, message, retryAfter);
    }

    /** {@code error.code} of a Graph error body, or null. */
    static String errorCode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode code = JSON.readTree(body).path("error").path("code");
            return code.isString() && !code.asString().isBlank() ? code.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
