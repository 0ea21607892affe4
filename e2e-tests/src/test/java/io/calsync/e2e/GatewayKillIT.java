package io.calsync.e2e;

import static io.calsync.e2e.RunningSystem.JSON;
import static io.calsync.e2e.RunningSystem.connect;
import static io.calsync.e2e.RunningSystem.control;
import static io.calsync.e2e.RunningSystem.enc;
import static io.calsync.e2e.RunningSystem.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The gateway killed (SIGKILL) while 200 {@code POST /events}, each with an {@code Idempotency-Key}, are in flight
 * from 20 users, who retry what got no answer (a cut connection, a refused one while it is down, a 503) with the same
 * key, as a frontend does. The gateway is started again on the same port. Every event exists exactly once, in our
 * database and at the provider (the Google sandbox), every client ends with an answer naming that event, and none is
 * left {@code PENDING}.
 */
class GatewayKillIT {

    static final int USERS = 20;
    static final int EACH = 10;
    static final Duration WAIT = Duration.ofSeconds(180);

    private static final Logger log = LoggerFactory.getLogger(GatewayKillIT.class);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @BeforeAll
    static void theSystem() {
        RunningSystem.startAll();
    }

    @AfterAll
    static void stop() {
        RunningSystem.stopAll();
    }

    record Account(String user, UUID calendar, String email) {}

    record Outcome(String title, String eventId, int attempts, int status) {}

    @Test
    void aGatewayKilledUnder200IdempotentCreatesLeavesEveryEventExactlyOnceAtTheProviderToo() throws Exception {
        List<Account> accounts = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            JsonNode account = control("POST", "/control/accounts", """
                    {"provider":"GOOGLE","email":"kill-%s@gmail.sandbox.test","displayName":"Kill"}
                    """.formatted(shortId()));
            String email = account.get("email").stringValue();
            String user = "kill-" + shortId() + "@app.test";
            accounts.add(new Account(user, connect(user, CalendarProvider.GOOGLE, email, email, account), email));
        }

        String base = RunningSystem.gateway.baseUrl();
        ExecutorService pool = Executors.newFixedThreadPool(USERS * EACH);
        CountDownLatch firstAnswers = new CountDownLatch(20);
        AtomicInteger cut = new AtomicInteger();
        AtomicInteger refused503 = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Account a : accounts) {
            for (int i = 0; i < EACH; i++) {
                String title = "kill-" + a.calendar() + "-" + i;
                String key = UUID.randomUUID().toString();
                String body = "{\"calendarId\":\"" + a.calendar() + "\",\"title\":\"" + title
                        + "\",\"startTime\":\"2026-12-1" + (i % 9) + "T10:00:00Z\",\"endTime\":\"2026-12-1" + (i % 9)
                        + "T11:00:00Z\"}";
                futures.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    int attempts = 0;
                    while (System.nanoTime() < deadline) {
                        attempts++;
                        try {
                            HttpResponse<String> r = HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/api/v1/calendar/events"))
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Authorization", "Bearer " + TestTokens.forEmail(a.user()))
                                            .header("Content-Type", "application/json")
                                            .header("Idempotency-Key", key)
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.merge(r.statusCode(), 1, Integer::sum);
                            firstAnswers.countDown();
                            if (r.statusCode() == 201 || r.statusCode() == 200) {
                                return new Outcome(
                                        title,
                                        JSON.readTree(r.body()).get("id").stringValue(),
                                        attempts,
                                        r.statusCode());
                            }
                            if (r.statusCode() == 503) {
                                refused503.incrementAndGet();
                            } else {
                                return new Outcome(title, null, attempts, r.statusCode()); // a failure to report
                            }
                        } catch (IOException e) { // cut off by the kill, or refused while it is down
                            cut.incrementAndGet();
                        }
                        Thread.sleep(500);
                    }
                    return new Outcome(title, null, attempts, -1);
                }));
            }
        }
        firstAnswers.await();
        long killedAt = System.nanoTime();
        RunningSystem.gateway.kill();
        RunningSystem.gateway = RunningSystem.gateway.again();
        RunningSystem.services.add(RunningSystem.gateway);
        RunningSystem.gateway.awaitReady(Duration.ofSeconds(120));
        long downMs = (System.nanoTime() - killedAt) / 1_000_000;

        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes)
                .as("every client ends with its event")
                .allMatch(o -> o.eventId() != null, "has an event id");
        assertThat(cut.get() + refused503.get())
                .as("the kill cut some requests off")
                .isPositive();

        for (Account a : accounts) {
            for (int i = 0; i < EACH; i++) {
                String title = "kill-" + a.calendar() + "-" + i;
                List<String> ids = RunningSystem.jdbc.queryForList(
                        "SELECT id::text FROM calendar_events WHERE connection_id = ? AND title = ?",
                        String.class,
                        a.calendar(),
                        title);
                assertThat(ids).as(title).hasSize(1);
                String answered = outcomes.stream()
                        .filter(o -> o.title().equals(title))
                        .findFirst()
                        .orElseThrow()
                        .eventId();
                assertThat(answered).as("the answer names the stored event").isEqualTo(ids.getFirst());
            }
        }
        await().atMost(WAIT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> RunningSystem.jdbc.queryForObject(
                                "SELECT count(*) FROM calendar_events WHERE title LIKE 'kill-%' AND sync_status <> 'SYNCED'",
                                Integer.class)
                        == 0);
        int atProvider = 0;
        for (Account a : accounts) {
            Map<String, Integer> titles = new java.util.HashMap<>();
            for (JsonNode e : control("GET", "/control/google/calendars/" + enc(a.email()) + "/events", null)) {
                if (!"cancelled".equals(e.path("status").asString(""))) {
                    titles.merge(e.path("summary").asString(""), 1, Integer::sum);
                }
            }
            for (int i = 0; i < EACH; i++) {
                assertThat(titles.get("kill-" + a.calendar() + "-" + i))
                        .as("at Google, once")
                        .isEqualTo(1);
                atProvider++;
            }
        }
        log.info(
                "fault: gateway-sigkill writes={} stored={} atProvider={} duplicates=0 cutOrRefused={} answered503={}"
                        + " retriedClients={} downMs={} statuses={}",
                outcomes.size(),
                outcomes.size(),
                atProvider,
                cut.get(),
                refused503.get(),
                outcomes.stream().filter(o -> o.attempts() > 1).count(),
                downMs,
                statuses);
    }
}
