package io.calsync.sync;

import static io.calsync.providers.google.GoogleSandbox.control;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.providers.google.GoogleSandbox;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Connections are synced at the same time inside one instance, not one after another per consumer: with every Google
 * list call taking 400 ms, 16 new connections published at once are worked on by more tasks at once than the
 * instance has consumer threads (2), each ends with exactly its events, and a connection's notifications that arrive
 * while its initial sync runs are applied after it, in order (its last change is what is stored).
 */
@SpringBootTest(
        classes = SyncApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.consumer-group=concurrent-sync-it",
            "calsync.sync.work-concurrency=32",
            "GOOGLE_CLIENT_ID=sandbox-google-client",
            "GOOGLE_CLIENT_SECRET=sandbox-google-secret"
        })
class ConcurrentSyncIT {

    static final int CONNECTIONS = 16;
    static final Duration WAIT = Duration.ofSeconds(60);

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

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void noFaults() {
        control("DELETE", "/control/faults", null);
    }

    @Test
    void connectionsAreSyncedAtTheSameTimeEachWithItsOwnEventsAndInOrder() throws Exception {
        List<UUID> connections = new ArrayList<>();
        List<GoogleSandbox.Account> accounts = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            GoogleSandbox.Account account = GoogleSandbox.newAccount();
            for (int e = 0; e < 3; e++) {
                GoogleSandbox.seed(account.email(), """
                        {"summary":"c%d-e%d","start":{"dateTime":"2026-12-0%dT10:00:00Z"},
                         "end":{"dateTime":"2026-12-0%dT11:00:00Z"}}
                        """.formatted(i, e, e + 1, e + 1));
            }
            accounts.add(account);
            connections.add(SyncItSupport.connect(
                            jdbc,
                            cipher,
                            CalendarProvider.GOOGLE,
                            account.email(),
                            account.email(),
                            GoogleSandbox.issueAccessToken(account))
                    .connection());
        }
        control("POST", "/control/faults", """
                {"id":null,"provider":"GOOGLE","method":"GET","pathPattern":".*/events","kind":"LATENCY","status":200,
                 "latencyMs":400,"retryAfterSeconds":0,"times":1000}
                """);

        AtomicInteger most = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watch = Thread.ofPlatform().start(() -> {
            while (watching.get()) {
                var gauge = meters.find("calsync.sync.work.running").gauge();
                if (gauge != null) {
                    most.accumulateAndGet((int) gauge.value(), Math::max);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        for (UUID c : connections) {
            UUID user = jdbc.queryForObject("SELECT user_id FROM calendar_connections WHERE id = ?", UUID.class, c);
            publisher.publishAndWait(
                    new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), c, user, CalendarProvider.GOOGLE), WAIT);
        }
        // The first connection changes twice at Google while its initial sync may still run: both notifications
        // are applied after it, in order, and the last title is what is stored.
        String first = accounts.getFirst().email();
        String id = GoogleSandbox.seedId(first, """
                {"summary":"v1","start":{"dateTime":"2026-12-09T10:00:00Z"},"end":{"dateTime":"2026-12-09T11:00:00Z"}}
                """);
        publisher.publishAndWait(SyncItSupport.googleChange(connections.getFirst()), WAIT);
        GoogleSandbox.patchAtGoogle(first, id, "{\"summary\":\"v2\"}");
        publisher.publishAndWait(SyncItSupport.googleChange(connections.getFirst()), WAIT);

        await().atMost(WAIT)
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM calendar_connections WHERE sync_status = 'SYNCED' AND id = ANY (?::uuid[])",
                                Integer.class,
                                (Object)
                                        connections.stream().map(UUID::toString).toArray(String[]::new))
                        == CONNECTIONS);
        await().atMost(WAIT)
                .until(() -> jdbc.queryForList(
                                "SELECT title FROM calendar_events WHERE connection_id = ? AND provider_event_id = ?",
                                String.class,
                                connections.getFirst(),
                                id)
                        .equals(List.of("v2")));
        watching.set(false);
        watch.join();

        assertThat(most.get())
                .as("connections worked on at once in one instance with 2 consumer threads")
                .isGreaterThan(2);
        for (int i = 0; i < CONNECTIONS; i++) {
            List<String> titles = jdbc.queryForList(
                    "SELECT title FROM calendar_events WHERE connection_id = ? AND title LIKE 'c%' ORDER BY title",
                    String.class, connections.get(i));
            assertThat(titles)
                    .as("connection %d", i)
                    .containsExactly("c" + i + "-e0", "c" + i + "-e1", "c" + i + "-e2");
        }
    }
}
