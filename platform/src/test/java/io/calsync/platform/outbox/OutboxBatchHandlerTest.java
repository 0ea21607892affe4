package io.calsync.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.messaging.MessageCodec;
import io.calsync.platform.tracing.TraceParent;
import io.debezium.data.Envelope;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The handler's bookkeeping with synthetic Debezium records: what it sends, what it lets Debezium move past and what
 * it records as published, including when a send fails in the middle of a batch.
 */
class OutboxBatchHandlerTest {

    static final String SERVICE = "gateway-service";
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    static final Schema ROW = SchemaBuilder.struct()
            .name("calsync.public.outbox.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("aggregatetype", Schema.STRING_SCHEMA)
            .field("aggregateid", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA)
            .field("payload", Schema.STRING_SCHEMA)
            .field("origin", Schema.OPTIONAL_STRING_SCHEMA)
            .field("traceparent", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    /** The row as Debezium describes it before V4 added {@code traceparent} (a relay reading older WAL). */
    static final Schema ROW_BEFORE_V4 = SchemaBuilder.struct()
            .name("calsync.public.outbox.Value")
            .field("id", Schema.STRING_SCHEMA)
            .field("aggregatetype", Schema.STRING_SCHEMA)
            .field("aggregateid", Schema.STRING_SCHEMA)
            .field("type", Schema.STRING_SCHEMA)
            .field("payload", Schema.STRING_SCHEMA)
            .field("origin", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Envelope ENVELOPE = Envelope.defineSchema()
            .withName("calsync.public.outbox.Envelope")
            .withRecord(ROW)
            .withSource(SOURCE)
            .build();

    final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final Set<UUID> failing = new HashSet<>();
    final OutboxPublisher publisher = new OutboxPublisher(producer) {
        @Override
        public CompletableFuture<RecordMetadata> send(OutboxRecord record) {
            return failing.contains(record.id())
                    ? CompletableFuture.failedFuture(new TimeoutException("no ack"))
                    : super.send(record);
        }
    };
    final FakeLedger ledger = new FakeLedger();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OutboxBatchHandler handler = new OutboxBatchHandler(
            SERVICE,
            publisher,
            ledger,
            new OutboxRelayMetrics(meters, SERVICE),
            Clock.fixed(NOW.plusMillis(12), ZoneOffset.UTC));
    final FakeCommitter committer = new FakeCommitter();

    @Test
    void publishesEachInsertAsWrittenAndLetsDebeziumMovePastEverything() throws Exception {
        var first = insert(UUID.randomUUID(), SERVICE);
        var heartbeat = event(new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.calsync", null, null));
        var second = insert(UUID.randomUUID(), SERVICE);

        handler.handleBatch(List.of(first, heartbeat, second), committer);

        assertThat(producer.history()).hasSize(2);
        ProducerRecord<String, byte[]> sent = producer.history().getFirst();
        assertThat(sent.topic()).isEqualTo("calendar.sync-requests");
        assertThat(sent.key()).isEqualTo("connection-1");
        assertThat(new String(sent.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
        assertThat(header(sent, MessageCodec.TYPE_HEADER)).isEqualTo("sync.requested");
        assertThat(header(sent, MessageCodec.EVENT_ID_HEADER))
                .isEqualTo(idOf(first).toString());
        assertThat(committer.processed).containsExactly(first, heartbeat, second);
        assertThat(committer.batchFinished).isTrue();
        assertThat(ledger.recorded).containsExactly(idOf(first), idOf(second));
        assertThat(meters.get("calsync.outbox.published").counter().count()).isEqualTo(2);
        assertThat(meters.get("calsync.outbox.relay.lag").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(12);
    }

    @Test
    void skipsWhatWasPublishedBeforeAndOtherServicesRowsButNotRowsWithoutOrigin() throws Exception {
        var redelivered = insert(UUID.randomUUID(), SERVICE);
        var otherService = insert(UUID.randomUUID(), "oauth-service");
        var noOrigin = insert(UUID.randomUUID(), null);
        ledger.published.add(idOf(redelivered));

        handler.handleBatch(List.of(redelivered, otherService, noOrigin), committer);

        assertThat(producer.history())
                .extracting(r -> header(r, MessageCodec.EVENT_ID_HEADER))
                .containsExactly(idOf(noOrigin).toString());
        assertThat(committer.processed).containsExactly(redelivered, otherService, noOrigin);
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void aFailedSendStopsTheBatchBeforeItButRecordsWhatWasAcknowledgedAfterIt() throws Exception {
        var before = insert(UUID.randomUUID(), SERVICE);
        var failed = insert(UUID.randomUUID(), SERVICE);
        var after = insert(UUID.randomUUID(), SERVICE);
        failing.add(idOf(failed));

        assertThatThrownBy(() -> handler.handleBatch(List.of(before, failed, after), committer))
                .isInstanceOf(OutboxBatchHandler.OutboxPublishException.class)
                .hasMessageContaining(idOf(failed).toString())
                .hasCauseInstanceOf(TimeoutException.class);

        assertThat(committer.processed).containsExactly(before);
        assertThat(committer.batchFinished).isFalse();
        // Acknowledged, so recorded: after the restart Debezium re-delivers it and it is skipped, not sent twice.
        assertThat(ledger.recorded).containsExactly(idOf(before), idOf(after));
    }

    @Test
    void theWritersTraceparentGoesOnTheRecordAsItsHeaderAndARowWithoutOneGetsNone() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        UUID tracedId = UUID.randomUUID();
        var traced =
                event(record(ENVELOPE.create(row(tracedId, SERVICE).put("traceparent", traceparent), source(), NOW)));
        var untraced = insert(UUID.randomUUID(), SERVICE);
        Envelope before = Envelope.defineSchema()
                .withName("calsync.public.outbox.Envelope")
                .withRecord(ROW_BEFORE_V4)
                .withSource(SOURCE)
                .build();
        Struct oldRow = new Struct(ROW_BEFORE_V4)
                .put("id", UUID.randomUUID().toString())
                .put("aggregatetype", "calendar.sync-requests")
                .put("aggregateid", "connection-1")
                .put("type", "sync.requested")
                .put("payload", "{\"a\": 1}")
                .put("origin", SERVICE);
        var olderRow = event(new SourceRecord(
                Map.of(), Map.of(), "calsync.public.outbox", before.schema(), before.create(oldRow, source(), NOW)));

        handler.handleBatch(List.of(traced, untraced, olderRow), committer);

        assertThat(producer.history()).hasSize(3);
        assertThat(header(producer.history().get(0), TraceParent.HEADER)).isEqualTo(traceparent);
        assertThat(header(producer.history().get(0), MessageCodec.EVENT_ID_HEADER))
                .isEqualTo(tracedId.toString());
        assertThat(producer.history().get(1).headers().lastHeader(TraceParent.HEADER))
                .isNull();
        assertThat(producer.history().get(2).headers().lastHeader(TraceParent.HEADER))
                .isNull();
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void anUpdateOrDeleteIsNotPublished() throws Exception {
        Struct row = row(UUID.randomUUID(), SERVICE);
        Struct source = source();
        var deleted = event(record(ENVELOPE.delete(row, source, NOW)));
        var updated = event(record(ENVELOPE.update(row, row, source, NOW)));

        handler.handleBatch(List.of(deleted, updated), committer);

        assertThat(producer.history()).isEmpty();
        assertThat(committer.processed).containsExactly(deleted, updated);
    }

    static RecordChangeEvent<SourceRecord> insert(UUID id, String origin) {
        return event(record(ENVELOPE.create(row(id, origin), source(), NOW)));
    }

    static Struct row(UUID id, String origin) {
        return new Struct(ROW)
                .put("id", id.toString())
                .put("aggregatetype", "calendar.sync-requests")
                .put("aggregateid", "connection-1")
                .put("type", "sync.requested")
                .put("payload", "{\"a\": 1}")
                .put("origin", origin);
    }

    static Struct source() {
        return new Struct(SOURCE).put("ts_ms", NOW.toEpochMilli()).put("ts_us", NOW.toEpochMilli() * 1000);
    }

    static SourceRecord record(Struct value) {
        return new SourceRecord(Map.of(), Map.of(), "calsync.public.outbox", ENVELOPE.schema(), value);
    }

    static RecordChangeEvent<SourceRecord> event(SourceRecord record) {
        return () -> record;
    }

    static UUID idOf(RecordChangeEvent<SourceRecord> event) {
        return OutboxRecord.from(event.record()).orElseThrow().id();
    }

    static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static final class FakeLedger extends PublishedLedger {
        final Set<UUID> published = new HashSet<>();
        final List<UUID> recorded = new ArrayList<>();

        FakeLedger() {
            super("outbox-relay:" + SERVICE, null, null, null);
        }

        @Override
        public Set<UUID> alreadyPublished(Collection<UUID> ids) {
            return ids.stream().filter(published::contains).collect(java.util.stream.Collectors.toSet());
        }

        @Override
        public void record(Collection<UUID> ids) {
            recorded.addAll(ids);
        }
    }

    static final class FakeCommitter implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> processed = new ArrayList<>();
        boolean batchFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            processed.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
