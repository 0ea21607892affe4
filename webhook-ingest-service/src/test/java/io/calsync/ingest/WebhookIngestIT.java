package io.calsync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.sandbox.SandboxServer;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as it runs, against the provider sandbox (in this JVM, over HTTP), PostgreSQL and the Kafka broker of
 * the test run: Graph's real validation handshake succeeds against both URLs, a change at Graph or Google reaches
 * {@code calendar.provider-notifications} exactly once with its connection as key, and a wrong clientState or channel
 * token, an unknown subscription or channel, and Google's {@code sync} are acknowledged the way the provider expects
 * and publish nothing. Also: body limits over real HTTP (a chunked body has no length to check up front), the
 * metrics an operator scrapes, and that no secret reached a log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIngestIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String GRAPH_SCOPE = "offline_access Calendars.ReadWrite User.Read";
    static final String GOOGLE_SCOPE = "openid email https://www.googleapis.com/auth/calendar";

    static Database db;
    static SandboxServer sandbox;
    static ConfigurableApplicationContext ingest;
    static String ingestUrl;
    static JdbcTemplate jdbc;
    static NotificationCollector topic;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** Every clientState and channel token of this test: none may appear in a log line. */
    static final Set<String> secrets = ConcurrentHashMap.newKeySet();

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        db = TestInfrastructure.newDatabase();
        String kafka = TestInfrastructure.kafkaBootstrapServers();
        Map<String, Object> infrastructure = IngestItSupport.infrastructure(db, kafka);
        ingest = IngestItSupport.startIngest(infrastructure);
        ingestUrl = IngestItSupport.baseUrl(ingest);
        jdbc = ingest.getBean(JdbcTemplate.class);

        // The sandbox shares this JVM's classpath, so the platform's auto-configuration runs in it too (give it the
        // database), and this module's application.yml shadows its own (give it its settings).
        Map<String, Object> sandboxProps = new HashMap<>(infrastructure);
        sandboxProps.putAll(Map.of(
                "spring.application.name", "provider-sandbox",
                "sandbox.access-token-ttl", "1h",
                "sandbox.microsoft-refresh-grace", "30s",
                "sandbox.google.client-id", "sandbox-google-client",
                "sandbox.google.client-secret", "sandbox-google-secret",
                "sandbox.microsoft.client-id", "00000000-0000-0000-0000-00000000c0de",
                "sandbox.microsoft.client-secret", "sandbox-microsoft-secret",
                "sandbox.microsoft.tenant-id", "9188040d-6c67-4c5b-b112-36a304b66dad",
                "spring.mvc.problemdetails.enabled", "false"));
        sandbox = SandboxServer.start(sandboxProps);
        topic = new NotificationCollector(kafka);

        // After both starts: each start re-initialises Logback.
        logs.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .addAppender(logs);
    }

    @AfterAll
    static void stop() throws Exception {
        if (topic != null) {
            topic.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ Graph

    @Test
    @Order(1)
    void graphsHandshakeSucceedsAndAChangeIsPublishedOnceForItsConnection() throws Exception {
        String account = account("MICROSOFT");
        String token = token(account, GRAPH_SCOPE);
        String clientState = secret();
        double handshakes = metric("calsync_webhooks_received_total", "provider=\"microsoft\"", "kind=\"validation\"");

        HttpResponse<String> created = createGraphSubscription(token, clientState);

        assertThat(created.statusCode())
                .as("Graph creates the subscription only after both URLs echoed its token: %s", created.body())
                .isEqualTo(201);
        assertThat(metric("calsync_webhooks_received_total", "provider=\"microsoft\"", "kind=\"validation\""))
                .isEqualTo(handshakes + 2);
        String subscriptionId = JSON.readTree(created.body()).get("id").asString();
        UUID connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.MICROSOFT);
        IngestItSupport.insertSubscription(
                jdbc, connection, CalendarProvider.MICROSOFT, subscriptionId, null, clientState);

        String eventId = createOutlookEvent(account);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !topic.forConnection(connection).isEmpty());
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> topic.forConnection(connection).size() == 1);
        ProviderNotificationReceived m = topic.forConnection(connection).getFirst();
        assertThat(m.provider()).isEqualTo(CalendarProvider.MICROSOFT);
        assertThat(m.subscriptionId()).isEqualTo(subscriptionId);
        assertThat(m.state()).isEqualTo("created");
        assertThat(m.resource()).endsWith("/Events/" + eventId);
        assertThat(m.lifecycleEvent()).isNull();
        assertThat(deliveriesMentioning("MICROSOFT", subscriptionId))
                .extracting(d -> d.get("status").asInt())
                .containsExactly(202);

        HttpResponse<String> lifecycle = send(
                "POST",
                sandbox.baseUrl() + "/control/microsoft/subscriptions/" + subscriptionId
                        + "/lifecycle?event=reauthorizationRequired",
                null,
                Map.of());
        assertThat(lifecycle.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topic.forConnection(connection).size() == 2);
        assertThat(topic.forConnection(connection).get(1).lifecycleEvent()).isEqualTo("reauthorizationRequired");
    }

    @Test
    @Order(2)
    void aWrongClientStateOrAnUnknownSubscriptionIsAcknowledgedAndPublishesNothing() throws Exception {
        String account = account("MICROSOFT");
        String token = token(account, GRAPH_SCOPE);
        String stored = secret();
        String sent = secret();
        HttpResponse<String> mismatched = createGraphSubscription(token, sent);
        HttpResponse<String> unknown = createGraphSubscription(token, secret());
        assertThat(List.of(mismatched.statusCode(), unknown.statusCode())).containsOnly(201);
        String mismatchedId = JSON.readTree(mismatched.body()).get("id").asString();
        String unknownId = JSON.readTree(unknown.body()).get("id").asString();
        UUID connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.MICROSOFT);
        IngestItSupport.insertSubscription(jdbc, connection, CalendarProvider.MICROSOFT, mismatchedId, null, stored);
        double mismatches = dropped("microsoft", "client_state_mismatch");
        double unknowns = dropped("microsoft", "unknown_subscription");

        createOutlookEvent(account);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> deliveriesMentioning("MICROSOFT", mismatchedId).size() == 1
                        && deliveriesMentioning("MICROSOFT", unknownId).size() == 1);
        assertThat(deliveriesMentioning("MICROSOFT", mismatchedId)
                        .getFirst()
                        .get("status")
                        .asInt())
                .as("acknowledged, so that Graph does not retry a notification that will never verify")
                .isEqualTo(202);
        assertThat(deliveriesMentioning("MICROSOFT", unknownId)
                        .getFirst()
                        .get("status")
                        .asInt())
                .isEqualTo(202);
        assertThat(dropped("microsoft", "client_state_mismatch")).isEqualTo(mismatches + 1);
        assertThat(dropped("microsoft", "unknown_subscription")).isEqualTo(unknowns + 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> topic.forConnection(connection).isEmpty()
                        && topic.forSubscription(mismatchedId).isEmpty()
                        && topic.forSubscription(unknownId).isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ Google

    @Test
    @Order(3)
    void aGoogleChannelsSyncIsAcknowledgedAndAChangeIsPublishedOnce() throws Exception {
        String account = account("GOOGLE");
        String email = accountEmail(account);
        String token = token(account, GOOGLE_SCOPE);
        String channelId = UUID.randomUUID().toString();
        String channelToken = secret();
        UUID connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.GOOGLE);
        // sync-service chooses the channel id, so its row may exist before the watch; the resource id comes after.
        IngestItSupport.insertSubscription(jdbc, connection, CalendarProvider.GOOGLE, channelId, null, channelToken);

        JsonNode channel = watch(token, channelId, channelToken);
        String resourceId = channel.get("resourceId").asString();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> googleDeliveries(channelId).size() == 1);
        JsonNode sync = googleDeliveries(channelId).getFirst();
        assertThat(sync.get("headers").get("X-Goog-Resource-State").asString()).isEqualTo("sync");
        assertThat(sync.get("status").asInt()).isEqualTo(200);
        jdbc.update(
                "UPDATE webhook_subscriptions SET resource_id = ? WHERE subscription_id = ?", resourceId, channelId);

        createGoogleEvent(email);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !topic.forConnection(connection).isEmpty());
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> topic.forConnection(connection).size() == 1);
        ProviderNotificationReceived m = topic.forConnection(connection).getFirst();
        assertThat(m.provider()).isEqualTo(CalendarProvider.GOOGLE);
        assertThat(m.subscriptionId()).isEqualTo(channelId);
        assertThat(m.state()).isEqualTo("exists");
        assertThat(m.messageNumber()).isEqualTo(2L);
        assertThat(m.resource()).isEqualTo(channel.get("resourceUri").asString());
        assertThat(googleDeliveries(channelId))
                .extracting(d -> d.get("status").asInt())
                .containsExactly(200, 200);
    }

    @Test
    @Order(4)
    void anUnknownGoogleChannelOrAWrongChannelTokenIsAcknowledgedAndPublishesNothing() throws Exception {
        String account = account("GOOGLE");
        String email = accountEmail(account);
        String token = token(account, GOOGLE_SCOPE);
        String unknownChannel = UUID.randomUUID().toString();
        String wrongTokenChannel = UUID.randomUUID().toString();
        UUID connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.GOOGLE);
        IngestItSupport.insertSubscription(
                jdbc, connection, CalendarProvider.GOOGLE, wrongTokenChannel, null, secret());
        watch(token, unknownChannel, secret());
        watch(token, wrongTokenChannel, secret());
        double mismatches = dropped("google", "channel_token_mismatch");
        double unknowns = dropped("google", "unknown_subscription");

        createGoogleEvent(email);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> googleDeliveries(unknownChannel).size() == 2
                        && googleDeliveries(wrongTokenChannel).size() == 2);
        for (String channel : List.of(unknownChannel, wrongTokenChannel)) {
            assertThat(googleDeliveries(channel))
                    .as("Google hears 200 for sync and for the dropped change, so it does not retry")
                    .extracting(d -> d.get("status").asInt())
                    .containsExactly(200, 200);
        }
        assertThat(dropped("google", "channel_token_mismatch")).isEqualTo(mismatches + 1);
        assertThat(dropped("google", "unknown_subscription")).isEqualTo(unknowns + 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> topic.forConnection(connection).isEmpty()
                        && topic.forSubscription(unknownChannel).isEmpty()
                        && topic.forSubscription(wrongTokenChannel).isEmpty());
    }

    @Test
    @Order(5)
    void aSyncMessageOfAKnownChannelPublishesNothing() throws Exception {
        String channelId = UUID.randomUUID().toString();
        String channelToken = secret();
        UUID connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.GOOGLE);
        IngestItSupport.insertSubscription(jdbc, connection, CalendarProvider.GOOGLE, channelId, "res-x", channelToken);

        HttpResponse<String> r = send(
                "POST",
                ingestUrl + "/api/v1/calendar/webhooks/google",
                null,
                Map.of(
                        "X-Goog-Channel-ID", channelId,
                        "X-Goog-Channel-Token", channelToken,
                        "X-Goog-Resource-ID", "res-x",
                        "X-Goog-Resource-State", "sync",
                        "X-Goog-Message-Number", "1"));

        assertThat(r.statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> topic.forConnection(connection).isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ HTTP edges

    @Test
    @Order(6)
    void bodiesOverTheCapAre413WithOrWithoutADeclaredLength() throws Exception {
        byte[] big = new byte[1_500_000];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        URI uri = URI.create(ingestUrl + "/api/v1/calendar/webhooks/microsoft");

        HttpResponse<String> declared = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> r : List.of(declared, chunked)) {
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(JSON.readTree(r.body()).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        }
        HttpResponse<String> notJson = send("POST", uri.toString(), "<notification/>", Map.of());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).get("code").asString()).isEqualTo("MALFORMED_REQUEST");
    }

    @Test
    @Order(7)
    void operatorsSeeTheWebhookMetrics() throws Exception {
        String scrape =
                send("GET", ingestUrl + "/actuator/prometheus", null, Map.of()).body();

        assertThat(scrape)
                .contains("calsync_webhooks_received_total{")
                .contains("calsync_webhooks_accepted_total{")
                .contains("calsync_webhooks_dropped_total{")
                .contains("calsync_webhooks_publish_seconds_count{");
        assertThat(metric("calsync_webhooks_accepted_total", "provider=\"google\"", "kind=\"exists\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric("calsync_webhooks_accepted_total", "provider=\"microsoft\"", "kind=\"change\""))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(8)
    void noClientStateOrChannelTokenReachedALogLine() {
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            if (e.getKeyValuePairs() != null) {
                e.getKeyValuePairs()
                        .forEach(kv ->
                                line.append(' ').append(kv.key).append('=').append(kv.value));
            }
            if (e.getThrowableProxy() != null) {
                line.append(' ').append(e.getThrowableProxy().getMessage());
            }
            lines.add(line.toString());
        }
        assertThat(lines).as("log lines captured").isNotEmpty();
        for (String s : secrets) {
            assertThat(lines).noneMatch(l -> l.contains(s));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String secret() {
        String s = "secret-" + UUID.randomUUID();
        secrets.add(s);
        return s;
    }

    String account(String provider) throws Exception {
        String email = "ingest-it-" + UUID.randomUUID().toString().substring(0, 8)
                + ("GOOGLE".equals(provider) ? "@gmail.sandbox.test" : "@outlook.sandbox.test");
        HttpResponse<String> r = send(
                "POST",
                sandbox.baseUrl() + "/control/accounts",
                "{\"provider\":\"%s\",\"email\":\"%s\",\"displayName\":\"Ingest IT\"}".formatted(provider, email),
                Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asString();
    }

    String accountEmail(String accountId) throws Exception {
        for (JsonNode a : JSON.readTree(send("GET", sandbox.baseUrl() + "/control/accounts", null, Map.of())
                .body())) {
            if (accountId.equals(a.get("id").asString())) {
                return a.get("email").asString();
            }
        }
        throw new AssertionError("no sandbox account " + accountId);
    }

    String token(String accountId, String scope) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                sandbox.baseUrl() + "/control/accounts/" + accountId + "/tokens?scope="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8),
                null,
                Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asString();
    }

    HttpResponse<String> createGraphSubscription(String accessToken, String clientState) throws Exception {
        String body = """
                {"changeType":"created,updated,deleted","notificationUrl":"%s",\
                "lifecycleNotificationUrl":"%s","resource":"me/events","expirationDateTime":"%s",\
                "clientState":"%s"}""".formatted(
                        ingestUrl + "/api/v1/calendar/webhooks/microsoft",
                        ingestUrl + "/api/v1/calendar/webhooks/microsoft/lifecycle",
                        OffsetDateTime.now(ZoneOffset.UTC).plusDays(2),
                        clientState);
        return send(
                "POST",
                sandbox.baseUrl() + "/graph/v1.0/subscriptions",
                body,
                Map.of("Authorization", "Bearer " + accessToken));
    }

    String createOutlookEvent(String accountId) throws Exception {
        HttpResponse<String> r =
                send("POST", sandbox.baseUrl() + "/control/microsoft/accounts/" + accountId + "/events", """
                {"subject":"Ingest IT","start":{"dateTime":"2026-12-01T10:00:00","timeZone":"UTC"},\
                "end":{"dateTime":"2026-12-01T11:00:00","timeZone":"UTC"}}""", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asString();
    }

    JsonNode watch(String accessToken, String channelId, String channelToken) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                sandbox.baseUrl() + "/google/calendar/v3/calendars/primary/events/watch",
                "{\"id\":\"%s\",\"type\":\"web_hook\",\"address\":\"%s\",\"token\":\"%s\"}"
                        .formatted(channelId, ingestUrl + "/api/v1/calendar/webhooks/google", channelToken),
                Map.of("Authorization", "Bearer " + accessToken));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    void createGoogleEvent(String calendarId) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                sandbox.baseUrl() + "/control/google/calendars/" + URLEncoder.encode(calendarId, StandardCharsets.UTF_8)
                        + "/events",
                """
                {"summary":"Ingest IT","start":{"dateTime":"2026-12-01T10:00:00Z"},\
                "end":{"dateTime":"2026-12-01T11:00:00Z"}}""",
                Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    List<JsonNode> deliveries(String provider) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(send("GET", sandbox.baseUrl() + "/control/deliveries?provider=" + provider, null, Map.of())
                        .body())
                .forEach(out::add);
        return out;
    }

    List<JsonNode> deliveriesMentioning(String provider, String subscriptionId) throws Exception {
        return deliveries(provider).stream()
                .filter(d -> d.get("body") != null
                        && !d.get("body").isNull()
                        && d.get("body").asString().contains(subscriptionId))
                .toList();
    }

    List<JsonNode> googleDeliveries(String channelId) throws Exception {
        return deliveries("GOOGLE").stream()
                .filter(d -> channelId.equals(
                        d.path("headers").path("X-Goog-Channel-ID").asString()))
                .toList();
    }

    double dropped(String provider, String reason) throws Exception {
        return metric("calsync_webhooks_dropped_total", "provider=\"" + provider + "\"", "reason=\"" + reason + "\"");
    }

    /** The sum of a metric's series that carry all the given labels, as Prometheus scrapes it. */
    double metric(String name, String... labels) throws Exception {
        String scrape =
                send("GET", ingestUrl + "/actuator/prometheus", null, Map.of()).body();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        double sum = 0;
        while (m.find()) {
            String series = m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= series.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    HttpResponse<String> send(String method, String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
