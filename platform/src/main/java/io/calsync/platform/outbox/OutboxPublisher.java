package io.calsync.platform.outbox;

import io.calsync.model.messaging.MessageCodec;
import io.calsync.platform.tracing.TraceParent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends outbox records to Kafka as they were written: the payload bytes untouched, the key, and the type and event id
 * as the same headers {@link io.calsync.platform.kafka.MessagePublisher} sets. The producer is the relay's own, raw
 * bytes, idempotent with {@code acks=all}: a completed future means the broker has the record durably.
 *
 * <p>The send runs outside any observation (the relay's thread serves no request), so nothing sets a trace header
 * here: the writer's {@code traceparent}, stored with the row, goes on the record as it was written, and the
 * consumer's observation continues the writer's trace.
 */
public class OutboxPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;

    public OutboxPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public CompletableFuture<RecordMetadata> send(OutboxRecord record) {
        ProducerRecord<String, byte[]> message = new ProducerRecord<>(record.topic(), record.key(), record.payload());
        message.headers().add(MessageCodec.TYPE_HEADER, record.type().getBytes(StandardCharsets.UTF_8));
        message.headers()
                .add(MessageCodec.EVENT_ID_HEADER, record.id().toString().getBytes(StandardCharsets.UTF_8));
        if (record.traceparent() != null && !record.traceparent().isBlank()) {
            message.headers().add(TraceParent.HEADER, record.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(message, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) { // e.g. the topic's metadata did not arrive within max.block.ms
            acked.completeExceptionally(e);
        }
        return acked;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
