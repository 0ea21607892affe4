package io.calsync.sync;

import static io.calsync.providers.google.GoogleSandbox.control;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.security.EncryptionKeys;
import io.calsync.model.security.TokenCipher;
import io.calsync.providers.google.GoogleSandbox;
import io.calsync.sandbox.google.GoogleCalendarStore;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sync-service process killed in the middle of an initial sync (SIGKILL, after its first page is stored and before
 * the last), then started again: the message comes again, the pass runs again from the old (empty) cursor, and the
 * calendar ends with every event exactly once. The service runs as the real executable jar in its own JVM.
 */
class SyncCrashIT {

    static final int EVENTS = 6_000; // three pages of 2,500
    static final Duration WAIT = Duration.ofSeconds(90);

    final TestInfrastructure.Database db = TestInfrastructure.newDatabase();
    final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        control("DELETE", "/control/faults", null);
    }

    @Test
    void aServiceKilledMidSyncLosesAndDuplicatesNothingWhenItComesBack() throws Exception {
        GoogleSandbox.Account account = GoogleSandbox.newAccount();
        GoogleCalendarStore store = GoogleSandbox.sandbox().bean(GoogleCalendarStore.class);
        Instant base = Instant.parse("2026-12-01T08:00:00Z");
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode e = GoogleSandbox.JSON.createObjectNode();
            e.put("summary", "Event " + i);
            e.putObject("start").put("dateTime", base.plusSeconds(3600L * i).toString());
            e.putObject("end")
                    .put("dateTime", base.plusSeconds(3600L * i + 1800).toString());
            store.insert(account.email(), e);
        }
        // Every list page takes 2 s, so the pass is still running when the process dies.
        control("POST", "/control/faults", """
                {"id":null,"provider":"GOOGLE","method":"GET","pathPattern":".*/events","kind":"LATENCY","status":200,
                 "latencyMs":2000,"retryAfterSeconds":0,"times":1000}
                """);

        Process first = start("first");
        awaitMigrated();
        TokenCipher cipher = new TokenCipher(EncryptionKeys.parse(TestTokens.ENCRYPTION_KEY));
        UUID user = jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES ('crash@x.test') RETURNING id", UUID.class);
        UUID connection = jdbc.queryForObject(
                """
                INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name, account_email,
                  access_token, refresh_token, token_expires_at)
                VALUES (?, 'GOOGLE', ?, 'Primary', ?, ?, ?, now() + interval '1 hour') RETURNING id
                """,
                UUID.class,
                user,
                account.email(),
                account.email(),
                cipher.encrypt(GoogleSandbox.issueAccessToken(account)),
                cipher.encrypt("unused"));
        ConnectionCreated created =
                new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.GOOGLE);
        publish(created);

        await().atMost(WAIT).until(() -> count(connection) >= 2_500);
        first.destroyForcibly().waitFor();
        int atCrash = count(connection);
        assertThat(atCrash).as("killed mid-sync").isBetween(2_500, EVENTS - 1);
        assertThat(jdbc.queryForObject(
                        "SELECT google_sync_token FROM calendar_connections WHERE id = ?", String.class, connection))
                .as("the cursor is stored only when a pass completes")
                .isNull();

        control("DELETE", "/control/faults", null);
        start("second");
        await().atMost(WAIT)
                .until(() -> "SYNCED"
                        .equals(jdbc.queryForObject(
                                "SELECT sync_status::text FROM calendar_connections WHERE id = ?",
                                String.class,
                                connection)));
        assertThat(count(connection)).isEqualTo(EVENTS);
        assertThat(jdbc.queryForObject(
                        "SELECT count(DISTINCT title) FROM calendar_events WHERE connection_id = ?",
                        Integer.class,
                        connection))
                .isEqualTo(EVENTS);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM processed_messages WHERE message_id = ?",
                        Integer.class,
                        created.eventId()))
                .isEqualTo(1);
    }

    private int count(UUID connection) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM calendar_events WHERE connection_id = ?", Integer.class, connection);
    }

    private void awaitMigrated() {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class)
                                >= 1);
    }

    private Process start(String name) throws Exception {
        Path jar = Files.list(Path.of("target"))
                .filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("run `mvn package` first: no sync-service -exec.jar"));
        String java = ProcessHandle.current().info().command().orElse("java");
        File log = new File("target/sync-crash-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--server.port=0",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                // its own group: other test classes' sync contexts in this JVM share the broker
                "--calsync.sync.consumer-group=sync-crash-it",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--calsync.outbox.relay.slot-name=crash_"
                        + Math.abs(db.jdbcUrl().hashCode()),
                "--GOOGLE_API_BASE_URL=" + GoogleSandbox.sandbox().baseUrl() + "/google/",
                "--GOOGLE_TOKEN_URI=" + GoogleSandbox.sandbox().baseUrl() + "/google/token");
        Map<String, String> env = pb.environment();
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("ENCRYPTION_KEY", TestTokens.ENCRYPTION_KEY);
        env.put("GOOGLE_CLIENT_ID", "sandbox-google-client");
        env.put("GOOGLE_CLIENT_SECRET", "sandbox-google-secret");
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static void publish(ConnectionCreated message) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(message.topic(), message.key(), MessageCodec.encodeBytes(message)))
                    .get();
        }
    }
}
