package io.calsync.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.testsupport.RestartableKafkaBroker;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The broker goes away under load and comes back. A second ingest runs against a broker of its own
 * ({@link RestartableKafkaBroker}: the shared one of the test run cannot be stopped), while four senders post
 * verified Graph notifications, each with its own resource, the whole time: broker up, broker stopped, broker
 * restarted on the same port and log directory. Every answer is 202 or 503 and comes within Graph's 3 seconds; while
 * the broker is down the answers are 503 with Retry-After; and afterwards every notification that got 202 is on the
 * topic exactly once: nothing acknowledged is lost.
 */
class BrokerOutageIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutageIT.class);
    static final String SUBSCRIPTION = "0b7c4e2a-6d1f-4a8e-9c3b-5e2f7a1d8c46"; // Graph ids are GUIDs
    static final String CLIENT_STATE = "outage-client-state";
    static final int SENDERS = 4;

    static RestartableKafkaBroker broker;
    static ConfigurableApplicationContext ingest;
    static String url;
    static UUID connection;

    @BeforeAll
    static void start() {
        broker = RestartableKafkaBroker.start();
        Database db = TestInfrastructure.newDatabase();
        ingest = IngestItSupport.startIngest(IngestItSupport.infrastructure(db, broker.bootstrapServers()));
        url = IngestItSupport.baseUrl(ingest) + "/api/v1/calendar/webhooks/microsoft";
        JdbcTemplate jdbc = ingest.getBean(JdbcTemplate.class);
        connection = IngestItSupport.insertConnection(jdbc, CalendarProvider.MICROSOFT);
        IngestItSupport.insertSubscription(
                jdbc, connection, CalendarProvider.MICROSOFT, SUBSCRIPTION, null, CLIENT_STATE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** One POST: which notification, when it was sent relative to the broker's state, and what came back. */
    record Answer(
            String resource,
            Phase phase,
            long sentAt,
            long answeredAt,
            int status,
            long millis,
            String retryAfter,
            String body) {}

    enum Phase {
        UP,
        DOWN,
        RESTARTED
    }

    @Test
    void whatWasAcknowledgedSurvivesAStoppedBrokerAndWhileItIsDownTheAnswerIs503InTime() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong sequence = new AtomicLong();
        // The phase a request was sent in; requests in flight at a switch may see either state of the broker.
        java.util.concurrent.atomic.AtomicReference<Phase> phase =
                new java.util.concurrent.atomic.AtomicReference<>(Phase.UP);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(Thread.ofVirtual().start(() -> {
                while (sending.get()) {
                    String resource = "Users/outage/Events/" + sequence.incrementAndGet();
                    Phase sentIn = phase.get();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(notification(resource)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        answers.add(new Answer(
                                resource,
                                sentIn,
                                t0,
                                System.nanoTime(),
                                r.statusCode(),
                                (System.nanoTime() - t0) / 1_000_000,
                                r.headers().firstValue("Retry-After").orElse(null),
                                r.body()));
                    } catch (Exception e) {
                        answers.add(new Answer(
                                resource,
                                sentIn,
                                t0,
                                System.nanoTime(),
                                -1,
                                (System.nanoTime() - t0) / 1_000_000,
                                null,
                                e.toString()));
                    }
                    pause(20);
                }
            }));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, Phase.UP, 202) >= 40);
        phase.set(Phase.DOWN);
        broker.stop();
        long downSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count(answers, Phase.DOWN, 503) >= 12
                        && System.nanoTime() - downSince > Duration.ofSeconds(5).toNanos());
        long restartFrom = System.nanoTime();
        broker.restart();
        phase.set(Phase.RESTARTED);
        await().atMost(Duration.ofSeconds(60)).until(() -> count(answers, Phase.RESTARTED, 202) >= 40);
        sending.set(false);
        for (Thread t : senders) {
            t.join(15_000);
        }

        List<Answer> all = List.copyOf(answers);
        assertThat(all).extracting(Answer::status).containsOnly(202, 503);
        assertThat(all)
                .as("every answer, 503s included, within Graph's 3 seconds")
                .allSatisfy(a -> assertThat(a.millis()).isLessThan(3_000));
        List<Answer> unavailable = all.stream().filter(a -> a.status() == 503).toList();
        assertThat(unavailable).allSatisfy(a -> {
            assertThat(a.retryAfter()).isEqualTo("5");
            assertThat(a.body()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        });
        // Sent after the stop completed and answered before the restart began: the broker was down for all of these.
        // (Requests sent while it was down but still waiting when it came back may well succeed, and do.)
        assertThat(all.stream().filter(a -> a.sentAt() - downSince > 0 && restartFrom - a.answeredAt() > 0))
                .hasSizeGreaterThanOrEqualTo(SENDERS)
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(503));

        Set<String> acknowledged = all.stream()
                .filter(a -> a.status() == 202)
                .map(Answer::resource)
                .collect(Collectors.toSet());
        Map<String, Long> delivered = readTopicUntilQuiet();
        Set<String> lost =
                acknowledged.stream().filter(r -> !delivered.containsKey(r)).collect(Collectors.toSet());
        Set<String> duplicated = acknowledged.stream()
                .filter(r -> delivered.getOrDefault(r, 0L) > 1)
                .collect(Collectors.toSet());
        long deliveredDespite503 = unavailable.stream()
                .filter(a -> delivered.containsKey(a.resource()))
                .count();
        log.info(
                "broker outage: {} answers, {} acknowledged, {} answered 503 ({} of them on the topic anyway), "
                        + "{} acknowledged found on the topic",
                all.size(),
                acknowledged.size(),
                unavailable.size(),
                deliveredDespite503,
                acknowledged.size() - lost.size());

        assertThat(lost).as("acknowledged but not on the topic").isEmpty();
        assertThat(duplicated)
                .as("acknowledged and on the topic more than once")
                .isEmpty();
        assertThat(acknowledged.stream().mapToLong(delivered::get).sum())
                .as("acknowledged count equals delivered count")
                .isEqualTo(acknowledged.size());
    }

    /** Every resource on the topic with how often it is there, read until two polls in a row bring nothing new. */
    private static Map<String, Long> readTopicUntilQuiet() throws InterruptedException {
        try (NotificationCollector collector = new NotificationCollector(broker.bootstrapServers())) {
            AtomicLong last = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        long n = collector.all().size();
                        return n > 0 && n == last.getAndSet(n);
                    });
            return collector.all().stream()
                    .filter(r -> connection.toString().equals(r.key()))
                    .map(r -> r.message().resource())
                    .collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
        }
    }

    private static long count(ConcurrentLinkedQueue<Answer> answers, Phase phase, int status) {
        return answers.stream()
                .filter(a -> a.phase() == phase && a.status() == status)
                .count();
    }

    private static String notification(String resource) {
        return """
                {"value":[{"subscriptionId":"%s","clientState":"%s","changeType":"updated","resource":"%s",\
                "subscriptionExpirationDateTime":"2026-12-01T00:00:00Z","tenantId":"t"}]}""".formatted(SUBSCRIPTION, CLIENT_STATE, resource);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
