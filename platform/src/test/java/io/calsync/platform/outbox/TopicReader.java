package io.calsync.platform.outbox;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A raw consumer of whole topics: every partition assigned (no group), positioned at the end when it is opened (or
 * at the beginning), so that a test sees exactly what was published after it opened the reader. Remembers when each record was
 * polled, for latency figures.
 */
final class TopicReader implements AutoCloseable {

    /** A record and the instant this reader received it. */
    record Received(ConsumerRecord<String, byte[]> record, Instant at) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();

    TopicReader(String bootstrapServers, Collection<String> topics) {
        this(bootstrapServers, topics, false);
    }

    TopicReader(String bootstrapServers, Collection<String> topics, boolean fromBeginning) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        List<TopicPartition> partitions = topics.stream()
                .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
    }

    /** Polls until {@code done} holds for the records received so far, then for {@code settle} more. */
    List<Received> until(Predicate<List<Received>> done, Duration timeout, Duration settle) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            poll(Duration.ofMillis(20));
            return done.test(received);
        });
        long settleUntil = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < settleUntil) {
            poll(Duration.ofMillis(50));
        }
        return List.copyOf(received);
    }

    List<Received> poll(Duration timeout) {
        List<Received> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            batch.add(new Received(r, Instant.now()));
        }
        received.addAll(batch);
        return batch;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
