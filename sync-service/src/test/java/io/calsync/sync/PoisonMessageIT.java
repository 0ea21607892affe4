package io.calsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.messaging.Topics;
import io.calsync.platform.kafka.DeadLetters;
import io.calsync.platform.kafka.DeadLetters.DeadLetter;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A poison message in each topic sync-service consumes: a record that is not a message, followed on the same
 * partition (same key) by a good one. The poison is dead-lettered exactly once, the good one behind it is applied (the
 * partition moves on), and {@link DeadLetters} lists the poison by its reason and replays it to its topic, where it is
 * dead-lettered again (a replay goes through the consumer like any record); a good message parked in a dead-letter
 * topic is applied once when replayed, and a second replay of it is skipped by its event id.
 */
@SpringBootTest(
        classes = SyncApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.consumer-group=poison-message-it",
        })
class PoisonMessageIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final List<String> TOPICS = List.of(
            Topics.SYNC_REQUESTS, Topics.PROVIDER_NOTIFICATIONS, Topics.EVENT_COMMANDS, Topics.SUBSCRIPTION_LIFECYCLE);

    private static final Logger log = LoggerFactory.getLogger(PoisonMessageIT.class);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    @Autowired
    JdbcTemplate jdbc;

    final DeadLetters deadLetters = new DeadLetters(TestInfrastructure.kafkaBootstrapServers());

    @Test
    void aPoisonInEachTopicIsDeadLetteredOnceThePartitionMovesOnAndItCanBeReplayed() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String topic : TOPICS) {
                String key = UUID.randomUUID().toString(); // a connection nobody has: its sync is skipped, and marked
                byte[] poison = ("{\"not\": \"a message of " + topic + "\"").getBytes(StandardCharsets.UTF_8);
                SyncRequested behind = SyncRequested.of(
                        UUID.fromString(key), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "poison-it");
                producer.send(new ProducerRecord<>(topic, key, poison)).get();
                producer.send(message(topic, key, behind)).get();

                await().atMost(WAIT).until(() -> processed(behind.eventId()) == 1);
                List<DeadLetter> parked =
                        await().atMost(WAIT).until(() -> ofKey(Topics.dlt(topic), key), l -> l.size() == 1);
                DeadLetter letter = parked.getFirst();
                assertThat(letter.originalTopic()).isEqualTo(topic);
                assertThat(letter.reason()).contains("malformed message");
                assertThat(letter.record().value()).isEqualTo(poison);

                int replayed =
                        deadLetters.replay(Topics.dlt(topic), l -> l.position().equals(letter.position()));
                assertThat(replayed).isEqualTo(1);
                List<DeadLetter> again =
                        await().atMost(WAIT).until(() -> ofKey(Topics.dlt(topic), key), l -> l.size() == 2);
                assertThat(new String(
                                again.get(1)
                                        .record()
                                        .headers()
                                        .lastHeader(DeadLetters.REPLAYED_FROM_HEADER)
                                        .value(),
                                StandardCharsets.UTF_8))
                        .as("the replayed poison went through the consumer and was parked again, naming its origin")
                        .isEqualTo(Topics.dlt(topic) + "/" + letter.partition() + "/" + letter.offset());
                Thread.sleep(1000);
                assertThat(ofKey(Topics.dlt(topic), key))
                        .as("parked once per pass, never more")
                        .hasSize(2);
                log.info(
                        "fault: poison topic={} deadLettered=1 goodBehindApplied={} replayedAndParkedAgain=1",
                        topic,
                        processed(behind.eventId()));
            }
        }
    }

    /**
     * Good records ahead of a poison one in the same batch are applied too: the batch fails at the poison's index and
     * the error handler commits what is before it, so the listener must have worked on it first (it had not: those
     * records were committed unapplied and lost).
     */
    @Test
    void recordsAheadOfAPoisonInTheSameBatchAreAppliedNotSkipped() throws Exception {
        String key = UUID.randomUUID().toString();
        List<SyncRequested> ahead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ahead.add(SyncRequested.of(
                    UUID.fromString(key), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "ahead-" + i));
        }
        SyncRequested behind =
                SyncRequested.of(UUID.fromString(key), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "behind");
        // One producer batch (linger): the records reach the consumer in one fetch, so in one listener batch.
        try (KafkaProducer<String, byte[]> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 200))) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (SyncRequested m : ahead) {
                sent.add(producer.send(message(Topics.SYNC_REQUESTS, key, m)));
            }
            sent.add(producer.send(
                    new ProducerRecord<>(Topics.SYNC_REQUESTS, key, "{\"poison\":".getBytes(StandardCharsets.UTF_8))));
            sent.add(producer.send(message(Topics.SYNC_REQUESTS, key, behind)));
            for (var f : sent) {
                f.get();
            }
        }
        await().atMost(WAIT).until(() -> processed(behind.eventId()) == 1);
        for (SyncRequested m : ahead) {
            assertThat(processed(m.eventId())).as(m.requestId()).isEqualTo(1);
        }
        assertThat(ofKey(Topics.dlt(Topics.SYNC_REQUESTS), key)).hasSize(1);
    }

    @Test
    void aGoodMessageParkedInADeadLetterTopicIsAppliedOnceWhenReplayed() throws Exception {
        String key = UUID.randomUUID().toString();
        SyncRequested parked =
                SyncRequested.of(UUID.fromString(key), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "replay-it");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            ProducerRecord<String, byte[]> r = message(Topics.dlt(Topics.SYNC_REQUESTS), key, parked);
            r.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, Topics.SYNC_REQUESTS.getBytes(StandardCharsets.UTF_8));
            r.headers()
                    .add(
                            KafkaHeaders.DLT_EXCEPTION_FQCN,
                            "org.springframework.dao.QueryTimeoutException".getBytes(StandardCharsets.UTF_8));
            r.headers()
                    .add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, "the database timed out".getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
        List<DeadLetter> letters = deadLetters.list(Topics.dlt(Topics.SYNC_REQUESTS));
        assertThat(DeadLetters.byReason(letters))
                .containsKey("org.springframework.dao.QueryTimeoutException: the database timed out");
        assertThat(processed(parked.eventId())).isZero();

        assertThat(deadLetters.replay(Topics.dlt(Topics.SYNC_REQUESTS), l -> key.equals(l.key())))
                .isEqualTo(1);
        await().atMost(WAIT).until(() -> processed(parked.eventId()) == 1);
        assertThat(deadLetters.replay(Topics.dlt(Topics.SYNC_REQUESTS), l -> key.equals(l.key())))
                .isEqualTo(1);
        Thread.sleep(2000);
        assertThat(processed(parked.eventId()))
                .as("a second replay is skipped by its event id")
                .isEqualTo(1);
    }

    private List<DeadLetter> ofKey(String dlt, String key) {
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetter l : deadLetters.list(dlt)) {
            if (key.equals(l.key())) {
                out.add(l);
            }
        }
        return out;
    }

    private int processed(UUID eventId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM processed_messages WHERE consumer = ? AND message_id = ?",
                Integer.class,
                "sync-service", // the listener's consumer name
                eventId);
    }

    private static ProducerRecord<String, byte[]> message(String topic, String key, SyncRequested m) {
        ProducerRecord<String, byte[]> r =
                new ProducerRecord<>(topic, key, MessageCodec.encode(m).getBytes(StandardCharsets.UTF_8));
        r.headers().add(new RecordHeader(MessageCodec.TYPE_HEADER, m.type().getBytes(StandardCharsets.UTF_8)));
        r.headers()
                .add(new RecordHeader(
                        MessageCodec.EVENT_ID_HEADER, m.eventId().toString().getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return producer(Map.of());
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }
}
