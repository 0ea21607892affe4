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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The system as operators run it, for end-to-end tests and benches: the provider sandbox, webhook-ingest-service,
 * gateway-service and sync-service as their executable jars in JVMs of their own, on one real PostgreSQL database and
 * the test JVM's Kafka broker; push subscriptions point at the ingest (API_URL). No poller runs.
 */
final class RunningSystem {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ServiceProcess sandbox;
    static TestInfrastructure.Database db;
    static JdbcTemplate jdbc;
    static final List<ServiceProcess> services = new ArrayList<>();
    static ServiceProcess gateway;
    static ServiceProcess ingest;

    /** Settings every service of this run gets (besides the common ones of {@link #start}). */
    static final Map<String, String> commonEnv = new HashMap<>();

    static void startAll() {
        startAll(Map.of(), false);
    }

    /**
     * The system; {@code withOAuthAndPoller} adds oauth-service (the gateway forwards its routes there) and the poller,
     * {@code env} goes to every service.
     */
    static void startAll(Map<String, String> env, boolean withOAuthAndPoller) {
        commonEnv.clear();
        commonEnv.putAll(env);
        sandbox = ServiceProcess.start("provider-sandbox", Map.of(), List.of("--sandbox.auto-approve=true"));
        services.add(sandbox);
        db = TestInfrastructure.newDatabase();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        String kafka = TestInfrastructure.kafkaBootstrapServers();
        // The first start migrates the schema; the others find it done.
        sandbox.awaitReady(Duration.ofSeconds(120));
        ingest = start("webhook-ingest-service", kafka, Map.of()).awaitReady(Duration.ofSeconds(120));
        String apiUrl = ingest.baseUrl();
        Map<String, String> gatewayEnv = new HashMap<>(Map.of("SPRING_PROFILES_ACTIVE", "dev"));
        ServiceProcess oauth = null;
        ServiceProcess poller = null;
        if (withOAuthAndPoller) {
            oauth = start("oauth-service", kafka, Map.of());
            gatewayEnv.put("OAUTH_SERVICE_URL", oauth.baseUrl());
            poller = start("ics-poller-service", kafka, Map.of());
        }
        gateway = start("gateway-service", kafka, gatewayEnv);
        ServiceProcess sync = start("sync-service", kafka, Map.of("API_URL", apiUrl));
        gateway.awaitReady(Duration.ofSeconds(120));
        sync.awaitReady(Duration.ofSeconds(120));
        if (oauth != null) {
            oauth.awaitReady(Duration.ofSeconds(120));
            poller.awaitReady(Duration.ofSeconds(120));
        }
    }

    static void stopAll() {
        services.forEach(ServiceProcess::close);
    }

    static ServiceProcess start(String module, String kafka, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(extraEnv);
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

    /** The user's first API call creates them; the connection stands for a finished OAuth select. */
    static UUID connect(String user, CalendarProvider provider, String calendarId, String email, JsonNode account)
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

    static void awaitSubscription(UUID connection) {
        await().atMost(WAIT)
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM webhook_subscriptions WHERE connection_id = ? AND status = 'ACTIVE'",
                                Integer.class,
                                connection)
                        == 1);
    }

    static List<String> titles(String user) throws Exception {
        HttpResponse<String> r =
                api(user, "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body())
                .get("events")
                .forEach(e -> out.add(e.get("title").stringValue()));
        return out;
    }

    static long deliveredTo(String url) throws Exception {
        long n = 0;
        for (JsonNode d : control("GET", "/control/deliveries", null)) {
            if (d.toString().contains(url) && d.toString().matches(".*\"status\"\\s*:\\s*20[02].*")) {
                n++;
            }
        }
        return n;
    }

    static HttpResponse<String> api(String user, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .header("Authorization", "Bearer " + TestTokens.forEmail(user))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A call of the API as the user's frontend makes it; the answer's body as JSON (null when empty). */
    static HttpResponse<String> call(String user, String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .header("Authorization", "Bearer " + TestTokens.forEmail(user))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode control(String method, String path, String body) throws Exception {
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

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
