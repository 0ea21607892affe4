package io.calsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.calsync.gateway.GatewayApplication;
import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import io.calsync.model.security.TokenCipher;
import io.calsync.providers.oauth.AccessTokens;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import io.calsync.sandbox.SandboxServer;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.oauth.OAuthEngine;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.calsync.testsupport.TestTokens;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole consent flow end to end, driven over HTTP as a browser and the frontend would: the provider sandbox
 * (consent page shown, not auto-approved), oauth-service and gateway-service in one JVM on one fresh PostgreSQL
 * database. Redirects are followed by hand, so every 302 of the flow is checked. Also: denied consent, replayed and
 * expired states, another user's session, single-flight refresh under 8 concurrent callers, a revoked refresh token,
 * and that no token, code, state or secret reaches the logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OAuthFlowIT {

    static final String FRONTEND = "http://frontend.test";
    static final String GOOGLE_SECRET = "sandbox-google-secret";
    static final String MICROSOFT_CLIENT = "00000000-0000-0000-0000-00000000c0de";
    static final String MICROSOFT_SECRET = "sandbox-microsoft-secret";
    static final String TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern CONSENT_FORM = Pattern.compile("action=\"(/consent/[^\"]+)\"");

    static Database db;
    static SandboxServer sandbox;
    static ConfigurableApplicationContext oauth;
    static ConfigurableApplicationContext gateway;
    static String gatewayUrl;
    static JdbcTemplate jdbc;
    static TokenCipher cipher;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** Every secret value the flow handled: none may appear in a log line of ours. */
    static final Set<String> secrets = ConcurrentHashMap.newKeySet();

    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        db = TestInfrastructure.newDatabase();
        String kafka = TestInfrastructure.kafkaBootstrapServers();
        Map<String, Object> common = new HashMap<>();
        common.put("spring.datasource.url", db.jdbcUrl());
        common.put("spring.datasource.username", db.username());
        common.put("spring.datasource.password", db.password());
        common.put("spring.kafka.bootstrap-servers", kafka);
        common.put("SECRET_KEY", TestTokens.SECRET);
        common.put("ENCRYPTION_KEY", TestTokens.ENCRYPTION_KEY);
        // Only oauth-service writes the outbox here: the others hold no replication slot.
        common.put("calsync.outbox.relay.enabled", "false");

        // The sandbox shares this JVM's classpath (and so the platform's auto-configuration): give it the database
        // too, and its own settings (its application.yml is shadowed by oauth-service's on this classpath).
        Map<String, Object> sandboxProps = new HashMap<>(common);
        sandboxProps.putAll(Map.of(
                "spring.application.name", "provider-sandbox",
                "sandbox.auto-approve", "false",
                "sandbox.access-token-ttl", "1h",
                "sandbox.microsoft-refresh-grace", "30s",
                "sandbox.google.client-id", "sandbox-google-client",
                "sandbox.google.client-secret", GOOGLE_SECRET,
                "sandbox.microsoft.client-id", MICROSOFT_CLIENT,
                "sandbox.microsoft.client-secret", MICROSOFT_SECRET,
                "sandbox.microsoft.tenant-id", TENANT,
                "spring.mvc.problemdetails.enabled", "false"));
        sandbox = SandboxServer.start(sandboxProps);
        String sb = sandbox.baseUrl();

        int oauthPort = freePort();
        int gatewayPort = freePort();
        gatewayUrl = "http://127.0.0.1:" + gatewayPort;

        Map<String, Object> oauthProps = new HashMap<>(common);
        oauthProps.put("server.port", String.valueOf(oauthPort));
        oauthProps.put("server.address", "127.0.0.1");
        oauthProps.put("spring.application.name", "oauth-service");
        oauthProps.put("calsync.outbox.relay.enabled", "true");
        // Replication slots are per server, and other test JVMs share it.
        oauthProps.put(
                "calsync.outbox.relay.slot-name",
                "oauth_it_" + UUID.randomUUID().toString().substring(0, 8));
        oauthProps.put("FRONTEND_URL", FRONTEND);
        oauthProps.put("GOOGLE_CLIENT_ID", "sandbox-google-client");
        oauthProps.put("GOOGLE_CLIENT_SECRET", GOOGLE_SECRET);
        oauthProps.put("GOOGLE_REDIRECT_URI", gatewayUrl + "/api/v1/calendar/oauth/google/callback");
        oauthProps.put("GOOGLE_AUTH_URI", sb + "/google/o/oauth2/v2/auth");
        oauthProps.put("GOOGLE_TOKEN_URI", sb + "/google/token");
        oauthProps.put("GOOGLE_USERINFO_URI", sb + "/google/v1/userinfo");
        oauthProps.put("GOOGLE_API_BASE_URL", sb + "/google/");
        oauthProps.put("MICROSOFT_CLIENT_ID", MICROSOFT_CLIENT);
        oauthProps.put("MICROSOFT_CLIENT_SECRET", MICROSOFT_SECRET);
        oauthProps.put("MICROSOFT_TENANT_ID", TENANT);
        oauthProps.put("MICROSOFT_REDIRECT_URI", gatewayUrl + "/api/v1/calendar/oauth/microsoft/callback");
        oauthProps.put("MICROSOFT_AUTHORITY", sb + "/microsoft/" + TENANT);
        oauthProps.put("MICROSOFT_GRAPH_BASE_URL", sb + "/graph/v1.0");
        oauth = new SpringApplicationBuilder(OAuthApplication.class).run(args(oauthProps));

        Map<String, Object> gatewayProps = new HashMap<>(common);
        gatewayProps.put("server.port", String.valueOf(gatewayPort));
        gatewayProps.put("server.address", "127.0.0.1");
        gatewayProps.put("spring.application.name", "gateway-service");
        gatewayProps.put("spring.profiles.active", "dev");
        gatewayProps.put("OAUTH_SERVICE_URL", "http://127.0.0.1:" + oauthPort);
        gatewayProps.put("FRONTEND_URL", FRONTEND);
        gatewayProps.put("spring.mvc.problemdetails.enabled", "false");
        gatewayProps.put("spring.mvc.static-path-pattern", "/static-none/**");
        gatewayProps.put("spring.web.resources.add-mappings", "false");
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(args(gatewayProps));

        jdbc = oauth.getBean(JdbcTemplate.class);
        cipher = oauth.getBean(TokenCipher.class);
        secrets.addAll(List.of(GOOGLE_SECRET, MICROSOFT_SECRET, TestTokens.ENCRYPTION_KEY, TestTokens.SECRET));

        consumer = Thread.ofVirtual().start(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "oauth-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class,
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                    500))) {
                c.subscribe(List.of(Topics.SYNC_REQUESTS));
                while (consuming) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> consumed.add(MessageCodec.decode(r.value())));
                }
            }
        });

        // After the three starts: each start re-initialises Logback.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        root.addAppender(logs);
    }

    static final ConcurrentLinkedQueue<CalendarMessage> consumed = new ConcurrentLinkedQueue<>();
    static volatile boolean consuming = true;
    static Thread consumer;

    static long connectionCreated(String connectionId) {
        return consumed.stream()
                .filter(m -> m instanceof ConnectionCreated c
                        && c.connectionId().toString().equals(connectionId))
                .count();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        if (consumer != null) {
            consumer.join(5_000);
        }
        for (AutoCloseable c : new AutoCloseable[] {gateway, oauth, sandbox}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the tests

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(1)
    void theHappyPathEndsInConnectionsWithEncryptedTokens(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        URI landing = consent(user, provider, account, "approve");
        assertThat(landing.toString()).startsWith(FRONTEND + "/calendar/connect?session=");
        Map<String, String> q = query(landing);
        assertThat(q).containsEntry("provider", p(provider)).doesNotContainKey("error");
        String sessionId = q.get("session");

        HttpResponse<String> session = get("/api/v1/calendar/oauth/session/" + sessionId, user.jwt());
        assertThat(session.statusCode()).isEqualTo(200);
        JsonNode s = JSON.readTree(session.body());
        assertThat(s.path("sessionId").asString()).isEqualTo(sessionId);
        assertThat(s.path("provider").asString()).isEqualTo(p(provider));
        assertThat(s.path("accountEmail").asString()).isEqualTo(account.email());
        assertThat(s.path("expiresAt").asString()).isNotBlank();
        JsonNode calendars = s.path("calendars");
        assertThat(calendars.size()).isGreaterThanOrEqualTo(1);
        List<String> ids = new ArrayList<>();
        for (JsonNode c : calendars) {
            ids.add(c.path("id").asString());
            assertThat(c.path("name").asString()).isNotBlank();
            assertThat(c.path("accessRole").asString()).isIn("owner", "writer", "reader", "freeBusyReader");
            assertThat(c.has("isPrimary")).isTrue();
            assertThat(c.has("color")).isTrue();
        }
        assertThat(calendars.findValues("isPrimary").stream().filter(JsonNode::asBoolean))
                .hasSize(1);

        String body = JSON.writeValueAsString(Map.of("sessionId", sessionId, "calendarIds", ids));
        HttpResponse<String> selected = post("/api/v1/calendar/oauth/" + p(provider) + "/select", user.jwt(), body);
        assertThat(selected.statusCode()).isEqualTo(201);
        JsonNode created = JSON.readTree(selected.body()).path("calendars");
        assertThat(created.size()).isEqualTo(ids.size());
        assertThat(created.get(0).path("provider").asString()).isEqualTo(provider.name());
        assertThat(created.get(0).path("accountEmail").asString()).isEqualTo(account.email());
        assertThat(created.get(0).path("isConnected").asBoolean()).isTrue();

        // Selecting again changes nothing (idempotent): same connections, no second ConnectionCreated.
        HttpResponse<String> again = post("/api/v1/calendar/oauth/" + p(provider) + "/select", user.jwt(), body);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(again.body()).path("calendars").findValuesAsString("id"))
                .containsExactlyElementsOf(created.findValuesAsString("id"));

        HttpResponse<String> list = get("/api/v1/calendar/calendars", user.jwt());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode listed = JSON.readTree(list.body()).path("calendars");
        assertThat(listed.findValuesAsString("id"))
                .containsExactlyInAnyOrderElementsOf(created.findValuesAsString("id"));
        assertThat(listed.findValuesAsString("providerCalendarId")).containsExactlyInAnyOrderElementsOf(ids);

        for (String id : created.findValuesAsString("id")) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(connectionCreated(id)).isGreaterThanOrEqualTo(1));
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT access_token, refresh_token FROM calendar_connections WHERE id = ?::uuid", id);
            String access = (String) row.get("access_token");
            String refresh = (String) row.get("refresh_token");
            String clearAccess = cipher.decrypt(access);
            String clearRefresh = cipher.decrypt(refresh);
            secrets.add(clearAccess);
            secrets.add(clearRefresh);
            assertThat(access).doesNotContain(clearAccess);
            assertThat(refresh).doesNotContain(clearRefresh);
        }
        Thread.sleep(500); // a second select must not have published a second ConnectionCreated
        for (String id : created.findValuesAsString("id")) {
            assertThat(connectionCreated(id)).isEqualTo(1);
        }
        // Nor does the session keep them in clear.
        Map<String, Object> sessionRow = jdbc.queryForMap(
                "SELECT access_token, refresh_token FROM calendar_sessions WHERE id = ?::uuid", sessionId);
        assertThat((String) sessionRow.get("access_token"))
                .doesNotContain(cipher.decrypt((String) sessionRow.get("access_token")));
        // The state was stored with an encrypted verifier and is spent.
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM oauth_states WHERE user_id = ? AND used_at IS NOT NULL",
                        Integer.class,
                        user.id()))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(2)
    void aDeniedConsentComesBackAsAccessDenied(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        URI landing = consent(user, provider, account, "deny");
        assertThat(landing.toString()).startsWith(FRONTEND + "/calendar/connect?");
        assertThat(query(landing))
                .containsEntry("provider", p(provider))
                .containsEntry("error", "access_denied")
                .doesNotContainKey("session");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_sessions WHERE user_id = ?", Integer.class, user.id()))
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(3)
    void aReplayedStateIsRefused(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        URI callback = approveToCallback(user, provider, account);
        URI first = follow(callback);
        assertThat(query(first)).containsKey("session");
        URI replay = follow(callback);
        assertThat(query(replay)).containsEntry("error", "invalid_state").doesNotContainKey("session");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_audit_logs WHERE action = 'oauth.callback' AND outcome = 'failure'"
                                + " AND detail LIKE '%invalid_state (reused)%' AND user_id = ?",
                        Integer.class, user.id()))
                .isEqualTo(1);
        // An unknown state, and a live state of the other provider, are refused alike.
        String other = provider == Provider.GOOGLE ? "microsoft" : "google";
        URI unknown = URI.create(gatewayUrl + "/api/v1/calendar/oauth/" + p(provider) + "/callback?code=abc&state="
                + enc("not-a-state-" + UUID.randomUUID()));
        assertThat(query(follow(unknown))).containsEntry("error", "invalid_state");
        HttpResponse<String> login =
                send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/calendar/oauth/" + p(provider) + "/login"))
                        .header("Authorization", "Bearer " + user.jwt())
                        .header("Accept", "application/json")
                        .GET());
        String liveState = query(
                        URI.create(JSON.readTree(login.body()).path("authUrl").asString()))
                .get("state");
        secrets.add(liveState);
        URI wrongProvider = URI.create(
                gatewayUrl + "/api/v1/calendar/oauth/" + other + "/callback?code=abc&state=" + enc(liveState));
        assertThat(query(follow(wrongProvider)))
                .containsEntry("error", "invalid_state")
                .containsEntry("provider", other);
    }

    /**
     * The login CSRF: an attacker starts a login and gets a victim to approve the consent link in the victim's own
     * browser. That browser has no cookie of the attacker's login, so the callback refuses it; the state is spent, so
     * the attacker cannot finish it either, and no session (the victim's calendars) exists for anybody.
     */
    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(4)
    void aCallbackFromAnotherBrowserThanTheLoginsIsRefused(Provider provider) throws Exception {
        User attacker = newUser();
        Account victims = newAccount(provider, attacker);
        URI callback = approveToCallback(attacker, provider, victims);
        URI landing = followInAnotherBrowser(callback);
        assertThat(query(landing)).containsEntry("error", "invalid_state").doesNotContainKey("session");
        assertThat(query(follow(callback)))
                .as("spent: the attacker's browser cannot finish it")
                .containsEntry("error", "invalid_state");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_sessions WHERE user_id = ?", Integer.class, attacker.id()))
                .isZero();
        // The attacker's own login, finished in the attacker's browser, works; and no audit answer names its session:
        // the callback's redirect is the only place a session id appears.
        String session = query(consent(attacker, provider, newAccount(provider, attacker), "approve"))
                .get("session");
        assertThat(session).isNotNull();
        String audit = get("/api/v1/calendar/audit", attacker.jwt()).body();
        assertThat(audit).contains("oauth.callback").doesNotContain(session);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(4)
    void anExpiredStateIsRefused(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        URI callback = approveToCallback(user, provider, account);
        jdbc.update("UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE user_id = ?", user.id());
        URI landing = follow(callback);
        assertThat(query(landing)).containsEntry("error", "expired_state").containsEntry("provider", p(provider));
    }

    @Test
    @Order(5)
    void anotherUserCannotReadTheSession() throws Exception {
        for (Provider provider : Provider.values()) {
            User owner = newUser();
            Account account = newAccount(provider, owner);
            String sessionId =
                    query(consent(owner, provider, account, "approve")).get("session");
            User stranger = newUser();
            HttpResponse<String> r = get("/api/v1/calendar/oauth/session/" + sessionId, stranger.jwt());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
            assertThat(JSON.readTree(r.body()).path("code").asString()).isEqualTo("NOT_FOUND");
            HttpResponse<String> sel = post(
                    "/api/v1/calendar/oauth/" + p(provider) + "/select",
                    stranger.jwt(),
                    JSON.writeValueAsString(Map.of("sessionId", sessionId, "calendarIds", List.of("x"))));
            assertThat(sel.statusCode()).isEqualTo(404);
            assertThat(get("/api/v1/calendar/oauth/session/" + sessionId, owner.jwt())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    @Order(6)
    void loginAnswersJsonForTheFrontendAndNeedsAUser() throws Exception {
        User user = newUser();
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/calendar/oauth/google/login"))
                        .header("Authorization", "Bearer " + user.jwt())
                        .header("Accept", "application/json")
                        .GET());
        assertThat(r.statusCode()).isEqualTo(200);
        URI auth = URI.create(JSON.readTree(r.body()).path("authUrl").asString());
        Map<String, String> q = query(auth);
        assertThat(q)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("access_type", "offline")
                .containsEntry("prompt", "consent")
                .containsKeys("state", "code_challenge");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(q.get("scope")).contains("https://www.googleapis.com/auth/calendar");
        HttpResponse<String> ms =
                send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/calendar/oauth/microsoft/login"))
                        .header("Authorization", "Bearer " + user.jwt())
                        .header("Accept", "application/json")
                        .GET());
        assertThat(query(URI.create(JSON.readTree(ms.body()).path("authUrl").asString()))
                        .get("scope"))
                .contains("offline_access", "Calendars.ReadWrite", "User.Read");
        assertThat(get("/api/v1/calendar/oauth/google/login", null).statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/calendar/oauth/yahoo/login", user.jwt()).statusCode())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(7)
    void eightConcurrentCallersCauseExactlyOneRefresh(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        List<String> connectionIds = connect(user, provider, account);
        OAuthEngine engine = sandbox.bean(OAuthEngine.class);
        engine.expireAccessTokens(account.id());
        jdbc.update("UPDATE calendar_connections SET token_expires_at = now() WHERE user_id = ?", user.id());
        int before = engine.refreshGrants(account.id());

        AccessTokens tokens = oauth.getBean(AccessTokens.class);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                UUID id = UUID.fromString(connectionIds.get(i % connectionIds.size()));
                results.add(pool.submit(() -> {
                    go.await();
                    return tokens.accessToken(id);
                }));
            }
            go.countDown();
            Set<String> distinct = ConcurrentHashMap.newKeySet();
            for (Future<String> f : results) {
                distinct.add(f.get());
            }
            secrets.addAll(distinct);
            assertThat(distinct).hasSize(1);
        }
        assertThat(engine.refreshGrants(account.id()) - before).isEqualTo(1);
        // The token works at the provider, and the refreshed (for Microsoft: rotated) tokens are stored encrypted.
        String stored = jdbc.queryForObject(
                "SELECT refresh_token FROM calendar_connections WHERE id = ?::uuid",
                String.class,
                connectionIds.get(0));
        secrets.add(cipher.decrypt(stored));
        assertThat(engine.authenticate(provider, "Bearer " + results.get(0).get()))
                .isPresent();
        // A second round needs no refresh at all.
        tokens.accessToken(UUID.fromString(connectionIds.get(0)));
        assertThat(engine.refreshGrants(account.id()) - before).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    @Order(8)
    void aRevokedRefreshTokenDisconnectsWithItsReason(Provider provider) throws Exception {
        User user = newUser();
        Account account = newAccount(provider, user);
        List<String> connectionIds = connect(user, provider, account);
        OAuthEngine engine = sandbox.bean(OAuthEngine.class);
        engine.revoke(account.id());
        jdbc.update("UPDATE calendar_connections SET token_expires_at = now() WHERE user_id = ?", user.id());

        AccessTokens tokens = oauth.getBean(AccessTokens.class);
        assertThatThrownBy(() -> tokens.accessToken(UUID.fromString(connectionIds.get(0))))
                .isInstanceOf(TokenRevokedException.class)
                .hasMessageContaining("invalid_grant");

        JsonNode listed = JSON.readTree(
                        get("/api/v1/calendar/calendars", user.jwt()).body())
                .path("calendars");
        assertThat(listed.size()).isEqualTo(connectionIds.size());
        for (JsonNode c : listed) {
            assertThat(c.path("isConnected").asBoolean()).isFalse();
            assertThat(c.path("syncStatus").asString()).isEqualTo("FAILED");
            assertThat(c.path("lastSyncError").asString())
                    .contains("invalid_grant")
                    .contains("reconnect");
        }
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_audit_logs WHERE action = 'oauth.token_revoked' AND user_id = ?",
                        Integer.class,
                        user.id()))
                .isEqualTo(1);
    }

    @Test
    @Order(100)
    void noTokenCodeStateOrSecretReachedTheLogs() {
        assertThat(logs.list).isNotEmpty();
        assertThat(secrets).hasSizeGreaterThan(10);
        List<String> ours = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            if (e.getLoggerName().startsWith("io.calsync.sandbox")) {
                continue; // the fake provider's own logs are not ours
            }
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            e.getMDCPropertyMap().values().forEach(v -> line.append(' ').append(v));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getMessage());
            }
            ours.add(line.toString());
        }
        // The flow itself was captured (ids and outcomes), not just start-up noise.
        assertThat(ours).anyMatch(l -> l.startsWith("oauth callback complete"));
        assertThat(ours).anyMatch(l -> l.startsWith("oauth callback refused"));
        assertThat(ours).anyMatch(l -> l.startsWith("refreshed provider token"));
        assertThat(ours).anyMatch(l -> l.startsWith("provider refused the refresh token"));
        for (String secret : secrets) {
            assertThat(ours).noneMatch(l -> l.contains(secret));
        }
    }

    // ---------------------------------------------------------------------------------------------- the browser

    record User(UUID id, String email, String jwt) {}

    User newUser() {
        String email = "user-" + UUID.randomUUID() + "@example.test";
        String jwt = TestTokens.forEmail(email);
        secrets.add(jwt);
        // The gateway creates the user on first sight; read its id back from the database.
        try {
            get("/api/v1/calendar/calendars", jwt);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        UUID id = jdbc.queryForObject("SELECT id FROM calendar_users WHERE lower(email) = lower(?)", UUID.class, email);
        return new User(id, email, jwt);
    }

    static Account newAccount(Provider provider, User user) {
        String domain = provider == Provider.GOOGLE ? "gmail.sandbox.test" : "outlook.sandbox.test";
        return sandbox.bean(SandboxState.class)
                .createAccount(provider, "acct-" + UUID.randomUUID() + "@" + domain, "Account of " + user.email());
    }

    /** Login at the gateway, the consent page, a decision: the callback URI the provider sends the browser to. */
    URI decide(User user, Provider provider, Account account, String decision) throws Exception {
        HttpResponse<String> login = get("/api/v1/calendar/oauth/" + p(provider) + "/login", user.jwt());
        assertThat(login.statusCode()).isEqualTo(302);
        URI authorize = location(login);
        assertThat(authorize.toString()).startsWith(sandbox.baseUrl());
        String state = query(authorize).get("state");
        secrets.add(state);
        // The browser keeps the cookie the login set; the callback brings it back (see follow).
        String cookie = login.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("calsync_oauth="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the login set no browser binding: " + login.headers()));
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/api/v1/calendar/oauth");
        browsers.put(state, cookie.substring(0, cookie.indexOf(';')));

        HttpResponse<String> page = send(HttpRequest.newBuilder(authorize).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher form = CONSENT_FORM.matcher(page.body());
        assertThat(form.find()).as("consent form").isTrue();
        assertThat(page.body()).contains(account.email());

        String fields = "decision=" + decision + "&accountId=" + enc(account.id());
        HttpResponse<String> decided = send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + form.group(1)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(fields)));
        assertThat(decided.statusCode()).isEqualTo(302);
        URI callback = location(decided);
        assertThat(callback.toString()).startsWith(gatewayUrl + "/api/v1/calendar/oauth/" + p(provider) + "/callback");
        String code = query(callback).get("code");
        if (code != null) {
            secrets.add(code);
        }
        return callback;
    }

    URI approveToCallback(User user, Provider provider, Account account) throws Exception {
        return decide(user, provider, account, "approve");
    }

    URI consent(User user, Provider provider, Account account, String decision) throws Exception {
        return follow(decide(user, provider, account, decision));
    }

    /** The cookie each started login left in "its browser", by state. */
    final Map<String, String> browsers = new java.util.concurrent.ConcurrentHashMap<>();

    /** The browser that started the login follows the provider's redirect to the gateway's callback: where to? */
    URI follow(URI callback) throws Exception {
        String state = query(callback).get("state");
        String cookie = state == null ? null : browsers.get(state);
        HttpRequest.Builder b = HttpRequest.newBuilder(callback).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = send(b);
        assertThat(r.statusCode()).isEqualTo(302);
        return location(r);
    }

    /** Another browser (the victim of a forged login) follows the same link: it has no cookie of that login. */
    URI followInAnotherBrowser(URI callback) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(callback).GET());
        assertThat(r.statusCode()).isEqualTo(302);
        return location(r);
    }

    /** The whole happy path; the new connection ids. */
    List<String> connect(User user, Provider provider, Account account) throws Exception {
        String sessionId = query(consent(user, provider, account, "approve")).get("session");
        assertThat(sessionId).isNotNull();
        JsonNode s = JSON.readTree(
                get("/api/v1/calendar/oauth/session/" + sessionId, user.jwt()).body());
        List<String> ids = s.path("calendars").findValuesAsString("id");
        HttpResponse<String> r = post(
                "/api/v1/calendar/oauth/" + p(provider) + "/select",
                user.jwt(),
                JSON.writeValueAsString(Map.of("sessionId", sessionId, "calendarIds", ids)));
        assertThat(r.statusCode()).isEqualTo(201);
        List<String> connections = JSON.readTree(r.body()).path("calendars").findValuesAsString("id");
        for (String id : connections) {
            secrets.add(cipher.decrypt(jdbc.queryForObject(
                    "SELECT access_token FROM calendar_connections WHERE id = ?::uuid", String.class, id)));
            secrets.add(cipher.decrypt(jdbc.queryForObject(
                    "SELECT refresh_token FROM calendar_connections WHERE id = ?::uuid", String.class, id)));
        }
        return connections;
    }

    HttpResponse<String> get(String path, String jwt) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(gatewayUrl + path)).GET();
        if (jwt != null) {
            b.header("Authorization", "Bearer " + jwt);
        }
        return send(b);
    }

    HttpResponse<String> post(String path, String jwt, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(gatewayUrl + path))
                .header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI location(HttpResponse<?> r) {
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String p(Provider provider) {
        return provider.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** As command-line arguments: default properties would lose against application.yml (server.port). */
    static String[] args(Map<String, Object> props) {
        return props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
