package io.calsync.providers.google;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.AccessTokenSource;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Google for the adapter's tests: one in-process sandbox per test JVM (a Spring start per class would cost
 * more than the tests), reached only over HTTP: accounts, tokens, seeded events and faults through its control API,
 * the adapter through Calendar v3 exactly as against Google.
 */
public final class GoogleSandbox {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GoogleSandbox() {}

    public static SandboxServer sandbox() {
        return io.calsync.providers.EmbeddedSandbox.get();
    }

    /** The contract's endpoints with GOOGLE_API_BASE_URL at the sandbox, the rest at their defaults. */
    public static ProviderEndpoints endpoints() {
        String root = sandbox().baseUrl() + "/google/";
        return ProviderEndpoints.from(name -> name.equals("GOOGLE_API_BASE_URL") ? root : null);
    }

    /** A Google account at the sandbox; its primary calendar's id is its email. */
    public record Account(String id, String email, String localPart) {}

    public static Account newAccount() {
        String local = "g" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = local + "@example.test";
        JsonNode a = control("POST", "/control/accounts", """
                {"provider":"GOOGLE","email":"%s","displayName":"Adapter Test"}
                """.formatted(email));
        return new Account(a.get("id").stringValue(), email, local);
    }

    public static String issueAccessToken(Account account) {
        return control("POST", "/control/accounts/" + account.id() + "/tokens", null)
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
    public record Calls(ProviderCalls calls, List<Duration> sleeps, SimpleMeterRegistry meters) {

        static Calls recording() {
            List<Duration> sleeps = new CopyOnWriteArrayList<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            return new Calls(
                    new ProviderCalls(meters, 4, Duration.ofMillis(1), Duration.ofSeconds(30), sleeps::add),
                    sleeps,
                    meters);
        }

        double errors(String code) {
            var counter = meters.find("calsync.sync.provider.errors")
                    .tag("code", code)
                    .counter();
            return counter == null ? 0 : counter.count();
        }
    }

    public static SyncTarget target(
            String calendarId, String cursor, Instant from, Instant to, AccessTokenSource tokens) {
        return new SyncTarget(
                UUID.randomUUID(),
                CalendarProvider.GOOGLE,
                calendarId,
                null,
                null,
                cursor,
                null,
                null,
                from,
                to,
                tokens);
    }

    // ---------------------------------------------------------------- control API

    /** Seeds an event "as the user at Google"; answers Google's JSON of it. */
    public static JsonNode seed(String calendarId, String eventJson) {
        return control("POST", "/control/google/calendars/" + enc(calendarId) + "/events", eventJson);
    }

    public static String seedId(String calendarId, String eventJson) {
        return seed(calendarId, eventJson).get("id").stringValue();
    }

    public static JsonNode patchAtGoogle(String calendarId, String eventId, String patchJson) {
        return control("PATCH", "/control/google/calendars/" + enc(calendarId) + "/events/" + enc(eventId), patchJson);
    }

    public static void deleteAtGoogle(String calendarId, String eventId) {
        control("DELETE", "/control/google/calendars/" + enc(calendarId) + "/events/" + enc(eventId), null);
    }

    /** Every stored event of the calendar, deleted ones included. */
    public static List<JsonNode> storedEvents(String calendarId) {
        List<JsonNode> out = new ArrayList<>();
        control("GET", "/control/google/calendars/" + enc(calendarId) + "/events", null)
                .forEach(out::add);
        return out;
    }

    /** A fault for requests whose path matches {@code pathPattern}, firing {@code times} times. */
    public static void fault(
            String method, String pathPattern, String kind, int status, int retryAfterSeconds, int times) {
        control("POST", "/control/faults", """
                {"id":null,"provider":"GOOGLE","method":"%s","pathPattern":"%s","kind":"%s","status":%d,
                 "latencyMs":0,"retryAfterSeconds":%d,"times":%d}
                """.formatted(method, pathPattern, kind, status, retryAfterSeconds, times));
    }

    public static JsonNode control(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox().baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode())
                    .as("control %s %s answered %s", method, path, r.body())
                    .isBetween(200, 299);
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- events to write

    /** A mutable recipe for the port's 23-field record, so that tests name only what they mean. */
    public static final class EventSpec {
        String id;
        String title;
        String description;
        String location;
        Instant start;
        Instant end;
        boolean allDay;
        LocalDate startDate;
        LocalDate endDate;
        String timezone;
        EventStatus status;
        List<String> recurrence;
        String recurringId;
        Instant originalStart;
        LocalDate originalStartDate;
        List<ProviderEvent.Attendee> attendees = List.of();
        List<ProviderEvent.Reminder> reminders = List.of();

        static EventSpec timed(String title, String start, String end, String zone) {
            EventSpec s = new EventSpec();
            s.title = title;
            s.start = Instant.parse(start);
            s.end = Instant.parse(end);
            s.timezone = zone;
            return s;
        }

        static EventSpec allDay(String title, String startDate, String endDate) {
            EventSpec s = new EventSpec();
            s.title = title;
            s.allDay = true;
            s.startDate = LocalDate.parse(startDate);
            s.endDate = LocalDate.parse(endDate);
            s.start = s.startDate.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            s.end = s.endDate.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            return s;
        }

        ProviderEvent build() {
            return new ProviderEvent(
                    id,
                    null,
                    title,
                    description,
                    location,
                    start,
                    end,
                    allDay,
                    startDate,
                    endDate,
                    timezone,
                    status,
                    recurrence,
                    recurringId,
                    originalStart,
                    originalStartDate,
                    null,
                    null,
                    null,
                    null,
                    null,
                    attendees,
                    reminders,
                    null);
        }
    }
}
