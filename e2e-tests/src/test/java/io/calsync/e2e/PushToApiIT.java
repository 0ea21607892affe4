package io.calsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.security.EncryptionKeys;
import io.calsync.model.security.TokenCipher;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path of a change made at the provider, through the real services: the provider's push reaches
 * webhook-ingest-service (Graph's validation handshake included), the notification goes through Kafka to
 * sync-service, which syncs and stores; the frontend sees the change in {@code GET /events} of gateway-service. No
 * poller runs, so only the push can have brought the change.
 */
class PushToApiIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ServiceProcess sandbox;
    static TestInfrastructure.Database db;
    static JdbcTemplate jdbc;
    static final List<ServiceProcess> services = new ArrayList<>();
    static ServiceProcess gateway;
    static ServiceProcess ingest;

    @BeforeAll
    static void theSystem() {
        sandbox = ServiceProcess.start("provider-sandbox", Map.of(), List.of("--sandbox.auto-approve=true"));
        services.add(sandbox);
        db = TestInfrastructure.newDatabase();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        String kafka = TestInfrastructure.kafkaBootstrapServers();
        // The first start migrates the schema; the others find it done.
        sandbox.awaitReady(Duration.ofSeconds(120));
        ingest = start("webhook-ingest-service", kafka, Map.of()).awaitReady(Duration.ofSeconds(120));
        String apiUrl = ingest.baseUrl();
        gateway = start("gateway-service", kafka, Map.of("SPRING_PROFILES_ACTIVE", "dev"));
        ServiceProcess sync = start("sync-service", kafka, Map.of("API_URL", apiUrl));
        gateway.awaitReady(Duration.ofSeconds(120));
        sync.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
    }

    static ServiceProcess start(String module, String kafka, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("SECRET_KEY", TestTokens.SECRET);
        env.put("ENCRYPTION_KEY", TestTokens.ENCRYPTION_KEY);
        env.put("GOOGLE_CLIENT_ID", "sandbox-google-client");
        env.put("GOOGLE_CLIENT_SECRET", "sandbox-google-secret");
        env.put("GOOGLE_API_BASE_URL", sandbox.baseUrl() + "/google/");
        env.put("GOOGLE_TOKEN_URI", sandbox.baseUrl() + "/google/token");
        env.put("MICROSOFT_CLIENT_ID", "00000000-0000-0000-0000-00000000c0de");
        env.put("MICROSOFT_CLIENT_SECRET", "sandbox-microsoft-secret");
        env.put("MICROSOFT_AUTHORITY", sandbox.baseUrl() + "/microsoft/common");
        env.put("MICROSOFT_GRAPH_BASE_URL", sandbox.baseUrl() + "/graph/v1.0");
        env.put("FRONTEND_URL", "http://localhost:3000");
        ServiceProcess p = ServiceProcess.start(
                module,
                env,
                List.of(
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.username(),
                        "--spring.datasource.password=" + db.password(),
                        "--spring.kafka.bootstrap-servers=" + kafka,
                        "--calsync.outbox.relay.slot-name=e2e_" + module.replace('-', '_') + "_"
                                + Math.abs(db.jdbcUrl().hashCode())));
        services.add(p);
        return p;
    }

    @Test
    void aChangeAtGooglePushedToIngestShowsInTheApi() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"GOOGLE","email":"e2e-%s@gmail.sandbox.test","displayName":"E2E"}
                """.formatted(shortId()));
        String email = account.get("email").stringValue();
        String eventId = control("POST", "/control/google/calendars/" + enc(email) + "/events", """
                        {"summary":"Planning","start":{"dateTime":"2026-12-10T10:00:00Z"},
                         "end":{"dateTime":"2026-12-10T11:00:00Z"}}
                        """)
                .get("id")
                .stringValue();
        String user = "g-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.GOOGLE, email, email, account);

        awaitSubscription(connection);
        await().atMost(WAIT).until(() -> titles(user).contains("Planning"));

        control("PATCH", "/control/google/calendars/" + enc(email) + "/events/" + enc(eventId), """
                {"summary":"Planning (moved)"}
                """);
        await().atMost(WAIT).until(() -> titles(user).equals(List.of("Planning (moved)")));
        assertThat(deliveredTo(ingest.baseUrl() + "/api/v1/calendar/webhooks/google"))
                .as("Google's push reached webhook-ingest and was acknowledged")
                .isPositive();
    }

    @Test
    void aChangeAtOutlookPushedToIngestShowsInTheApi() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"MICROSOFT","email":"e2e-%s@outlook.sandbox.test","displayName":"E2E"}
                """.formatted(shortId()));
        String accountId = account.get("id").stringValue();
        String email = account.get("email").stringValue();
        String calendarId = control("GET", "/control/microsoft/accounts/" + accountId + "/calendars", null)
                .get(0)
                .get("id")
                .stringValue();
        String eventId = control("POST", "/control/microsoft/accounts/" + accountId + "/events", """
                        {"subject":"Sync review","start":{"dateTime":"2026-12-11T10:00:00","timeZone":"UTC"},
                         "end":{"dateTime":"2026-12-11T11:00:00","timeZone":"UTC"}}
                        """)
                .get("id")
                .stringValue();
        String user = "m-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.MICROSOFT, calendarId, email, account);

        awaitSubscription(connection);
        await().atMost(WAIT).until(() -> titles(user).contains("Sync review"));

        control("PATCH", "/control/microsoft/events/" + enc(eventId), """
                {"subject":"Sync review (moved)"}
                """);
        await().atMost(WAIT).until(() -> titles(user).equals(List.of("Sync review (moved)")));
        assertThat(deliveredTo(ingest.baseUrl() + "/api/v1/calendar/webhooks/microsoft"))
                .as("Graph's notification reached webhook-ingest and was acknowledged")
                .isPositive();
    }

    // ------------------------------------------------------------------ the steps

    /** The user's first API call creates them; the connection stands for a finished OAuth select. */
    private UUID connect(String user, CalendarProvider provider, String calendarId, String email, JsonNode account)
            throws Exception {
        assertThat(api(user, "/api/v1/calendar/calendars").statusCode()).isEqualTo(200);
        UUID userId =
                jdbc.queryForObject("SELECT id FROM calendar_users WHERE lower(email) = lower(?)", UUID.class, user);
        String token = control("POST", "/control/accounts/" + account.get("id").stringValue() + "/tokens", null)
                .get("access_token")
                .stringValue();
        TokenCipher cipher = new TokenCipher(EncryptionKeys.parse(TestTokens.ENCRYPTION_KEY));
        UUID connection = jdbc.queryForObject(
                """
                INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name, account_email,
                  access_token, refresh_token, token_expires_at)
                VALUES (?, ?::calendar_provider, ?, 'E2E', ?, ?, ?, now() + interval '1 hour') RETURNING id
                """,
                UUID.class,
                userId,
                provider.name(),
                calendarId,
                email,
                cipher.encrypt(token),
                cipher.encrypt("unused"));
        ConnectionCreated created =
                new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connection, userId, provider);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(created.topic(), created.key(), MessageCodec.encodeBytes(created)))
                    .get();
        }
        return connection;
    }

    private void awaitSubscription(UUID connection) {
        await().atMost(WAIT)
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM webhook_subscriptions WHERE connection_id = ? AND status = 'ACTIVE'",
                                Integer.class,
                                connection)
                        == 1);
    }

    private List<String> titles(String user) throws Exception {
        HttpResponse<String> r =
                api(user, "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body())
                .get("events")
                .forEach(e -> out.add(e.get("title").stringValue()));
        return out;
    }

    private long deliveredTo(String url) throws Exception {
        long n = 0;
        for (JsonNode d : control("GET", "/control/deliveries", null)) {
            if (d.toString().contains(url) && d.toString().matches(".*\"status\"\\s*:\\s*20[02].*")) {
                n++;
            }
        }
        return n;
    }

    private HttpResponse<String> api(String user, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .header("Authorization", "Bearer " + TestTokens.forEmail(user))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode control(String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isBetween(200, 299);
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
