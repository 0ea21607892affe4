package io.calsync.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SubscriptionLifecycleRequested;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.messaging.Topics;
import io.calsync.model.persistence.ProcessedMessageRepository;
import io.calsync.platform.outbox.TopicReader.Received;
import io.calsync.platform.tracing.TraceParent;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay on a real PostgreSQL (logical WAL) and a real Kafka broker: what a committed transaction writes
 * arrives once on its topic with its key, headers and payload, a rolled-back one publishes nothing, a stop and start
 * neither loses nor repeats a message, a send Kafka refuses stops the relay before that message until it goes
 * through, and of two relays of one service only the lock holder publishes, the other taking over when it stops.
 */
@SpringBootTest(
        classes = OutboxRelayIT.App.class,
        properties = {
            "spring.application.name=" + OutboxRelayIT.SERVICE,
            "calsync.outbox.relay.lock-retry-interval=300ms",
            "calsync.outbox.relay.heartbeat-interval=1s",
            // A send to a missing topic fails fast (failure test), instead of after the relay's default 10 s.
            "spring.kafka.producer.properties.max.block.ms=1500",
            // Unsampled, as most production traces are: their ids must reach the logs and the records all the same.
            "management.tracing.sampling.probability=0"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayIT {

    static final String SERVICE = "outbox-relay-it";
    static final Database DB = TestInfrastructure.newDatabase();
    static final Duration ARRIVAL = Duration.ofSeconds(30);
    /** How long a test keeps reading after the last expected record, to catch any duplicate behind it. */
    static final Duration SETTLE = Duration.ofMillis(1000);

    private static final Logger log = LoggerFactory.getLogger(OutboxRelayIT.class);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
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

    @Autowired
    OutboxRelayProperties properties;

    @Autowired
    OutboxPublisher publisher;

    @Autowired
    ProcessedMessageRepository processed;

    @Autowired
    ObservationRegistry observations;

    @Autowired
    Tracer tracer;

    @Test
    @Order(1)
    void aCommittedTransactionPublishesEachMessageOnceWithItsKeyHeadersAndPayload() {
        UUID connection = UUID.randomUUID();
        List<CalendarMessage> messages = List.of(
                ConnectionCreated.of(connection, UUID.randomUUID(), CalendarProvider.GOOGLE),
                EventCommand.of(connection, UUID.randomUUID(), UUID.randomUUID(), EventCommand.Action.CREATE, "r-1"),
                SubscriptionLifecycleRequested.of(
                        connection, SubscriptionLifecycleRequested.Action.CREATE, null, "initial"));

        try (TopicReader reader =
                reader(messages.stream().map(CalendarMessage::topic).collect(Collectors.toSet()))) {
            tx.executeWithoutResult(status -> messages.forEach(writer::write));

            List<Received> received =
                    reader.until(r -> ofKeys(r, connection).size() >= messages.size(), ARRIVAL, SETTLE);

            List<ConsumerRecord<String, byte[]>> records = ofKeys(received, connection);
            assertThat(records).hasSize(messages.size());
            Map<UUID, ConsumerRecord<String, byte[]>> byEventId =
                    records.stream().collect(Collectors.toMap(OutboxRelayIT::eventId, Function.identity()));
            for (CalendarMessage message : messages) {
                ConsumerRecord<String, byte[]> record = byEventId.get(message.eventId());
                assertThat(record).as(message.type()).isNotNull();
                assertThat(record.topic()).isEqualTo(message.topic());
                assertThat(record.key()).isEqualTo(connection.toString());
                assertThat(header(record, MessageCodec.TYPE_HEADER)).isEqualTo(message.type());
                assertThat(header(record, MessageCodec.EVENT_ID_HEADER))
                        .isEqualTo(message.eventId().toString());
                assertThat(MessageCodec.decode(record.value())).isEqualTo(message);
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM outbox_relay_offsets WHERE name = ?",
                        Integer.class,
                        relay.names().engine()))
                .isEqualTo(1);
        assertThat(meters.get("calsync.outbox.published")
                        .tags("service", SERVICE, "topic", Topics.EVENT_COMMANDS)
                        .counter()
                        .count())
                .isPositive();
        assertThat(meters.get("calsync.outbox.relay.leader").gauge().value()).isEqualTo(1.0);
    }

    @Test
    @Order(2)
    void aRolledBackTransactionPublishesNothing() {
        UUID connection = UUID.randomUUID();
        SyncRequested rolledBack = SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        SyncRequested committed = SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);

        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            tx.executeWithoutResult(status -> {
                writer.write(rolledBack);
                status.setRollbackOnly();
            });
            // Committed after the rolled-back one: once it is on the topic, the other one would have been too.
            tx.executeWithoutResult(status -> writer.write(committed));

            List<Received> received = reader.until(r -> !ofKeys(r, connection).isEmpty(), ARRIVAL, SETTLE);

            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactly(committed.eventId());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox", Integer.class))
                .isZero();
    }

    @Test
    @Order(3)
    void aWriteOutsideATransactionIsRefused() {
        SyncRequested message =
                SyncRequested.of(UUID.randomUUID(), UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        assertThatThrownBy(() -> writer.write(message)).isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    @Order(4)
    void itPublishesItsOwnServicesRowsAndThoseWithoutOriginButNotAnotherServices() {
        UUID connection = UUID.randomUUID();
        UUID otherService = UUID.randomUUID();
        UUID noOrigin = UUID.randomUUID();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            tx.executeWithoutResult(status -> {
                insertRaw(otherService, Topics.SYNC_REQUESTS, connection, "another-service");
                insertRaw(noOrigin, Topics.SYNC_REQUESTS, connection, null);
            });
            List<UUID> own = write(connection, 1);

            List<Received> received = reader.until(
                    r -> ofKeys(r, connection).stream().anyMatch(c -> eventId(c).equals(own.getFirst())),
                    ARRIVAL,
                    SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactly(noOrigin, own.getFirst());
        }
    }

    /**
     * What the relay does with a record Debezium delivers again after a crash (Kafka had acknowledged it and the id
     * was recorded, but the offset was not yet flushed): it finds the id in processed_messages and skips it.
     */
    @Test
    @Order(5)
    void aRecordWhoseIdIsAlreadyRecordedAsPublishedIsNotPublishedAgain() {
        UUID connection = UUID.randomUUID();
        SyncRequested redelivered = SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        jdbc.update(
                "INSERT INTO processed_messages (consumer, message_id) VALUES (?, ?)",
                relay.names().consumer(),
                redelivered.eventId());
        double skippedBefore = skipped("already-published");
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            tx.executeWithoutResult(status -> writer.write(redelivered));
            List<UUID> next = write(connection, 1);

            List<Received> received = reader.until(r -> !ofKeys(r, connection).isEmpty(), ARRIVAL, SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(next);
        }
        assertThat(skipped("already-published")).isEqualTo(skippedBefore + 1);
    }

    /** Busy other tables and a quiet outbox: the heartbeat still lets the slot confirm, and free, that WAL. */
    @Test
    @Order(6)
    void aQuietOutboxDoesNotMakeTheSlotHoldTheWal() {
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < 200; i++) {
                jdbc.update(
                        "INSERT INTO processed_messages (consumer, message_id) VALUES ('it-noise', ?)",
                        UUID.randomUUID());
            }
        });
        String written = jdbc.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.queryForObject(
                        "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?",
                        Boolean.class,
                        written,
                        relay.names().slot()));
        log.info("slot confirmed the WAL of unrelated writes after {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** Commit → received by a consumer, one message at a time; the figures go to the log. */
    @Test
    @Order(7)
    void oneHundredMessagesArriveInOrderAndQuickly() {
        UUID connection = UUID.randomUUID();
        int count = 100;
        List<Long> latenciesMicros = new ArrayList<>();
        List<UUID> sent = new ArrayList<>();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            for (int i = 0; i < count; i++) {
                SyncRequested message =
                        SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.SCHEDULED, null);
                tx.executeWithoutResult(status -> writer.write(message));
                Instant committed = Instant.now();
                sent.add(message.eventId());
                int expected = i + 1;
                List<Received> received =
                        reader.until(r -> ofKeys(r, connection).size() >= expected, ARRIVAL, Duration.ZERO);
                Received arrived = received.stream()
                        .filter(r -> eventId(r.record()).equals(message.eventId()))
                        .findFirst()
                        .orElseThrow();
                latenciesMicros.add(Duration.between(committed, arrived.at()).toNanos() / 1_000);
            }
            List<Received> all = reader.until(r -> true, ARRIVAL, SETTLE);
            assertThat(ofKeys(all, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(sent);
        }
        List<Long> sorted = latenciesMicros.stream().sorted().toList();
        long median = sorted.get(count / 2);
        long p95 = sorted.get((int) Math.ceil(count * 0.95) - 1);
        var lag = meters.get("calsync.outbox.relay.lag").tag("service", SERVICE).timer();
        log.info(
                "outbox latency over {} messages, commit -> consumer: median {} ms, p95 {} ms, max {} ms;"
                        + " relay lag commit -> ack (all messages so far): mean {} ms, max {} ms",
                count,
                median / 1000.0,
                p95 / 1000.0,
                sorted.getLast() / 1000.0,
                String.format("%.1f", lag.mean(TimeUnit.MILLISECONDS)),
                String.format("%.1f", lag.max(TimeUnit.MILLISECONDS)));
        assertThat(Duration.ofNanos(median * 1_000)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(8)
    void aStopAndStartNeitherLosesNorRepeatsAMessage() {
        UUID connection = UUID.randomUUID();
        int before = 20;
        int whileStopped = 20;
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            List<UUID> sent = new ArrayList<>(write(connection, before));
            reader.until(r -> ofKeys(r, connection).size() >= before, ARRIVAL, Duration.ZERO);

            relay.stop();
            assertThat(relay.isRunning()).isFalse();
            sent.addAll(write(connection, whileStopped));
            relay.start();

            List<Received> received =
                    reader.until(r -> ofKeys(r, connection).size() >= before + whileStopped, ARRIVAL, SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(sent);
        }
        log.info("re-deliveries skipped so far: {}", skipped("already-published"));
    }

    @Test
    @Order(9)
    void aSendKafkaRefusesStopsTheRelayBeforeItUntilItGoesThrough() throws Exception {
        String lateTopic =
                "calsync.outbox-it.late-" + UUID.randomUUID().toString().substring(0, 8);
        UUID connection = UUID.randomUUID();
        UUID lateId = UUID.randomUUID();
        double failuresBefore = failures();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            // Written as OutboxWriter writes, but to a topic that does not exist yet (the broker creates none).
            tx.executeWithoutResult(status -> insertRaw(lateId, lateTopic, connection, SERVICE));
            List<UUID> behind = write(connection, 3);

            await().atMost(ARRIVAL).until(() -> failures() > failuresBefore);
            try (AdminClient admin = AdminClient.create(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(lateTopic, 1, (short) 1)))
                        .all()
                        .get(10, TimeUnit.SECONDS);
            }
            try (TopicReader late =
                    new TopicReader(TestInfrastructure.kafkaBootstrapServers(), List.of(lateTopic), true)) {
                List<Received> lateReceived = late.until(r -> !r.isEmpty(), ARRIVAL, SETTLE);
                assertThat(lateReceived).hasSize(1);
                ConsumerRecord<String, byte[]> record = lateReceived.getFirst().record();
                assertThat(eventId(record)).isEqualTo(lateId);
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"raw\": true}");
            }
            List<Received> received = reader.until(r -> ofKeys(r, connection).size() >= behind.size(), ARRIVAL, SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(behind);
        }
    }

    @Test
    @Order(10)
    void onlyTheLockHolderPublishesAndAnotherReplicaTakesOverWithoutLossOrDuplicate() {
        ConfigurableApplicationContext replica = startReplica();
        OutboxRelay second = replica.getBean(OutboxRelay.class);
        UUID connection = UUID.randomUUID();
        List<UUID> sent = new ArrayList<>();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            // The replica came second: it waits, however many times it retries the lock.
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> relay.isLeader() && !second.isLeader());
            sent.addAll(write(connection, 10));
            reader.until(r -> ofKeys(r, connection).size() >= 10, ARRIVAL, Duration.ZERO);

            relay.stop();
            await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
            assertThat(relay.isLeader()).isFalse();
            sent.addAll(write(connection, 10));
            reader.until(r -> ofKeys(r, connection).size() >= 20, ARRIVAL, Duration.ZERO);

            // The leader's lock session dies (a network cut, a database restart): it stops and takes the lock again.
            String lockSession = "calsync-outbox-relay-lock:" + relay.names().consumer();
            Integer killed = jdbc.queryForObject(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = ?", Integer.class, lockSession);
            assertThat(jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, killed))
                    .isTrue();
            sent.addAll(write(connection, 10));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> second.isLeader()
                            && jdbc
                                    .queryForList(
                                            "SELECT pid FROM pg_stat_activity WHERE application_name = ?",
                                            Integer.class,
                                            lockSession)
                                    .stream()
                                    .anyMatch(pid -> !pid.equals(killed)));

            List<Received> received = reader.until(r -> ofKeys(r, connection).size() >= 30, ARRIVAL, SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(sent);
        } finally {
            relay.start();
            replica.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(relay::isLeader);
        UUID after = UUID.randomUUID();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            List<UUID> last = write(after, 1);
            List<Received> received = reader.until(r -> !ofKeys(r, after).isEmpty(), ARRIVAL, SETTLE);
            assertThat(ofKeys(received, after))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(last);
        }
    }

    /**
     * A service's first start: its slot is created as the relay starts, before the service takes requests, while the
     * engine only streams once the relay holds the lock. Rows written in between are still published.
     */
    @Test
    @Order(11)
    void rowsWrittenBeforeTheEngineFirstStreamsAreNotLost() throws Exception {
        RelayNames names = RelayNames.of(SERVICE + "-first-start", null);
        PostgresEndpoint endpoint = PostgresEndpoint.of(DB.jdbcUrl(), DB.username(), DB.password());
        OutboxRelay firstStart = new OutboxRelay(
                names,
                endpoint,
                properties,
                new OutboxBatchHandler(
                        names.service(),
                        publisher,
                        new PublishedLedger(names.consumer(), processed, jdbc, tx),
                        new OutboxRelayMetrics(new SimpleMeterRegistry(), names.service()),
                        Clock.systemUTC()),
                new OutboxRelayMetrics(new SimpleMeterRegistry(), names.service()));
        UUID connection = UUID.randomUUID();
        List<UUID> written =
                IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID()).toList();
        LeaderLock otherReplica =
                LeaderLock.tryAcquire(endpoint, names.consumer()).orElseThrow();
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            firstStart.start();
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?",
                            Integer.class,
                            names.slot()))
                    .isEqualTo(1);
            written.forEach(id -> tx.executeWithoutResult(
                    status -> insertRaw(id, Topics.SYNC_REQUESTS, connection, names.service())));
            assertThat(firstStart.isLeader()).isFalse();

            otherReplica.close();
            List<Received> received =
                    reader.until(r -> ofKeys(r, connection).size() >= written.size(), ARRIVAL, SETTLE);
            assertThat(ofKeys(received, connection))
                    .extracting(OutboxRelayIT::eventId)
                    .containsExactlyElementsOf(written);
        } finally {
            otherReplica.close();
            firstStart.stop();
        }
    }

    /**
     * A message written while a request is traced arrives with that trace as its {@code traceparent} header (the
     * consumer continues it), one written outside any trace with none; the log lines written inside the trace carry
     * its ids as JSON fields.
     */
    @Test
    @Order(12)
    void aMessageWrittenInsideATraceArrivesWithItsTraceparentAndLogLinesCarryTheTraceId(CapturedOutput output) {
        UUID connection = UUID.randomUUID();
        SyncRequested traced = SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        SyncRequested untraced = SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        String traceId;
        String spanId;
        try (TopicReader reader = reader(Set.of(Topics.SYNC_REQUESTS))) {
            Observation request = Observation.start("outbox-it.request", observations);
            try (Observation.Scope scope = request.openScope()) {
                TraceContext span = tracer.currentTraceContext().context();
                traceId = span.traceId();
                spanId = span.spanId();
                tx.executeWithoutResult(status -> writer.write(traced));
                log.info("outbox-it wrote {} inside a trace", traced.eventId());
            } finally {
                request.stop();
            }
            tx.executeWithoutResult(status -> writer.write(untraced));

            List<Received> received = reader.until(r -> ofKeys(r, connection).size() >= 2, ARRIVAL, SETTLE);
            Map<UUID, ConsumerRecord<String, byte[]>> byEventId = ofKeys(received, connection).stream()
                    .collect(Collectors.toMap(OutboxRelayIT::eventId, Function.identity()));
            assertThat(byEventId).containsOnlyKeys(traced.eventId(), untraced.eventId());
            String traceparent = header(byEventId.get(traced.eventId()), TraceParent.HEADER);
            assertThat(TraceParent.traceId(traceparent)).isEqualTo(traceId);
            assertThat(traceparent).isEqualTo("00-" + traceId + "-" + spanId + "-00");
            assertThat(header(byEventId.get(untraced.eventId()), TraceParent.HEADER))
                    .isNull();
        }
        String line = output.getOut()
                .lines()
                .filter(l -> l.contains("outbox-it wrote " + traced.eventId()))
                .findFirst()
                .orElseThrow();
        assertThat(line)
                .startsWith("{")
                .contains("\"traceId\":\"" + traceId + "\"")
                .contains("\"spanId\":\"" + spanId + "\"");
    }

    /** A second replica of the same service on the same database, as another pod would be. */
    private static ConfigurableApplicationContext startReplica() {
        Map<String, Object> props = new HashMap<>();
        props.put("spring.application.name", SERVICE);
        props.put("spring.main.web-application-type", "none");
        props.put("calsync.outbox.relay.lock-retry-interval", "300ms");
        props.put("spring.datasource.url", DB.jdbcUrl());
        props.put("spring.datasource.username", DB.username());
        props.put("spring.datasource.password", DB.password());
        props.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafkaBootstrapServers());
        return new SpringApplicationBuilder(App.class).properties(props).run();
    }

    /** One transaction per message, as separate requests of a service would write them. */
    private List<UUID> write(UUID connection, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> {
                    SyncRequested message =
                            SyncRequested.of(connection, UUID.randomUUID(), SyncRequested.Reason.MANUAL, "n-" + i);
                    tx.executeWithoutResult(status -> writer.write(message));
                    return message.eventId();
                })
                .toList();
    }

    /** An outbox row written as OutboxWriter would, but with the origin given. */
    private void insertRaw(UUID id, String topic, UUID key, String origin) {
        jdbc.update(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, origin)"
                        + " VALUES (?, ?, ?, 'raw.test', '{\"raw\": true}'::jsonb, ?)",
                id,
                topic,
                key.toString(),
                origin);
    }

    private double skipped(String reason) {
        return meters
                .find("calsync.outbox.relay.skipped")
                .tags("service", SERVICE, "reason", reason)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private double failures() {
        return meters.get("calsync.outbox.relay.failures")
                .tag("service", SERVICE)
                .counter()
                .count();
    }

    private static TopicReader reader(Collection<String> topics) {
        return new TopicReader(TestInfrastructure.kafkaBootstrapServers(), topics);
    }

    private static List<ConsumerRecord<String, byte[]>> ofKeys(List<Received> received, UUID key) {
        return received.stream()
                .map(Received::record)
                .filter(r -> key.toString().equals(r.key()))
                .toList();
    }

    private static UUID eventId(ConsumerRecord<String, byte[]> record) {
        return UUID.fromString(header(record, MessageCodec.EVENT_ID_HEADER));
    }

    private static UUID eventId(Received received) {
        return eventId(received.record());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
