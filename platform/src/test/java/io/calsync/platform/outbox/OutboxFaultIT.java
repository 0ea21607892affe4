package io.calsync.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.messaging.Topics;
import io.calsync.platform.outbox.TopicReader.Received;
import io.calsync.testsupport.RestartableKafkaBroker;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Faults under the outbox relay, on a real PostgreSQL and a broker of the test's own that it can stop: the
 * replication slot dropped while writes go on (what a failover to a standby without the slot does too), and the broker
 * restarted while the relay publishes 5,000 messages. Each test reads the topic from the beginning, applies every
 * record through an idempotent consumer ({@code processed_messages}, as every service's consumers do) and prints its
 * figures as a {@code fault:} line that {@code bench/reliability.sh} collects into {@code docs/reliability.md}.
 */
@SpringBootTest(
        classes = OutboxFaultIT.App.class,
        properties = {
            "spring.application.name=" + OutboxFaultIT.SERVICE,
            "calsync.outbox.relay.lock-retry-interval=300ms",
            "calsync.outbox.relay.heartbeat-interval=1s",
            "calsync.outbox.relay.reconcile-interval=500ms",
            "calsync.outbox.relay.reconcile-after=3s"
        })
class OutboxFaultIT {

    static final String SERVICE = "outbox-fault-it";
    static final Database DB = TestInfrastructure.newDatabase();
    static final RestartableKafkaBroker BROKER = RestartableKafkaBroker.start();

    private static final Logger log = LoggerFactory.getLogger(OutboxFaultIT.class);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add(
                "calsync.outbox.relay.slot-name",
                () -> "it_outbox_fault_" + ProcessHandle.current().pid());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BROKER.close();
    }

    @Autowired
    OutboxWriter writer;

    @Autowired
    OutboxRelay relay;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    /**
     * Four writers commit for six seconds; after one the slot is dropped (its walsender terminated first, as a
     * failover or an operator's mistake would leave it), and the relay recreates it at the then current WAL position:
     * what was committed in between is not in the new slot's stream. The reconciler republishes those rows from the
     * table; every message is then applied exactly once, and the slot's gauge shows it active again.
     */
    @Test
    void aDroppedReplicationSlotLosesNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(relay::isLeader);
        String slot = relay.names().slot();
        double republishedBefore = republished();
        try (TopicReader reader = new TopicReader(BROKER.bootstrapServers(), Set.of(Topics.SYNC_REQUESTS))) {
            Writers writers = Writers.start(this, 4);
            Thread.sleep(1000);
            int drops = dropSlot(slot);
            Thread.sleep(5000);
            List<UUID> written = writers.stop();

            Set<UUID> expected = new HashSet<>(written);
            List<Received> received =
                    reader.until(r -> ids(r).containsAll(expected), Duration.ofSeconds(60), Duration.ofSeconds(1));
            Applied applied = apply(received, "slot-drop");

            assertThat(applied.once()).containsExactlyInAnyOrderElementsOf(written);
            double republished = republished() - republishedBefore;
            assertThat(republished)
                    .as("rows committed while no slot streamed came back through the reconciler")
                    .isPositive();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(unpublished()).isZero();
                assertThat(meters.get("calsync.outbox.slot.active").gauge().value())
                        .isEqualTo(1.0);
            });
            log.info(
                    "fault: slot-drop written={} onTopic={} duplicates={} republished={} applied={} lost={} drops={}",
                    written.size(),
                    received.size(),
                    applied.duplicates(),
                    (long) republished,
                    applied.once().size(),
                    expected.size() - applied.once().size(),
                    drops);
        }
    }

    /**
     * 5,000 messages in 100 transactions; once the first thousand are on the topic the broker stops (a graceful
     * shutdown), stays down five seconds and starts again on the same port and log. Every message is applied exactly
     * once.
     */
    @Test
    void aBrokerRestartWhileTheRelayPublishesLosesAndRepeatsNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(relay::isLeader);
        UUID connection = UUID.randomUUID();
        List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        try (TopicReader reader = new TopicReader(BROKER.bootstrapServers(), Set.of(Topics.SYNC_REQUESTS))) {
            Thread writing = Thread.ofPlatform().start(() -> {
                for (int t = 0; t < 100; t++) {
                    int batch = t;
                    tx.executeWithoutResult(s -> IntStream.range(0, 50).forEach(i -> {
                        SyncRequested m = SyncRequested.of(
                                connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, "b" + batch + "-" + i);
                        writer.write(m);
                        written.add(m.eventId());
                    }));
                }
            });
            reader.until(r -> r.size() >= 1000, Duration.ofSeconds(60), Duration.ZERO);
            long down = System.nanoTime();
            BROKER.stop();
            Thread.sleep(5000);
            BROKER.restart();
            long outage = (System.nanoTime() - down) / 1_000_000;
            writing.join();
            assertThat(written).hasSize(5000);

            Set<UUID> expected = new HashSet<>(written);
            List<Received> received =
                    reader.until(r -> ids(r).containsAll(expected), Duration.ofSeconds(120), Duration.ofSeconds(1));
            Applied applied = apply(received, "broker-restart");

            assertThat(applied.once()).containsExactlyInAnyOrderElementsOf(written);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(unpublished()).isZero());
            log.info(
                    "fault: broker-restart written={} onTopic={} duplicates={} applied={} lost={} outageMs={}",
                    written.size(),
                    received.size(),
                    applied.duplicates(),
                    applied.once().size(),
                    expected.size() - applied.once().size(),
                    outage);
        }
    }

    /** What an idempotent consumer applied: each id the first time it came, and how many came again. */
    record Applied(List<UUID> once, int duplicates) {}

    /** Applies the records as the services' consumers do: {@code processed_messages} decides, in a transaction. */
    private Applied apply(List<Received> received, String consumer) {
        List<UUID> once = new ArrayList<>();
        int duplicates = 0;
        for (Received r : received) {
            UUID id = eventId(r.record());
            Integer fresh = tx.execute(s -> jdbc.update(
                    "INSERT INTO processed_messages (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    consumer,
                    id));
            if (fresh != null && fresh == 1) {
                once.add(id);
            } else {
                duplicates++;
            }
        }
        return new Applied(once, duplicates);
    }

    /** Terminates the slot's walsender and drops the slot, retrying while the relay's restart races it. */
    private int dropSlot(String slot) {
        int attempts = 0;
        while (true) {
            attempts++;
            jdbc.queryForList(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                            + " WHERE slot_name = ? AND active_pid IS NOT NULL",
                    slot);
            try {
                jdbc.queryForList("SELECT pg_drop_replication_slot(?)", slot);
                return attempts;
            } catch (RuntimeException stillActive) {
                if (attempts > 200) {
                    throw stillActive;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw stillActive;
                }
            }
        }
    }

    /** Writer threads, each committing one message per transaction under a key of its own. */
    private record Writers(List<Thread> threads, List<UUID> written, AtomicBoolean stopping) {

        static Writers start(OutboxFaultIT test, int count) {
            List<UUID> written = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stopping = new AtomicBoolean();
            List<Thread> threads = IntStream.range(0, count)
                    .mapToObj(n -> Thread.ofPlatform().start(() -> {
                        UUID connection = UUID.randomUUID();
                        int i = 0;
                        while (!stopping.get()) {
                            SyncRequested m = SyncRequested.of(
                                    connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, "w" + n + "-" + i++);
                            test.tx.executeWithoutResult(s -> test.writer.write(m));
                            written.add(m.eventId());
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }))
                    .toList();
            return new Writers(threads, written, stopping);
        }

        List<UUID> stop() throws InterruptedException {
            stopping.set(true);
            for (Thread t : threads) {
                t.join();
            }
            return List.copyOf(written);
        }
    }

    private double republished() {
        return meters.find("calsync.outbox.republished").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private long unpublished() {
        return jdbc.queryForObject("SELECT count(*) FROM outbox", Long.class);
    }

    private static Set<UUID> ids(List<Received> received) {
        Set<UUID> ids = new HashSet<>();
        received.forEach(r -> ids.add(eventId(r.record())));
        return ids;
    }

    private static UUID eventId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(MessageCodec.EVENT_ID_HEADER);
        return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
    }
}
