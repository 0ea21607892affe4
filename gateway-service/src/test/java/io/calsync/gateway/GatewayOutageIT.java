package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import io.calsync.testsupport.RestartablePostgres;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway while what it stands on goes away, outside the dev profile (nothing falls back): a PostgreSQL of the
 * test's own stopped for 10 s under writes of eight users, and a Redis of its own (Debian's {@code redis-server})
 * stopped and started again. While a part is down every answer is a 503 {@code SERVICE_UNAVAILABLE} problem with
 * {@code Retry-After}, within the connection timeouts, never a 500 or a hang; afterwards every write that was
 * acknowledged (201) is stored once and its command is on the topic for the sync engine, and the service recovers
 * without a restart. Each test prints a {@code fault:} line for docs/reliability.md.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.outbox.relay.slot-name=it_gateway_outage",
            "spring.datasource.hikari.connection-timeout=2000"
        })
class GatewayOutageIT {

    static final RestartablePostgres POSTGRES = RestartablePostgres.start();
    static final LocalRedis REDIS = LocalRedis.start();

    private static final Logger log = LoggerFactory.getLogger(GatewayOutageIT.class);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.database().jdbcUrl());
        registry.add("spring.datasource.username", () -> POSTGRES.database().username());
        registry.add("spring.datasource.password", () -> POSTGRES.database().password());
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("REDIS_URL", REDIS::url);
        registry.add("spring.data.redis.url", REDIS::url); // REDIS_URL is mapped before test properties exist
    }

    @AfterAll
    static void stopParts() {
        REDIS.stop();
        POSTGRES.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void postgresStoppedUnderWritesAnswers503AndLosesNoAcknowledgedWrite() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, jdbc);
        record Writer(ApiClient.User user, UUID calendar) {}
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ApiClient.User u = api.user();
            writers.add(new Writer(u, api.calendar(u, "GOOGLE")));
        }
        record Answer(int status, String title, String id, String retryAfter, String code, long millis) {}
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (Writer w : writers) {
            threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                while (!stop.get()) {
                    String title = "outage-" + w.calendar() + "-" + n++;
                    long started = System.nanoTime();
                    try {
                        ApiClient.Reply r = api.call(
                                "POST",
                                "/api/v1/calendar/events",
                                w.user().token(),
                                "{\"calendarId\":\"" + w.calendar() + "\",\"title\":\"" + title
                                        + "\",\"startTime\":\"2026-12-10T10:00:00Z\","
                                        + "\"endTime\":\"2026-12-10T11:00:00Z\"}");
                        JsonNode body = r.body();
                        answers.add(new Answer(
                                r.status(),
                                title,
                                r.status() == 201 ? body.get("id").asString() : null,
                                r.header("Retry-After"),
                                body != null && body.has("code")
                                        ? body.get("code").asString()
                                        : null,
                                (System.nanoTime() - started) / 1_000_000));
                        Thread.sleep(2100); // under the 30 writes a minute each user may make
                    } catch (Exception e) {
                        answers.add(new Answer(-1, title, null, null, e.toString(), 0));
                    }
                }
            }));
        }
        Thread.sleep(5000);
        long down = System.nanoTime();
        POSTGRES.stop();
        Thread.sleep(10_000);
        POSTGRES.restart();
        long outage = (System.nanoTime() - down) / 1_000_000;
        Thread.sleep(8000);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }

        List<Answer> acknowledged =
                answers.stream().filter(a -> a.status() == 201).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() == 503).toList();
        assertThat(answers)
                .as("every answer is a 201 or a 503, never a 500, a 429 or a broken connection")
                .allMatch(a -> a.status() == 201 || a.status() == 503);
        assertThat(refused).as("the outage was seen").isNotEmpty();
        assertThat(refused).allMatch(a -> "SERVICE_UNAVAILABLE".equals(a.code()) && a.retryAfter() != null);
        assertThat(answers).as("no answer hangs").allMatch(a -> a.millis() < 6000);

        // Every acknowledged write is stored once and its command reaches the topic the sync engine reads.
        Set<String> ids = new HashSet<>();
        acknowledged.forEach(a -> ids.add(a.id()));
        for (Answer a : acknowledged) {
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM calendar_events WHERE title = ?", Integer.class, a.title()))
                    .as(a.title())
                    .isEqualTo(1);
        }
        Set<String> commanded = commandsFor(ids, Duration.ofSeconds(90));
        assertThat(commanded).containsExactlyInAnyOrderElementsOf(ids);
        // And the gateway answers again without a restart.
        assertThat(api.call(
                                "GET",
                                "/api/v1/calendar/calendars",
                                writers.getFirst().user().token(),
                                null)
                        .status())
                .isEqualTo(200);
        log.info(
                "fault: postgres-stop acknowledged={} refused503={} other={} stored={} commandsPublished={} outageMs={}"
                        + " slowestAnswerMs={}",
                acknowledged.size(),
                refused.size(),
                answers.size() - acknowledged.size() - refused.size(),
                acknowledged.size(),
                commanded.size(),
                outage,
                answers.stream().mapToLong(Answer::millis).max().orElse(0));
    }

    @Test
    void redisStoppedFailsClosedWith503AndRecoversWithoutARestart() throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + port, jdbc);
        ApiClient.User user = api.user();
        UUID calendar = api.calendar(user, "GOOGLE");
        String write = "{\"calendarId\":\"" + calendar
                + "\",\"title\":\"Redis\",\"startTime\":\"2026-12-10T10:00:00Z\",\"endTime\":\"2026-12-10T11:00:00Z\"}";
        assertThat(api.call("GET", "/api/v1/calendar/calendars", user.token(), null)
                        .status())
                .isEqualTo(200);

        REDIS.stop();
        int refused = 0;
        long slowest = 0;
        for (String[] call : List.of(
                new String[] {"GET", "/api/v1/calendar/calendars", null},
                new String[] {"GET", "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2026-12-31T00:00:00Z", null
                },
                new String[] {"POST", "/api/v1/calendar/events", write})) {
            long started = System.nanoTime();
            ApiClient.Reply r = api.call(call[0], call[1], user.token(), call[2]);
            long millis = (System.nanoTime() - started) / 1_000_000;
            slowest = Math.max(slowest, millis);
            assertThat(r.status()).as(call[0] + " " + call[1] + ": " + r.raw()).isEqualTo(503);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.body().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(r.header("Retry-After")).isNotNull();
            assertThat(millis).as("within Redis's 2 s timeout, not a hang").isLessThan(5000);
            refused++;
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM calendar_events WHERE title = 'Redis'", Integer.class))
                .as("nothing written while the blacklist could not be checked")
                .isZero();

        REDIS.restart();
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.call("GET", "/api/v1/calendar/calendars", user.token(), null)
                                .status()
                        == 200);
        long recovery = (System.nanoTime() - back) / 1_000_000;
        assertThat(api.call("POST", "/api/v1/calendar/events", user.token(), write)
                        .status())
                .isEqualTo(201);
        // The blacklist is read again: the main app's logout of this token takes effect at once.
        REDIS.command("SET", "token_blacklist:" + jti(user.token()), "1");
        assertThat(api.call("GET", "/api/v1/calendar/calendars", user.token(), null)
                        .status())
                .isEqualTo(401);
        log.info(
                "fault: redis-stop refused503={} other=0 slowestAnswerMs={} recoveredAfterMs={} restarted=false",
                refused,
                slowest,
                recovery);
    }

    private static String jti(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return ApiClient.JSON.readTree(payload).get("jti").asString();
    }

    /** The local event ids among {@code ids} whose EventCommand is on the topic. */
    private static Set<String> commandsFor(Set<String> ids, Duration within) {
        Set<String> found = new HashSet<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "gateway-outage-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            c.subscribe(List.of(Topics.EVENT_COMMANDS));
            long deadline = System.nanoTime() + within.toNanos();
            while (!found.containsAll(ids) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    try {
                        if (MessageCodec.decode(r.value()) instanceof EventCommand cmd
                                && ids.contains(cmd.localEventId().toString())) {
                            found.add(cmd.localEventId().toString());
                        }
                    } catch (RuntimeException notOurs) {
                        // other tests' records on the shared broker
                    }
                }
            }
        }
        return found;
    }

    /** Debian's redis-server on a port of its own, nothing on disk; skipped (with the reason) where it is missing. */
    static final class LocalRedis {
        private final int port;
        private Process process;

        private LocalRedis(int port) {
            this.port = port;
        }

        static LocalRedis start() {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            LocalRedis r = new LocalRedis(port);
            r.restart();
            return r;
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        synchronized void restart() {
            String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
            try {
                process = new ProcessBuilder(
                                binary,
                                "--port",
                                String.valueOf(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no")
                        .redirectErrorStream(true)
                        .redirectOutput(new File("target/gateway-outage-redis.log"))
                        .start();
            } catch (IOException e) {
                Assumptions.abort("redis-server is not installed (apt-get install redis-server): " + e.getMessage());
            }
            await().atMost(Duration.ofSeconds(10)).until(this::answers);
        }

        synchronized void stop() {
            if (process != null) {
                process.destroy();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        /** One command in RESP, answered by its first reply line. */
        String command(String... args) throws IOException {
            try (Socket s = new Socket("127.0.0.1", port)) {
                StringBuilder out = new StringBuilder("*" + args.length + "\r\n");
                for (String a : args) {
                    out.append('$')
                            .append(a.getBytes(StandardCharsets.UTF_8).length)
                            .append("\r\n")
                            .append(a)
                            .append("\r\n");
                }
                s.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
                byte[] buf = new byte[256];
                int n = s.getInputStream().read(buf);
                return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8).strip();
            }
        }

        private boolean answers() {
            try {
                return "+PONG".equals(command("PING"));
            } catch (IOException e) {
                return false;
            }
        }
    }
}
