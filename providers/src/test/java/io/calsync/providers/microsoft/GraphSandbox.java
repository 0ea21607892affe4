package io.calsync.providers.microsoft;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.AccessTokenSource;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.SyncTarget;
import io.calsync.sandbox.SandboxServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Microsoft for the adapter's tests: one in-process sandbox per test JVM (a Spring start per class would
 * cost more than the tests), reached only over HTTP: accounts, tokens, seeded events and faults through its control
 * API ({@code /control/...}), the adapter through Graph exactly as against Microsoft.
 */
public final class GraphSandbox {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GraphSandbox() {}

    public static SandboxServer sandbox() {
        return io.calsync.providers.EmbeddedSandbox.get();
    }

    /** The contract's endpoints with MICROSOFT_GRAPH_BASE_URL at the sandbox, the rest at their defaults. */
    public static ProviderEndpoints endpoints() {
        String graph = sandbox().baseUrl() + "/graph/v1.0";
        return ProviderEndpoints.from(name -> name.equals("MICROSOFT_GRAPH_BASE_URL") ? graph : null);
    }

    /** A Microsoft account at the sandbox and its default calendar. */
    public record Account(String id, String email, String calendarId) {}

    public static Account newAccount() {
        String email = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "@outlook.test";
        JsonNode a = control("POST", "/control/accounts", """
                {"provider":"MICROSOFT","email":"%s","displayName":"Adapter Test"}
                """.formatted(email));
        String id = a.get("id").stringValue();
        String calendar = control("GET", "/control/microsoft/accounts/" + id + "/calendars", null)
                .get(0)
                .get("id")
                .stringValue();
        return new Account(id, email, calendar);
    }

    public static String issueAccessToken(Account account) {
        return control(
                        "POST",
                        "/control/accounts/" + account.id() + "/tokens?scope="
                                + enc("offline_access Calendars.ReadWrite User.Read"),
                        null)
                .get("access_token")
                .stringValue();
    }

    /**
     * The connection's tokens as the engine would hand them: {@link #refreshed()} gets a new access token (through
     * the control API, standing in for oauth-service) and counts how often it was asked.
     */
    public static final class Tokens implements AccessTokenSource {
        private final Account account;
        private volatile String current;
        final AtomicInteger refreshes = new AtomicInteger();

        Tokens(Account account) {
            this.account = account;
            this.current = issueAccessToken(account);
        }

        @Override
        public String current() {
            return current;
        }

        @Override
        public String refreshed() {
            refreshes.incrementAndGet();
            current = issueAccessToken(account);
            return current;
        }
    }

    /** The shared retry policy with tiny delays and a sleeper that records instead of sleeping. */
    public record Calls(ProviderCalls calls, List<Duration> sleeps) {

        static Calls recording() {
            List<Duration> sleeps = new CopyOnWriteArrayList<>();
            return new Calls(
                    new ProviderCalls(
                            new SimpleMeterRegistry(), 6, Duration.ofMillis(1), Duration.ofSeconds(30), sleeps::add),
                    sleeps);
        }
    }

    public static SyncTarget target(
            Account account, String cursor, Instant from, Instant to, AccessTokenSource tokens) {
        return new SyncTarget(
                UUID.randomUUID(),
                CalendarProvider.MICROSOFT,
                account.calendarId(),
                account.email(),
                null,
                cursor,
                null,
                null,
                from,
                to,
                tokens);
    }

    /** A sink that keeps every page. */
    public static final class Pages implements PageSink {
        record Page(List<ProviderEvent> upserts, List<String> removed) {}

        final List<Page> pages = new ArrayList<>();

        @Override
        public void accept(List<ProviderEvent> upserts, List<String> removedIds) {
            pages.add(new Page(List.copyOf(upserts), List.copyOf(removedIds)));
        }

        List<ProviderEvent> upserts() {
            return pages.stream().flatMap(p -> p.upserts().stream()).toList();
        }

        List<String> removed() {
            return pages.stream().flatMap(p -> p.removed().stream()).toList();
        }

        ProviderEvent upsert(String providerEventId) {
            return upserts().stream()
                    .filter(e -> e.providerEventId().equals(providerEventId))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no upsert of " + providerEventId));
        }
    }

    // ---------------------------------------------------------------- control API

    /** Creates an event "as the user in Outlook" in the account's default calendar; answers Graph's JSON of it. */
    public static JsonNode seed(Account account, String eventJson) {
        return control("POST", "/control/microsoft/accounts/" + account.id() + "/events", eventJson);
    }

    public static JsonNode patchInOutlook(String eventId, String patchJson) {
        return control("PATCH", "/control/microsoft/events/" + enc(eventId), patchJson);
    }

    public static void deleteInOutlook(String eventId) {
        control("DELETE", "/control/microsoft/events/" + enc(eventId), null);
    }

    /** Cancels an occurrence named by its original start ({@code 2026-03-17T17:00:00Z}) or local date. */
    public static void cancelOccurrence(String masterId, String originalStart) {
        control(
                "POST",
                "/control/microsoft/events/" + enc(masterId) + "/occurrences/" + originalStart + "/cancel",
                null);
    }

    public static JsonNode makeException(String masterId, String originalStart, String patchJson) {
        return control(
                "POST",
                "/control/microsoft/events/" + enc(masterId) + "/occurrences/" + originalStart + "/exception",
                patchJson);
    }

    public static void invalidateDeltaTokens(Account account) {
        control("POST", "/control/microsoft/calendars/" + enc(account.calendarId()) + "/invalidate-delta-tokens", null);
    }

    /** The single instances and series masters of the account, as Graph JSON. */
    public static List<JsonNode> storedEvents(Account account) {
        List<JsonNode> out = new ArrayList<>();
        control("GET", "/control/microsoft/accounts/" + account.id() + "/events", null)
                .forEach(out::add);
        return out;
    }

    public static JsonNode storedEvent(String eventId) {
        return control("GET", "/control/microsoft/events/" + enc(eventId), null);
    }

    public static void expireAccessTokens(Account account) {
        control("POST", "/control/accounts/" + account.id() + "/expire-access-tokens", null);
    }

    /** A fault for Graph requests whose path matches {@code pathPattern} (a regex), firing {@code times} times. */
    public static void fault(
            String method, String pathPattern, String kind, int status, int retryAfterSeconds, int times) {
        control("POST", "/control/faults", """
                {"id":null,"provider":"MICROSOFT","method":"%s","pathPattern":"%s","kind":"%s","status":%d,
                 "latencyMs":0,"retryAfterSeconds":%d,"times":%d}
                """.formatted(
                        method, pathPattern.replace("\\", "\\\\"), kind, status, retryAfterSeconds, times));
    }

    public static void clearFaults() {
        control("DELETE", "/control/faults", null);
    }

    /** A Graph call as any client would make it (to look at what the adapter wrote). */
    public static JsonNode graph(String method, String path, String token) {
        return call(method, sandbox().baseUrl() + "/graph/v1.0" + path, token, null);
    }

    public static JsonNode control(String method, String path, String body) {
        return call(method, sandbox().baseUrl() + path, null, body);
    }

    private static JsonNode call(String method, String url, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new AssertionError(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
