package io.calsync.sync;

import static io.calsync.providers.google.GoogleSandbox.control;
import static io.calsync.providers.google.GoogleSandbox.seedId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.providers.google.GoogleSandbox;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * No secret in any log line: the real sync-service, with DEBUG logging on, handles a connection's tokens the ways it
 * can (an expired access token refreshed at the token endpoint with the client secret, tokens decrypted with
 * ENCRYPTION_KEY, a provider API call with the refreshed token, then a revoked grant refused on refresh), and what it
 * wrote to stdout, JSON lines with their key-value pairs and stack traces, holds none of those values.
 */
@SpringBootTest(
        classes = SyncApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.provider-base-delay=20ms",
            "calsync.sync.provider-max-delay=2s",
            // its own consumer group: other test classes' sync contexts in this JVM share the broker
            "calsync.sync.consumer-group=no-secrets-in-logs-it",
            "GOOGLE_CLIENT_ID=sandbox-google-client",
            "GOOGLE_CLIENT_SECRET=" + NoSecretsInLogsIT.CLIENT_SECRET,
            // What an operator turns on to look closer must not leak either.
            "logging.level.io.calsync=DEBUG"
        })
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsInLogsIT {

    /** The sandbox's Google client secret (EmbeddedSandbox), which the token endpoint checks. */
    static final String CLIENT_SECRET = "sandbox-google-secret";

    static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
        registry.add("GOOGLE_API_BASE_URL", () -> GoogleSandbox.sandbox().baseUrl() + "/google/");
        registry.add("GOOGLE_TOKEN_URI", () -> GoogleSandbox.sandbox().baseUrl() + "/google/token");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MessagePublisher publisher;

    @Autowired
    TokenCipher cipher;

    @Test
    void refreshingUsingAndLosingAGrantLeavesNoTokenClientSecretOrEncryptionKeyInTheLogs(CapturedOutput output) {
        GoogleSandbox.Account account = GoogleSandbox.newAccount();
        JsonNode issued = control("POST", "/control/accounts/" + account.id() + "/tokens", null);
        String firstAccess = issued.get("access_token").stringValue();
        String refresh = issued.get("refresh_token").stringValue();
        seedId(account.email(), """
                {"summary":"Planning","start":{"dateTime":"2026-12-05T14:00:00Z"},"end":{"dateTime":"2026-12-05T15:00:00Z"}}
                """);
        UUID user = jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES (?) RETURNING id",
                UUID.class,
                "u-" + UUID.randomUUID() + "@x.test");
        // Expired: the first call refreshes it at the token endpoint, with the client secret, before Google is asked.
        UUID connection = jdbc.queryForObject(
                """
                INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name, account_email,
                  access_token, refresh_token, token_expires_at)
                VALUES (?, 'GOOGLE', ?, 'Primary', ?, ?, ?, now() - interval '1 minute') RETURNING id
                """,
                UUID.class,
                user,
                account.email(),
                account.email(),
                cipher.encrypt(firstAccess),
                cipher.encrypt(refresh));

        publisher.publishAndWait(
                new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.GOOGLE),
                WAIT);
        await().atMost(WAIT)
                .until(() -> "SYNCED"
                        .equals(connection(connection).get("sync_status").toString()));
        Map<String, Object> afterRefresh = connection(connection);
        String refreshedAccess = cipher.decrypt((String) afterRefresh.get("access_token"));
        String refreshAfterwards = cipher.decrypt((String) afterRefresh.get("refresh_token"));
        assertThat(refreshedAccess).as("the token was refreshed").isNotEqualTo(firstAccess);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE connection_id = ?", Integer.class, connection))
                .as("Google was called with the refreshed token")
                .isEqualTo(1);

        // The user revokes access at Google: the next sync's 401 leads to a refresh that Google refuses.
        control("POST", "/control/accounts/" + account.id() + "/revoke", null);
        control("POST", "/control/accounts/" + account.id() + "/expire-access-tokens", null);
        publisher.publishAndWait(SyncRequested.of(connection, user, SyncRequested.Reason.MANUAL, "req-revoked"), WAIT);
        await().atMost(WAIT)
                .until(() -> Boolean.FALSE.equals(connection(connection).get("is_connected")));

        Set<String> secrets = new LinkedHashSet<>(List.of(
                firstAccess,
                refresh,
                refreshedAccess,
                refreshAfterwards,
                CLIENT_SECRET,
                TestTokens.ENCRYPTION_KEY,
                TestTokens.SECRET));
        List<String> ours = output.getOut()
                .lines()
                .filter(l -> !l.contains("\"logger_name\":\"io.calsync.sandbox.")) // the fake Google's own lines
                .toList();
        // The flow is in the captured lines (its refresh, its refusal), not just start-up noise.
        assertThat(ours)
                .anyMatch(l -> l.contains("refreshed provider token connection=" + connection))
                .anyMatch(l -> l.contains("provider refused the refresh token connection=" + connection));
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(ours).noneMatch(l -> l.contains(secret));
        }
        assertThat(output.getErr()).doesNotContain(secrets.toArray(String[]::new));
    }

    private Map<String, Object> connection(UUID id) {
        return jdbc.queryForMap(
                "SELECT sync_status, is_connected, access_token, refresh_token FROM calendar_connections WHERE id = ?",
                id);
    }
}
