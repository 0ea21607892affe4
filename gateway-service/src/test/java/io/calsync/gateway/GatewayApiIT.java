package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.persistence.CalendarEvent;
import io.calsync.model.persistence.CalendarEventRepository;
import io.calsync.model.persistence.CalendarUserRepository;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The frontend API end to end on a real PostgreSQL, Kafka broker and (when it answers) Redis: identity, ownership
 * (another user's ids are 404), validation, problem+json everywhere, rate limits, and the outbox commands that
 * local writes put on Kafka.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "CORS_ORIGINS=http://localhost:3000",
            "spring.profiles.active=dev"
        })
class GatewayApiIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
        registry.add(
                "OAUTH_SERVICE_URL",
                () -> "http://127.0.0.1:" + OAUTH_STAND_IN.getAddress().getPort());
    }

    /**
     * Stands in for oauth-service at its internal paths, answering errors the way Spring's defaults and oauth-service
     * do: a framework problem without {@code code}, an own problem with one, both naming the internal path.
     */
    static final ConcurrentLinkedQueue<String> OAUTH_TRACEPARENTS = new ConcurrentLinkedQueue<>();

    static final HttpServer OAUTH_STAND_IN = oauthStandIn();

    static HttpServer oauthStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/internal/oauth/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                exchange.getRequestBody().readAllBytes();
                OAUTH_TRACEPARENTS.add(
                        String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
                String body = path.endsWith("/select")
                        ? "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                                + "\"detail\":\"Failed to read request\",\"instance\":\"" + path + "\"}"
                        : "{\"type\":\"https://calsync.dev/problems/not-found\",\"title\":\"Not Found\","
                                + "\"status\":404,\"detail\":\"session not found\",\"code\":\"NOT_FOUND\","
                                + "\"instance\":\"" + path + "\"}";
                byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(path.endsWith("/select") ? 400 : 404, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ConcurrentLinkedQueue<CalendarMessage> consumed = new ConcurrentLinkedQueue<>();
    static volatile boolean consuming = true;
    static Thread consumer;

    @BeforeAll
    static void consumeTopics() {
        consumer = Thread.ofVirtual().start(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestInfrastructure.kafkaBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "gateway-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class,
                    // The topics appear when the context starts, after this subscription: look for them often.
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                    500))) {
                c.subscribe(java.util.regex.Pattern.compile("calendar\\..*"));
                while (consuming) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> consumed.add(MessageCodec.decode(r.value())));
                }
            }
        });
    }

    @AfterAll
    static void stopConsuming() throws InterruptedException {
        consuming = false;
        consumer.join(5_000);
    }

    @LocalServerPort
    int port;

    @Autowired
    CalendarConnectionRepository connections;

    @Autowired
    CalendarEventRepository events;

    @Autowired
    CalendarUserRepository users;

    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, String contentType, JsonNode body, HttpResponse<String> raw) {}

    Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode node = res.body().isBlank() ? null : JSON.readTree(res.body());
        return new Reply(
                res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), node, res);
    }

    static String user() {
        return TestTokens.forEmail("user-" + UUID.randomUUID() + "@example.com");
    }

    /** A connected Google calendar of the token's user, as the OAuth flow would leave it. */
    CalendarConnection calendarOf(String token, String name) throws Exception {
        call("GET", "/api/v1/calendar/calendars", token, null); // creates the user
        String email = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]))
                .get("email")
                .asString();
        UUID userId = users.findByEmail(email).orElseThrow().getId();
        CalendarConnection c =
                new CalendarConnection(userId, CalendarProvider.GOOGLE, name + "@group.calendar.google.com", name);
        c.setAccountEmail(email);
        return connections.save(c);
    }

    static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().get("code").asString()).isEqualTo(code);
        assertThat(r.body().get("status").asInt()).isEqualTo(status);
        assertThat(r.body().has("title")).isTrue();
        assertThat(r.body().has("detail")).isTrue();
        assertThat(r.raw().body()).doesNotContain("Exception", "at io.", "SELECT ");
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void thereIsNoUserStoreAndNoGeneratedPassword() {
        // callers are the main app's tokens only: no in-memory user that some chain could one day accept
        assertThat(context.getBeanNamesForType(org.springframework.security.core.userdetails.UserDetailsService.class))
                .isEmpty();
    }

    @Test
    void aPostForgedByAnotherSiteRidingOnTheCookieIs403AndTheFrontendsPasses() throws Exception {
        String token = user();
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars/sync-all"))
                        .header("Cookie", "access_token=" + token)
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(forged.body()).get("code").asString()).isEqualTo("CROSS_SITE_REQUEST");
        HttpResponse<String> frontend = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars/sync-all"))
                        .header("Cookie", "access_token=" + token)
                        .header("Origin", "http://localhost:3000")
                        .header("Sec-Fetch-Site", "same-site")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(frontend.statusCode()).as(frontend.body()).isEqualTo(202);
        // A browser that names the request cross-site but sends no Origin: the cookie check refuses it on its own.
        HttpResponse<String> noOrigin = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars/sync-all"))
                        .header("Cookie", "access_token=" + token)
                        .header("Sec-Fetch-Site", "cross-site")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(noOrigin.body()).get("code").asString()).isEqualTo("CROSS_SITE_REQUEST");
        HttpResponse<String> bearer = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars/sync-all"))
                        .header("Authorization", "Bearer " + token)
                        .header("Sec-Fetch-Site", "cross-site")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode())
                .as("no other site can make a browser send the bearer header: %s", bearer.body())
                .isEqualTo(202);
    }

    @Test
    void refusesMissingInvalidAndExpiredTokensButAcceptsTheCookie() throws Exception {
        assertProblem(call("GET", "/api/v1/calendar/calendars", null, null), 401, "UNAUTHENTICATED");
        assertProblem(call("GET", "/api/v1/calendar/calendars", "not-a-jwt", null), 401, "UNAUTHENTICATED");
        assertProblem(
                call(
                        "GET",
                        "/api/v1/calendar/calendars",
                        TestTokens.forEmail("late@example.com", Duration.ofMinutes(-5)),
                        null),
                401,
                "UNAUTHENTICATED");
        HttpResponse<String> viaCookie = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars"))
                        .header("Cookie", "access_token=" + user())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaCookie.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(viaCookie.body()).get("calendars").isArray()).isTrue();
    }

    @Test
    void concurrentFirstCallsOfAnEmailCreateOneUser() throws Exception {
        String email = "first-" + UUID.randomUUID() + "@example.com";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> call("GET", "/api/v1/calendar/calendars", TestTokens.forEmail(email), null)
                    .status()));
        }
        for (Future<Integer> f : results) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_users WHERE lower(email) = ?", Integer.class, email))
                .isEqualTo(1);
    }

    @Test
    void calendarsHaveTheContractShapeAndAnotherUsersIdIs404() throws Exception {
        String ada = user();
        String eve = user();
        CalendarConnection c = calendarOf(ada, "Work");
        Reply list = call("GET", "/api/v1/calendar/calendars", ada, null);
        assertThat(list.status()).isEqualTo(200);
        JsonNode cal = list.body().get("calendars").get(0);
        for (String field : List.of(
                "id",
                "provider",
                "calendarName",
                "providerCalendarId",
                "accountEmail",
                "color",
                "isPrimary",
                "isReadOnly",
                "isConnected",
                "syncStatus",
                "lastSyncedAt",
                "lastSyncError",
                "eventCount",
                "icsUrl",
                "createdAt")) {
            assertThat(cal.has(field)).as(field).isTrue();
        }
        assertThat(cal.get("provider").asString()).isEqualTo("GOOGLE");
        assertThat(cal.get("icsUrl").isNull()).isTrue();
        assertThat(cal.get("syncStatus").asString()).isEqualTo("PENDING");

        String id = c.getId().toString();
        assertThat(call("GET", "/api/v1/calendar/calendars/" + id, ada, null).status())
                .isEqualTo(200);
        assertProblem(call("GET", "/api/v1/calendar/calendars/" + id, eve, null), 404, "NOT_FOUND");
        assertProblem(call("POST", "/api/v1/calendar/calendars/" + id + "/sync", eve, null), 404, "NOT_FOUND");
        assertProblem(call("DELETE", "/api/v1/calendar/calendars/" + id, eve, null), 404, "NOT_FOUND");
        assertProblem(
                call(
                        "GET",
                        "/api/v1/calendar/events?start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z&calendarId=" + id,
                        eve,
                        null),
                404,
                "NOT_FOUND");
        assertProblem(
                call(
                        "POST",
                        "/api/v1/calendar/events",
                        eve,
                        "{\"calendarId\":\"" + id + "\",\"title\":\"x\","
                                + "\"startTime\":\"2026-11-24T10:00:00Z\",\"endTime\":\"2026-11-24T11:00:00Z\"}"),
                404,
                "NOT_FOUND");
        assertThat(call("GET", "/api/v1/calendar/calendars", eve, null)
                        .body()
                        .get("calendars")
                        .size())
                .isZero();
        assertProblem(call("GET", "/api/v1/calendar/calendars/not-a-uuid", ada, null), 404, "NOT_FOUND");

        Reply stats = call("GET", "/api/v1/calendar/calendars/stats", ada, null);
        assertThat(stats.body().get("totalCalendars").asInt()).isEqualTo(1);
        assertThat(stats.body().get("byProvider").get("GOOGLE").asInt()).isEqualTo(1);
        assertThat(stats.body().get("byProvider").get("ICS").asInt()).isZero();
    }

    @Test
    void syncRequestsReachKafkaThroughTheOutbox() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Sync");
        Reply r = call("POST", "/api/v1/calendar/calendars/" + c.getId() + "/sync", ada, null);
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.body().get("status").asString()).isEqualTo("QUEUED");
        assertThat(r.body().get("requestId").asString()).isNotBlank();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumed.stream()
                        .anyMatch(m ->
                                m instanceof SyncRequested s && s.connectionId().equals(c.getId())));
        Reply all = call("POST", "/api/v1/calendar/calendars/sync-all", ada, null);
        assertThat(all.status()).isEqualTo(202);
        assertThat(all.body().get("queued").asInt()).isEqualTo(1);
    }

    @Test
    void aCreatedEventIsPendingAndItsCommandReachesTheTopicOnce() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Events");
        Reply created = call("POST", "/api/v1/calendar/events", ada, """
                {"calendarId":"%s","title":"Design review","startTime":"2026-11-24T10:00:00Z","endTime":"2026-11-24T11:00:00Z",
                 "timezone":"Europe/Berlin","location":"Room 1","attendees":[{"email":"Grace@Example.com"}],
                 "reminders":[{"method":"POPUP","minutesBefore":10}]}
                """.formatted(c.getId()));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        JsonNode e = created.body();
        assertThat(e.get("syncStatus").asString()).isEqualTo("PENDING");
        assertThat(e.get("startDate").isNull()).isTrue();
        assertThat(e.get("attendees").get(0).get("email").asString()).isEqualTo("grace@example.com");
        assertThat(e.get("attendees").get(0).get("responseStatus").asString()).isEqualTo("NEEDS_ACTION");
        assertThat(e.get("reminders").get(0).get("minutesBefore").asInt()).isEqualTo(10);
        UUID eventId = UUID.fromString(e.get("id").asString());
        await().atMost(Duration.ofSeconds(30)).until(() -> commands(eventId).size() == 1);
        Thread.sleep(500);
        assertThat(commands(eventId))
                .singleElement()
                .satisfies(m -> assertThat(m.action()).isEqualTo(EventCommand.Action.CREATE));

        Reply updated = call("PUT", "/api/v1/calendar/events/" + eventId, ada, "{\"title\":\"Design review (moved)\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("title").asString()).isEqualTo("Design review (moved)");
        assertThat(updated.body().get("location").asString()).isEqualTo("Room 1"); // omitted fields keep their values

        String eve = user();
        assertProblem(call("GET", "/api/v1/calendar/events/" + eventId, eve, null), 404, "NOT_FOUND");
        assertProblem(call("PUT", "/api/v1/calendar/events/" + eventId, eve, "{\"title\":\"mine\"}"), 404, "NOT_FOUND");
        assertProblem(call("DELETE", "/api/v1/calendar/events/" + eventId, eve, null), 404, "NOT_FOUND");
        assertProblem(call("POST", "/api/v1/calendar/events/" + eventId + "/retry-sync", eve, null), 404, "NOT_FOUND");
        assertProblem(call("POST", "/api/v1/calendar/events/" + eventId + "/retry-sync", ada, null), 409, "CONFLICT");

        assertThat(call("DELETE", "/api/v1/calendar/events/" + eventId, ada, null)
                        .status())
                .isEqualTo(204);
        assertProblem(call("GET", "/api/v1/calendar/events/" + eventId, ada, null), 404, "NOT_FOUND");
        Reply audit = call("GET", "/api/v1/calendar/audit", ada, null);
        assertThat(audit.body().get("entries").findValuesAsString("action"))
                .contains("event.create", "event.update", "event.delete");
        assertThat(call("GET", "/api/v1/calendar/audit", eve, null)
                        .body()
                        .get("entries")
                        .size())
                .isZero();
    }

    List<EventCommand> commands(UUID eventId) {
        return consumed.stream()
                .filter(m -> m instanceof EventCommand ec && ec.localEventId().equals(eventId))
                .map(m -> (EventCommand) m)
                .toList();
    }

    @Test
    void validationNamesEveryBadFieldAnd404ComesFirst() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Validation");
        Reply bad = call("POST", "/api/v1/calendar/events", ada, """
                {"calendarId":"%s","title":"","startTime":"2026-11-24T11:00:00Z","endTime":"2026-11-24T10:00:00Z",
                 "timezone":"Mars/Olympus","attendees":[{"email":"nope"}],"reminders":[{"minutesBefore":-1}],
                 "recurrenceRule":"FREQ=SOMETIMES"}
                """.formatted(c.getId()));
        assertProblem(bad, 422, "VALIDATION_FAILED");
        assertThat(bad.body().get("errors").findValuesAsString("field"))
                .contains(
                        "title",
                        "endTime",
                        "timezone",
                        "attendees[0].email",
                        "reminders[0].minutesBefore",
                        "recurrenceRule");
        Reply unknownCalendar = call(
                "POST",
                "/api/v1/calendar/events",
                ada,
                "{\"calendarId\":\"" + UUID.randomUUID() + "\",\"title\":\"\"}");
        assertProblem(unknownCalendar, 404, "NOT_FOUND");
        Reply allDayWithoutDates = call(
                "POST",
                "/api/v1/calendar/events",
                ada,
                "{\"calendarId\":\"" + c.getId() + "\",\"title\":\"Holiday\",\"isAllDay\":true}");
        assertThat(allDayWithoutDates.body().get("errors").findValuesAsString("field"))
                .contains("startDate", "endDate");
        assertProblem(
                call("GET", "/api/v1/calendar/events?start=2026-01-01T00:00:00Z&end=2027-06-01T00:00:00Z", ada, null),
                422,
                "VALIDATION_FAILED");
        assertProblem(
                call("GET", "/api/v1/calendar/events?end=2026-06-01T00:00:00Z", ada, null), 422, "VALIDATION_FAILED");
        assertProblem(
                call("GET", "/api/v1/calendar/events?start=yesterday&end=2026-06-01T00:00:00Z", ada, null),
                422,
                "VALIDATION_FAILED");
        assertProblem(call("GET", "/api/v1/calendar/events/upcoming?limit=0", ada, null), 422, "VALIDATION_FAILED");
        assertProblem(call("GET", "/api/v1/calendar/events/upcoming?limit=101", ada, null), 422, "VALIDATION_FAILED");
    }

    @Test
    void theFirstAnswersAFrontendMeetsAreTheContractsProblems() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "First");

        // Every missing field at once, not only calendarId.
        Reply empty = call("POST", "/api/v1/calendar/events", ada, "{}");
        assertProblem(empty, 422, "VALIDATION_FAILED");
        assertThat(empty.body().get("errors").findValuesAsString("field"))
                .contains("calendarId", "title", "startTime", "endTime");
        assertProblem(
                call("POST", "/api/v1/calendar/events", ada, "{\"calendarId\":\"" + UUID.randomUUID() + "\"}"),
                404,
                "NOT_FOUND");

        // A path id that cannot be an id: 404 on every id route.
        for (String[] route : List.of(
                new String[] {"GET", "/api/v1/calendar/calendars/not-a-uuid"},
                new String[] {"DELETE", "/api/v1/calendar/calendars/not-a-uuid"},
                new String[] {"POST", "/api/v1/calendar/calendars/not-a-uuid/sync"},
                new String[] {"GET", "/api/v1/calendar/events/not-a-uuid"},
                new String[] {"DELETE", "/api/v1/calendar/events/not-a-uuid"},
                new String[] {"POST", "/api/v1/calendar/events/not-a-uuid/retry-sync"})) {
            assertProblem(call(route[0], route[1], ada, null), 404, "NOT_FOUND");
        }
        assertProblem(call("PUT", "/api/v1/calendar/events/not-a-uuid", ada, "{\"title\":\"x\"}"), 404, "NOT_FOUND");
        assertProblem(call("PUT", "/api/v1/calendar/ics/not-a-uuid", ada, "{\"displayName\":\"x\"}"), 404, "NOT_FOUND");

        // The 201 answer carries the stored timestamps.
        Reply created = call("POST", "/api/v1/calendar/events", ada, """
                {"calendarId":"%s","title":"Stamped","startTime":"2026-11-24T10:00:00Z","endTime":"2026-11-24T11:00:00Z"}
                """.formatted(c.getId()));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().get("createdAt").isString())
                .as(created.raw().body())
                .isTrue();
        assertThat(created.body().get("updatedAt").isString()).isTrue();
        JsonNode stored = call(
                        "GET",
                        "/api/v1/calendar/events/" + created.body().get("id").asString(),
                        ada,
                        null)
                .body();
        assertThat(Instant.parse(created.body().get("createdAt").asString()))
                .isEqualTo(Instant.parse(stored.get("createdAt").asString()));

        // The OAuth routes: a malformed select body is the gateway's own 400; oauth-service's errors come back as
        // the contract's problems at the public path.
        String select = "/api/v1/calendar/oauth/google/select";
        Reply malformed = call("POST", select, ada, "{\"sessionId\": ");
        assertProblem(malformed, 400, "MALFORMED_REQUEST");
        assertThat(malformed.body().get("instance").asString()).isEqualTo(select);
        Reply relayed = call("POST", select, ada, "{\"sessionId\":\"" + UUID.randomUUID() + "\",\"calendarIds\":[]}");
        assertProblem(relayed, 400, "MALFORMED_REQUEST");
        assertThat(relayed.body().get("instance").asString()).isEqualTo(select);
        String session = "/api/v1/calendar/oauth/session/" + UUID.randomUUID();
        Reply own = call("GET", session, ada, null);
        assertProblem(own, 404, "NOT_FOUND");
        assertThat(own.body().get("detail").asString()).isEqualTo("session not found");
        assertThat(own.body().get("instance").asString()).isEqualTo(session);
        assertThat(own.raw().body()).doesNotContain("/internal/");
        // The call to oauth-service is observed: it carries the W3C trace context of the frontend's request.
        assertThat(OAUTH_TRACEPARENTS)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"));
    }

    @Test
    void everyErrorIsProblemJson() throws Exception {
        String ada = user();
        assertProblem(call("GET", "/api/v1/calendar/no-such-route", ada, null), 404, "NOT_FOUND");
        Reply method = call("PATCH", "/api/v1/calendar/calendars", ada, "{}");
        assertProblem(method, 405, "METHOD_NOT_ALLOWED");
        HttpResponse<String> wrongType = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/events"))
                        .header("Authorization", "Bearer " + ada)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertProblem(call("POST", "/api/v1/calendar/events", ada, "{\"calendarId\": oops"), 400, "MALFORMED_REQUEST");
        assertProblem(
                call("POST", "/api/v1/calendar/events", ada, "{\"title\":\"" + "x".repeat(300_000) + "\"}"),
                413,
                "PAYLOAD_TOO_LARGE");
    }

    @Test
    void eventWritesAreLimitedTo30AMinuteWhateverTheirOutcome() throws Exception {
        String ada = user();
        int limited = 0;
        Reply last = null;
        for (int i = 0; i < 31; i++) {
            last = call("POST", "/api/v1/calendar/events", ada, "{\"calendarId\":\"" + UUID.randomUUID() + "\"}");
            if (last.status() == 429) {
                limited++;
            }
        }
        assertThat(limited).isEqualTo(1);
        assertProblem(last, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(
                        last.raw().headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1, 60);
        // Reads are not limited, and another user has a budget of their own.
        assertThat(call("GET", "/api/v1/calendar/calendars", ada, null).status())
                .isEqualTo(200);
        assertThat(call("POST", "/api/v1/calendar/events", user(), "{\"calendarId\":\"" + UUID.randomUUID() + "\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void calDavDiscoveryIsAConnectionOperationForTheRateLimit() throws Exception {
        String ada = user();
        String body = "{\"serverUrl\":\"https://caldav.example.com/\",\"username\":\"ada\",\"password\":\"p\"}";
        // The CONNECTION budget (10 a minute) is shared with the feed routes: 5 validations, then 5 discoveries.
        for (int i = 0; i < 5; i++) {
            assertThat(call("POST", "/api/v1/calendar/ics/validate", ada, "{\"url\":\"not a url\"}")
                            .status())
                    .isNotEqualTo(429);
        }
        for (int i = 0; i < 5; i++) {
            Reply r = call("POST", "/api/v1/calendar/caldav/discover", ada, body);
            assertThat(r.status()).as(r.raw().body()).isNotIn(429, 500);
        }
        Reply limited = call("POST", "/api/v1/calendar/caldav/discover", ada, body);
        assertProblem(limited, 429, "RATE_LIMITED");
        // Selecting is not a discovery: not counted as one.
        assertThat(call(
                                "POST",
                                "/api/v1/calendar/caldav/select",
                                ada,
                                "{\"sessionId\":\"" + UUID.randomUUID() + "\",\"calendarIds\":[\"x\"]}")
                        .status())
                .isNotEqualTo(429);
    }

    @Test
    void noPathSpellingEscapesTheLimitsOrTheAuthentication() throws Exception {
        String ada = user();
        // Spellings with a second meaning are refused before any filter or handler.
        for (String path : List.of(
                "/api/v1/calendar/ics/validate;x",
                "/api/v1/calendar/ics;jsessionid=1/validate",
                "/api/v1/calendar/ics%2Fvalidate",
                "/api/v1/calendar/ics/%2e%2e/ics/validate",
                "/api/v1/calendar//ics/validate",
                "/api/v1/calendar/ics/./validate")) {
            assertProblem(call("POST", path, ada, "{\"url\":\"https://example.com/a.ics\"}"), 400, "MALFORMED_REQUEST");
        }
        // An encoded letter reaches the route it decodes to, and is authenticated and counted as that route.
        assertProblem(call("GET", "/api/v1/calendar/%63alendars", null, null), 401, "UNAUTHENTICATED");
        assertThat(call("GET", "/api/v1/calendar/%63alendars", ada, null).status())
                .isEqualTo(200);
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            Reply r = call(
                    "POST",
                    i % 2 == 0 ? "/api/v1/calendar/ics/%76alidate" : "/api/v1/calendar/ics/validate",
                    ada,
                    "{\"url\":\"not a url\"}");
            assertThat(r.status()).as(r.raw().body()).isNotIn(200, 500);
            limited += r.status() == 429 ? 1 : 0;
        }
        assertThat(limited).isZero();
        assertProblem(
                call("POST", "/api/v1/calendar/ics/%76alidate", ada, "{\"url\":\"not a url\"}"), 429, "RATE_LIMITED");
    }

    @Autowired
    org.springframework.data.redis.core.StringRedisTemplate redis;

    @Autowired
    io.calsync.gateway.persistence.RedisAvailability redisAvailability;

    @Test
    void aTokenTheMainAppBlacklistedIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(redisAvailability.useRedis(), "Redis does not answer here");
        String jti = UUID.randomUUID().toString();
        String token = io.jsonwebtoken.Jwts.builder()
                .claim("email", "logout-" + jti + "@example.com")
                .id(jti)
                .expiration(java.util.Date.from(Instant.now().plusSeconds(600)))
                .signWith(new javax.crypto.spec.SecretKeySpec(
                        TestTokens.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"))
                .compact();
        assertThat(call("GET", "/api/v1/calendar/calendars", token, null).status())
                .isEqualTo(200);
        redis.opsForValue().set("token_blacklist:" + jti, "1", Duration.ofMinutes(5));
        assertProblem(call("GET", "/api/v1/calendar/calendars", token, null), 401, "UNAUTHENTICATED");
    }

    @Test
    void twoReplicasShareOneLimitThroughRedis() {
        org.junit.jupiter.api.Assumptions.assumeTrue(redisAvailability.useRedis(), "Redis does not answer here");
        // two replicas: two limiters with their own Redis connections, one bucket
        var a = new io.calsync.gateway.persistence.RateLimiter(redisAvailability, environment);
        var b = new io.calsync.gateway.persistence.RateLimiter(redisAvailability, environment);
        UUID userId = UUID.randomUUID();
        int allowed = 0;
        for (int i = 0; i < 6; i++) {
            var limiter = i % 2 == 0 ? a : b;
            if (limiter.acquire(io.calsync.gateway.application.LimitClass.SYNC, userId)
                    .allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
        a.destroy();
        b.destroy();
    }

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void corsHeadersReachTheFrontendEvenOnA401() throws Exception {
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/events"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://localhost:3000")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "authorization,content-type")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("http://localhost:3000");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
                .contains("true");
        // The safe-write headers pass a browser's preflight, and the ETag is readable by the frontend.
        HttpResponse<String> safeWrite = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/events/x"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://localhost:3000")
                        .header("Access-Control-Request-Method", "PUT")
                        .header("Access-Control-Request-Headers", "if-match,idempotency-key,content-type")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(safeWrite.statusCode()).isEqualTo(200);
        assertThat(safeWrite
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("if-match")
                .contains("idempotency-key");
        HttpResponse<String> unauthorized = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars"))
                        .header("Origin", "http://localhost:3000")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("http://localhost:3000");
        HttpResponse<String> foreign = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/calendar/calendars"))
                        .header("Origin", "https://evil.example")
                        .header("Authorization", "Bearer " + user())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void disconnectingRemovesTheEventsAndTellsTheSyncEngine() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Goodbye");
        CalendarEvent e = new CalendarEvent(
                c.getId(), Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T11:00:00Z"));
        e.setProviderEventId("bye1");
        e.setTitle("Last one");
        events.save(e);
        assertThat(call("DELETE", "/api/v1/calendar/calendars/" + c.getId(), ada, null)
                        .status())
                .isEqualTo(204);
        assertProblem(call("GET", "/api/v1/calendar/calendars/" + c.getId(), ada, null), 404, "NOT_FOUND");
        assertThat(events.findById(e.getId())).isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumed.stream()
                        .anyMatch(m -> m instanceof io.calsync.model.messaging.ConnectionRemoved r
                                && r.connectionId().equals(c.getId())));
    }

    @Test
    void theOpenApiDescriptionListsTheRoutes() throws Exception {
        HttpResponse<String> docs = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(docs.body()).get("paths");
        assertThat(paths.has("/api/v1/calendar/events")).isTrue();
        assertThat(paths.has("/api/v1/calendar/calendars/{id}")).isTrue();
        assertThat(paths.has("/api/v1/calendar/events/upcoming")).isTrue();
    }

    /** A series as a feed may store it: any rule, from any year. */
    CalendarEvent series(CalendarConnection c, String rule, String start, String zone) {
        Instant t = Instant.parse(start);
        CalendarEvent m = new CalendarEvent(c.getId(), t, t.plusSeconds(60));
        m.setProviderEventId("hostile-" + UUID.randomUUID());
        m.setTitle(rule);
        m.setTimezone(zone);
        m.setRecurrenceRule(rule);
        m.setRecurrence(List.of("RRULE:" + rule));
        return events.save(m);
    }

    @Test
    void hostileSeriesFromAFeedNeitherHangTheRangeNorFloodTheAnswer() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Hostile");
        series(c, "FREQ=SECONDLY", "1990-01-01T00:00:00Z", "UTC");
        series(c, "FREQ=MINUTELY;COUNT=99999999", "1990-01-01T00:00:00Z", "UTC");
        series(c, "FREQ=HOURLY", "1900-01-01T00:30:00Z", "Europe/Berlin");
        series(
                c,
                "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
                "1901-03-01T00:00:00Z",
                "UTC");

        // One minute of a day: answered at once; the SECONDLY and MINUTELY series are not expanded at all.
        long t0 = System.nanoTime();
        Reply minute =
                call("GET", "/api/v1/calendar/events?start=2026-12-07T10:00:00Z&end=2026-12-07T10:01:00Z", ada, null);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(minute.status()).as(minute.raw().body()).isEqualTo(200);
        assertThat(millis).as("answered within the expansion budget").isLessThan(5_000);
        assertThat(minute.body().get("events").findValuesAsString("title"))
                .doesNotContain("FREQ=SECONDLY", "FREQ=MINUTELY;COUNT=99999999");
        assertThat(minute.body().get("truncated").asBoolean()).isFalse();

        // A year: ~8,760 hourly occurrences plus as many from the daily rule: one answer holds the earliest 5,000.
        Reply year =
                call("GET", "/api/v1/calendar/events?start=2150-01-01T00:00:00Z&end=2150-12-31T00:00:00Z", ada, null);
        assertThat(year.status()).as(year.raw().body()).isEqualTo(200);
        assertThat(year.body().get("events").size()).isEqualTo(5_000);
        assertThat(year.body().get("truncated").asBoolean()).isTrue();
        List<String> starts = year.body().get("events").findValuesAsString("startTime");
        assertThat(starts).isSorted().startsWith("2150-01-01T00:00:00Z");

        // Years outside 1900..2200 are refused before any SQL or expansion.
        assertProblem(
                call("GET", "/api/v1/calendar/events?start=9999-01-01T00:00:00Z&end=9999-01-02T00:00:00Z", ada, null),
                422,
                "VALIDATION_FAILED");
        // Writes refuse what a feed may carry.
        Reply secondly = call("POST", "/api/v1/calendar/events", ada, """
                {"calendarId":"%s","title":"x","startTime":"2026-11-24T10:00:00Z","endTime":"2026-11-24T11:00:00Z",
                 "recurrenceRule":"FREQ=SECONDLY"}
                """.formatted(c.getId()));
        assertProblem(secondly, 422, "VALIDATION_FAILED");
        assertThat(secondly.body().get("errors").findValuesAsString("field")).contains("recurrenceRule");
        Reply ancient = call("POST", "/api/v1/calendar/events", ada, """
                {"calendarId":"%s","title":"x","startTime":"1066-10-14T10:00:00Z","endTime":"1066-10-14T11:00:00Z",
                 "recurrenceRule":"FREQ=DAILY;UNTIL=99991231T000000Z"}
                """.formatted(c.getId()));
        assertProblem(ancient, 422, "VALIDATION_FAILED");
        assertThat(ancient.body().get("errors").findValuesAsString("field"))
                .contains("startTime", "endTime", "recurrenceRule");
    }

    @Test
    void theRangeExpandsASeriesWithItsOverrideCancellationAndExdateAcrossDst() throws Exception {
        String ada = user();
        CalendarConnection c = calendarOf(ada, "Series");
        // Weekly on Fridays 09:00 Europe/Berlin from 2026-10-16; DST ends on 2026-10-25 (09:00 CEST = 07:00Z, CET =
        // 08:00Z).
        CalendarEvent master = new CalendarEvent(
                c.getId(), Instant.parse("2026-10-16T07:00:00Z"), Instant.parse("2026-10-16T08:00:00Z"));
        master.setProviderEventId("series1");
        master.setTitle("Standup");
        master.setTimezone("Europe/Berlin");
        master.setRecurrenceRule("FREQ=WEEKLY;BYDAY=FR;COUNT=6");
        master.setRecurrence(
                List.of("RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=6", "EXDATE;TZID=Europe/Berlin:20261106T090000"));
        events.save(master);
        CalendarEvent override = new CalendarEvent(
                c.getId(), Instant.parse("2026-10-30T10:00:00Z"), Instant.parse("2026-10-30T11:00:00Z"));
        override.setProviderEventId("series1_20261030T080000Z");
        override.setTitle("Standup (late)");
        override.setRecurringEventId(master.getId());
        override.setOriginalStartTime(Instant.parse("2026-10-30T08:00:00Z"));
        events.save(override);
        CalendarEvent cancelled = new CalendarEvent(
                c.getId(), Instant.parse("2026-11-13T08:00:00Z"), Instant.parse("2026-11-13T09:00:00Z"));
        cancelled.setProviderEventId("series1_20261113T080000Z");
        cancelled.setStatus(EventStatus.CANCELLED);
        cancelled.setRecurringEventId(master.getId());
        cancelled.setOriginalStartTime(Instant.parse("2026-11-13T08:00:00Z"));
        events.save(cancelled);
        CalendarEvent holiday = new CalendarEvent(
                c.getId(), Instant.parse("2026-10-26T00:00:00Z"), Instant.parse("2026-10-27T00:00:00Z"));
        holiday.setAllDay(true);
        holiday.setStartDate(LocalDate.parse("2026-10-26"));
        holiday.setEndDate(LocalDate.parse("2026-10-27"));
        holiday.setProviderEventId("holiday1");
        holiday.setTitle("Holiday");
        events.save(holiday);

        Reply r = call(
                "GET",
                "/api/v1/calendar/events?start=2026-10-01T00:00:00Z&end=2026-12-31T00:00:00Z&calendarId=" + c.getId(),
                ada,
                null);
        assertThat(r.status()).isEqualTo(200);
        List<String> starts = r.body().get("events").findValuesAsString("startTime");
        assertThat(starts)
                .containsExactly(
                        "2026-10-16T07:00:00Z", // CEST
                        "2026-10-23T07:00:00Z",
                        "2026-10-26T00:00:00Z", // the all-day holiday
                        "2026-10-30T10:00:00Z", // the override replaces 08:00Z
                        "2026-11-20T08:00:00Z"); // CET; 11-06 EXDATE, 11-13 cancelled, COUNT=6 ends the series
        JsonNode first = r.body().get("events").get(0);
        assertThat(first.get("id").asString()).isEqualTo(master.getId() + "_20261016T070000Z");
        assertThat(first.get("recurringEventId").asString())
                .isEqualTo(master.getId().toString());
        JsonNode allDay = r.body().get("events").get(2);
        assertThat(allDay.get("isAllDay").asBoolean()).isTrue();
        assertThat(allDay.get("startDate").asString()).isEqualTo("2026-10-26");
        assertThat(allDay.get("endDate").asString()).isEqualTo("2026-10-27");

        Reply occurrence = call("GET", "/api/v1/calendar/events/" + master.getId() + "_20261120T080000Z", ada, null);
        assertThat(occurrence.status()).isEqualTo(200);
        assertThat(occurrence.body().get("title").asString()).isEqualTo("Standup");
        assertProblem(
                call("GET", "/api/v1/calendar/events/" + master.getId() + "_20261120T080000Z", user(), null),
                404,
                "NOT_FOUND");
        assertProblem(
                call("GET", "/api/v1/calendar/events/" + master.getId() + "_20261121T080000Z", ada, null),
                404,
                "NOT_FOUND");

        Reply raw = call(
                "GET",
                "/api/v1/calendar/events?expand=false&start=2026-10-01T00:00:00Z&end=2026-12-31T00:00:00Z&calendarId="
                        + c.getId(),
                ada,
                null);
        assertThat(raw.body().get("events").findValuesAsString("id"))
                .contains(master.getId().toString(), override.getId().toString());
        assertThat(raw.body().get("events").size()).isEqualTo(3);
    }
}
