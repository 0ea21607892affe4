package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.persistence.CalendarUserRepository;
import io.calsync.testsupport.Corpus;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ICS routes end to end on a real PostgreSQL and Kafka, with real feeds of the shared corpus served from a local
 * HTTP server (loopback, hence {@code ICS_ALLOW_PRIVATE_NETWORKS=true}): validation, connecting (the row, the
 * calendar list, {@code ConnectionCreated} on Kafka), duplicates, ownership, editing, and each refusal's code.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "CORS_ORIGINS=http://localhost:3000",
            "spring.profiles.active=dev",
            "ICS_ALLOW_PRIVATE_NETWORKS=true"
        })
class IcsApiIT {

    /** A real Apple/Nextcloud export with U+FFFE in it: 2 VEVENTs, X-WR-CALNAME and X-WR-TIMEZONE. */
    static final String VIENNA = "nextcloud-calendar-js/unicode-non-character-fffe-before.ics";
    /** A Google feed of 677 VEVENTs without a name. */
    static final String GOOGLE = "recurring-ical-events/issue_173_only_modifications_error.ics";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ConcurrentLinkedQueue<CalendarMessage> consumed = new ConcurrentLinkedQueue<>();
    static volatile boolean consuming = true;
    static Thread consumer;
    static HttpServer feeds;
    static String feedBase;

    @BeforeAll
    static void start() throws IOException {
        feeds = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        feeds.createContext("/vienna.ics", x -> serve(x, "text/calendar", Files.readAllBytes(corpus(VIENNA))));
        feeds.createContext("/google.ics", x -> serve(x, "text/calendar", Files.readAllBytes(corpus(GOOGLE))));
        feeds.createContext(
                "/login",
                x -> serve(
                        x,
                        "text/html",
                        "<!DOCTYPE html><html><body>Sign in</body></html>".getBytes(StandardCharsets.UTF_8)));
        feeds.start();
        feedBase = "http://127.0.0.1:" + feeds.getAddress().getPort();
        consumer = Thread.ofVirtual().start(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestInfrastructure.kafkaBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "ics-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class,
                    // The topics appear when the context starts, after this subscription: look for them often.
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                    500))) {
                c.subscribe(Pattern.compile("calendar\\..*"));
                while (consuming) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> consumed.add(MessageCodec.decode(r.value())));
                }
            }
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        feeds.stop(0);
        consuming = false;
        consumer.join(5_000);
    }

    static Path corpus(String file) {
        return Corpus.root().resolve("ics").resolve(file);
    }

    static void serve(HttpExchange x, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CalendarConnectionRepository connections;

    @Autowired
    CalendarUserRepository users;

    final HttpClient http = HttpClient.newHttpClient();

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

    Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(res.statusCode(), res.body().isBlank() ? null : JSON.readTree(res.body()), res);
    }

    static String user() {
        return TestTokens.forEmail("ics-" + UUID.randomUUID() + "@example.com");
    }

    static String json(String url) {
        return "{\"url\":" + JSON.writeValueAsString(url) + "}";
    }

    static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.body().get("code").asString()).isEqualTo(code);
        assertThat(r.body().get("detail").asString()).isNotBlank();
        assertThat(r.raw().body()).doesNotContain("Exception", "at io.", "at org.");
    }

    @Test
    void validatesARealFeed() throws Exception {
        Reply r = call("POST", "/api/v1/calendar/ics/validate", user(), json(feedBase + "/vienna.ics"));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.body().get("valid").asBoolean()).isTrue();
        assertThat(r.body().get("calendarName").asString()).isEqualTo("41424_Sigharting (Webportal Plugin)");
        assertThat(r.body().get("eventCount").asInt()).isEqualTo(2);
        assertThat(r.body().get("timezone").asString()).isEqualTo("Europe/Vienna");

        Reply google = call("POST", "/api/v1/calendar/ics/validate", user(), json(feedBase + "/google.ics"));
        assertThat(google.body().get("eventCount").asInt()).isEqualTo(677);
        assertThat(google.body().get("calendarName").asString()).isEqualTo("127.0.0.1"); // no name: the host
    }

    @Test
    void refusesWhatCannotBeConnectedWithTheContractsCodes() throws Exception {
        String ada = user();
        String path = "/api/v1/calendar/ics/validate";
        assertProblem(call("POST", path, ada, json(feedBase + "/login")), 422, "ICS_INVALID");
        assertProblem(
                call("POST", path, ada, json("http://169.254.169.254/latest/meta-data/")), 422, "URL_NOT_ALLOWED");
        assertProblem(call("POST", path, ada, json("ftp://example.com/cal.ics")), 422, "URL_NOT_ALLOWED");
        // A host that does not resolve answers as a refused one does: no DNS oracle.
        assertProblem(call("POST", path, ada, json("https://no-such-host.invalid/cal.ics")), 422, "URL_NOT_ALLOWED");
        assertProblem(call("POST", path, ada, json(feedBase + "/missing.ics")), 422, "ICS_UNREACHABLE");
        Reply missing = call("POST", path, ada, "{}");
        assertProblem(missing, 422, "VALIDATION_FAILED");
        assertThat(missing.body().get("errors").get(0).get("field").asString()).isEqualTo("url");
        String eve = user();
        assertProblem(
                call("POST", path, eve, json("https://example.com/" + "a".repeat(2048))), 422, "VALIDATION_FAILED");
        assertProblem(call("POST", path, eve, json("   ")), 422, "VALIDATION_FAILED");
        assertProblem(call("POST", path, eve, json("example.com/cal.ics")), 422, "VALIDATION_FAILED");
    }

    @Test
    void aUserMayConnectAtMost100Calendars() throws Exception {
        String ada = user();
        assertThat(call("GET", "/api/v1/calendar/calendars", ada, null).status())
                .isEqualTo(200);
        String email = JSON.readTree(java.util.Base64.getUrlDecoder().decode(ada.split("\\.")[1]))
                .get("email")
                .asString();
        UUID userId = users.findByEmail(email).orElseThrow().getId();
        for (int i = 0; i < io.calsync.model.persistence.CalendarConnection.MAX_PER_USER; i++) {
            io.calsync.model.persistence.CalendarConnection c = new io.calsync.model.persistence.CalendarConnection(
                    userId, io.calsync.model.domain.CalendarProvider.GOOGLE, "cal-" + i + "@group", "Calendar " + i);
            connections.save(c);
        }
        Reply refused = call("POST", "/api/v1/calendar/ics/connect", ada, json(feedBase + "/vienna.ics"));
        assertProblem(refused, 422, "VALIDATION_FAILED");
        assertThat(refused.body().get("errors").get(0).get("message").asString())
                .contains("at most 100 calendars");
        assertThat(connections.countByUserId(userId)).isEqualTo(100);
    }

    @Test
    void connectsAFeedOnceAndOnlyItsOwnerMayEditIt() throws Exception {
        String ada = user();
        String url = feedBase + "/vienna.ics";
        Reply created = call("POST", "/api/v1/calendar/ics/connect", ada, json(url));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        JsonNode cal = created.body();
        UUID id = UUID.fromString(cal.get("id").asString());
        assertThat(created.raw().headers().firstValue("Location")).contains("/api/v1/calendar/calendars/" + id);
        assertThat(cal.get("provider").asString()).isEqualTo("ICS");
        assertThat(cal.get("icsUrl").asString()).isEqualTo(url);
        assertThat(cal.get("calendarName").asString()).isEqualTo("41424_Sigharting (Webportal Plugin)");
        assertThat(cal.get("providerCalendarId").isNull()).isTrue();
        assertThat(cal.get("isReadOnly").asBoolean()).isTrue();
        assertThat(cal.get("syncStatus").asString()).isEqualTo("PENDING");

        JsonNode listed =
                call("GET", "/api/v1/calendar/calendars", ada, null).body().get("calendars");
        assertThat(listed.findValuesAsString("id")).containsExactly(id.toString());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumed.stream()
                        .anyMatch(m -> m instanceof ConnectionCreated c
                                && c.connectionId().equals(id)
                                && c.provider() == CalendarProvider.ICS));

        // The same feed again, written differently, is a conflict.
        String sameFeed = "HTTP://127.0.0.1:" + feeds.getAddress().getPort() + "/vienna.ics#again";
        assertProblem(call("POST", "/api/v1/calendar/ics/connect", ada, json(sameFeed)), 409, "CONFLICT");

        String eve = user();
        assertProblem(call("PUT", "/api/v1/calendar/ics/" + id, eve, "{\"displayName\":\"mine\"}"), 404, "NOT_FOUND");
        assertProblem(call("PUT", "/api/v1/calendar/ics/" + id, eve, json("not a url")), 404, "NOT_FOUND");

        Reply renamed = call("PUT", "/api/v1/calendar/ics/" + id, ada, "{\"displayName\":\" Vienna \"}");
        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
        assertThat(renamed.body().get("calendarName").asString()).isEqualTo("Vienna");

        CalendarConnection before = connections.findById(id).orElseThrow();
        before.setIcsEtag("\"old\"");
        before.setIcsLastModified("Tue, 24 Nov 2026 10:00:00 GMT");
        connections.save(before);
        Reply moved = call(
                "PUT",
                "/api/v1/calendar/ics/" + id,
                ada,
                "{\"url\":\"" + feedBase + "/google.ics\",\"displayName\":\"\"}");
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(200);
        assertThat(moved.body().get("icsUrl").asString()).isEqualTo(feedBase + "/google.ics");
        assertThat(moved.body().get("calendarName").asString()).isEqualTo("Vienna");
        CalendarConnection after = connections.findById(id).orElseThrow();
        assertThat(after.getIcsEtag()).isNull();
        assertThat(after.getIcsLastModified()).isNull();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumed.stream()
                        .anyMatch(m -> m instanceof SyncRequested s
                                && s.connectionId().equals(id)
                                && s.reason() == SyncRequested.Reason.MANUAL));

        assertProblem(call("PUT", "/api/v1/calendar/ics/" + id, ada, json(feedBase + "/login")), 422, "ICS_INVALID");
        assertThat(call("GET", "/api/v1/calendar/audit", ada, null)
                        .body()
                        .get("entries")
                        .findValuesAsString("action"))
                .contains("ics.connect", "ics.update");
    }

    @Test
    void anotherProvidersCalendarIsNotAnIcsFeed() throws Exception {
        String ada = user();
        call("GET", "/api/v1/calendar/calendars", ada, null); // creates the user
        String email = JSON.readTree(Base64.getUrlDecoder().decode(ada.split("\\.")[1]))
                .get("email")
                .asString();
        CalendarConnection google = connections.save(new CalendarConnection(
                users.findByEmail(email).orElseThrow().getId(), CalendarProvider.GOOGLE, "work@group", "Work"));
        assertProblem(
                call("PUT", "/api/v1/calendar/ics/" + google.getId(), ada, "{\"displayName\":\"x\"}"),
                404,
                "NOT_FOUND");
        assertProblem(
                call("PUT", "/api/v1/calendar/ics/" + UUID.randomUUID(), ada, "{\"displayName\":\"x\"}"),
                404,
                "NOT_FOUND");
    }
}
