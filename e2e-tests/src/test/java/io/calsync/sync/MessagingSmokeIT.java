package io.calsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.messaging.Topics;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.calsync.testsupport.TestTokens;
import io.calsync.webhook.WebhookIngestApplication;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two real services on one real broker and one real PostgreSQL: webhook-ingest-service publishes with its
 * {@link MessagePublisher}, sync-service consumes. Both migrate the same database (the second start is a no-op),
 * both report ready, redelivery is harmless, a poison record goes to the dead-letter topic without blocking the
 * partition behind it, and the consumer's log lines carry the trace id of the publisher.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.consumer-concurrency=2",
            "calsync.sync.consumer-group=messaging-smoke-it" // other sync contexts of this JVM share the broker
        })
@ExtendWith(OutputCaptureExtension.class)
class MessagingSmokeIT {

    static final Database DB = TestInfrastructure.newDatabase();
    static ConfigurableApplicationContext webhookIngest;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    }

    @BeforeAll
    static void startWebhookIngest() {
        webhookIngest = new SpringApplicationBuilder(WebhookIngestApplication.class)
                .properties(Map.of(
                        "server.port", "0",
                        "spring.datasource.url", DB.jdbcUrl(),
                        "spring.datasource.username", DB.username(),
                        "spring.datasource.password", DB.password(),
                        "spring.kafka.bootstrap-servers", TestInfrastructure.kafkaBootstrapServers()))
                .run();
    }

    @AfterAll
    static void stopWebhookIngest() {
        if (webhookIngest != null) {
            webhookIngest.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void bothServicesMigratedOnceAndAreReady() throws Exception {
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success", Integer.class))
                .isEqualTo(1);
        int ingestPort = webhookIngest.getEnvironment().getProperty("local.server.port", Integer.class);
        for (int p : List.of(port, ingestPort)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(p, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(200);
                assertThat(readiness.body())
                        .contains("\"status\":\"UP\"")
                        .contains("\"db\"")
                        .contains("\"kafka\"");
            });
            assertThat(get(p, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMessageTheIngestPublishesIsConsumedOnceEvenWhenDeliveredTwice() throws Exception {
        MessagePublisher publisher = webhookIngest.getBean(MessagePublisher.class);
        SyncRequested message =
                SyncRequested.of(UUID.randomUUID(), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "req-smoke");

        publisher.publishAndWait(message, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> processedCount(message.eventId()) == 1);

        publisher.publishAndWait(message, Duration.ofSeconds(10)); // a redelivery, as after a producer retry or a crash
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(get(port, "/actuator/prometheus").body())
                                .containsPattern(
                                        "calsync_messages_duplicates_total\\{[^}]*type=\"sync.requested\"[^}]*\\} [1-9]"));
        assertThat(processedCount(message.eventId())).isEqualTo(1);
        assertThat(get(port, "/actuator/prometheus").body())
                .containsPattern("calsync_messages_consumed_total\\{[^}]*type=\"sync.requested\"[^}]*\\} [1-9]");
    }

    /**
     * A message published inside a trace (as webhook-ingest publishes inside its HTTP request's span) is handled in a
     * span of the same trace: sync-service's log lines about it carry the publisher's trace id.
     */
    @Test
    void theConsumersLogLinesCarryThePublishersTraceId(CapturedOutput output) {
        ObservationRegistry observations = webhookIngest.getBean(ObservationRegistry.class);
        Tracer tracer = webhookIngest.getBean(Tracer.class);
        SyncRequested message =
                SyncRequested.of(UUID.randomUUID(), UUID.randomUUID(), SyncRequested.Reason.MANUAL, "req-trace");

        String traceId;
        Observation request = Observation.start("smoke.request", observations);
        try (Observation.Scope scope = request.openScope()) {
            traceId = tracer.currentTraceContext().context().traceId();
            webhookIngest.getBean(MessagePublisher.class).publishAndWait(message, Duration.ofSeconds(10));
        } finally {
            request.stop();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> processedCount(message.eventId()) == 1);

        // The engine's line about this connection (it does not exist, so the sync is skipped), logged by the consumer.
        List<String> consumerLines = output.getOut()
                .lines()
                .filter(l -> l.contains("connectionId=" + message.connectionId()))
                .filter(l -> l.contains("\"logger_name\":\"io.calsync.sync."))
                .toList();
        assertThat(consumerLines).isNotEmpty();
        assertThat(consumerLines).allSatisfy(l -> assertThat(l).contains("\"traceId\":\"" + traceId + "\""));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextOneOnItsPartitionStillRuns() throws Exception {
        String key = UUID.randomUUID().toString(); // same key, same partition: the valid record waits behind the poison
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            raw.send(new ProducerRecord<>(Topics.SYNC_REQUESTS, key, "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        SyncRequested next =
                SyncRequested.of(UUID.fromString(key), UUID.randomUUID(), SyncRequested.Reason.MANUAL, null);
        webhookIngest.getBean(MessagePublisher.class).publishAndWait(next, Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(30)).until(() -> processedCount(next.eventId()) == 1);
        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "smoke-dlt-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            dlt.subscribe(List.of(Topics.dlt(Topics.SYNC_REQUESTS)));
            List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlt.poll(Duration.ofMillis(500)).forEach(found::add);
                return found.stream().anyMatch(r -> key.equals(r.key()));
            });
            ConsumerRecord<String, byte[]> dead =
                    found.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(dead.headers().lastHeader("kafka_dlt-exception-fqcn")).isNotNull();
        }
    }

    @Test
    void everyTopicAndItsDeadLetterTopicExistsWithTwelvePartitions() throws Exception {
        try (AdminClient admin = AdminClient.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
            topics.values().forEach(t -> assertThat(t.partitions()).as(t.name()).hasSize(Topics.PARTITIONS));
        }
    }

    private int processedCount(UUID eventId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM processed_messages WHERE consumer = 'sync-service' AND message_id = ?",
                Integer.class,
                eventId);
    }

    private HttpResponse<String> get(int p, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
