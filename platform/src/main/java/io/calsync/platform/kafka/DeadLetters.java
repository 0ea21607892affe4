package io.calsync.platform.kafka;

import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Reading and replaying a dead-letter topic ({@code <topic>-dlt}), the operation behind {@link DeadLetterTool}.
 *
 * <p>{@link #list} reads the whole topic without a consumer group (nothing is committed, nothing changes) and returns
 * every record with the reason Spring's dead-letter recoverer put in its headers. {@link #replay} sends the chosen
 * ones back to their original topic exactly as they first arrived: the same key (so the same partition, behind the
 * connection's other messages), value and headers, without the {@code kafka_dlt-*} ones, plus
 * {@value #REPLAYED_FROM_HEADER} naming the dead letter, with {@code acks=all}. The consumers skip an event id they
 * applied before, so replaying a record twice, or one that had been applied after all, is harmless.
 */
public final class DeadLetters {

    /** Set on a replayed record: {@code <dlt topic>/<partition>/<offset>} of the dead letter it came from. */
    public static final String REPLAYED_FROM_HEADER = "calsync-replayed-from";

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;

    public DeadLetters(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * One dead letter.
     *
     * @param reason the exception's class and first line of its message, as the recoverer recorded them
     * @param originalTopic where it came from (the header, else the DLT's name without {@code -dlt})
     */
    public record DeadLetter(
            String topic,
            int partition,
            long offset,
            Instant timestamp,
            String key,
            String type,
            UUID eventId,
            String originalTopic,
            Integer originalPartition,
            Long originalOffset,
            String reason,
            ConsumerRecord<String, byte[]> record) {

        public String position() {
            return partition + ":" + offset;
        }
    }

    /** Every record of the dead-letter topic, in partition and offset order; up to its end as of this call. */
    public List<DeadLetter> list(String dltTopic) {
        requireDlt(dltTopic);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            var infos = consumer.partitionsFor(dltTopic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("no such topic: " + dltTopic);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(dltTopic, p.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            Map<TopicPartition, List<DeadLetter>> byPartition = new LinkedHashMap<>();
            partitions.forEach(p -> byPartition.put(p, new ArrayList<>()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + dltTopic + " did not reach its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        byPartition.get(tp).add(of(r));
                    }
                }
            }
            return byPartition.values().stream().flatMap(List::stream).toList();
        }
    }

    /** The dead letters grouped by reason, largest group first. */
    public static Map<String, List<DeadLetter>> byReason(List<DeadLetter> letters) {
        Map<String, List<DeadLetter>> groups = new LinkedHashMap<>();
        letters.forEach(
                l -> groups.computeIfAbsent(l.reason(), r -> new ArrayList<>()).add(l));
        return groups.entrySet().stream()
                .sorted((a, b) ->
                        Integer.compare(b.getValue().size(), a.getValue().size()))
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    /** Sends the chosen dead letters back to their original topics; answers how many Kafka acknowledged. */
    public int replay(String dltTopic, Predicate<DeadLetter> chosen) {
        List<DeadLetter> letters = list(dltTopic).stream().filter(chosen).toList();
        if (letters.isEmpty()) {
            return 0;
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (DeadLetter l : letters) {
                ProducerRecord<String, byte[]> out = new ProducerRecord<>(
                        l.originalTopic(), l.key(), l.record().value());
                for (Header h : l.record().headers()) {
                    if (!h.key().startsWith(KafkaHeaders.PREFIX + "dlt-")
                            && !h.key().equals(REPLAYED_FROM_HEADER)) {
                        out.headers().add(h);
                    }
                }
                out.headers()
                        .add(
                                REPLAYED_FROM_HEADER,
                                (l.topic() + "/" + l.partition() + "/" + l.offset()).getBytes(StandardCharsets.UTF_8));
                sends.add(producer.send(out));
            }
            int acknowledged = 0;
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    acknowledged++;
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException(
                            "Kafka did not acknowledge a replayed record (" + acknowledged + " were): " + e, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted after " + acknowledged + " replayed records", e);
                }
            }
            return acknowledged;
        }
    }

    private static void requireDlt(String topic) {
        if (topic == null || !topic.endsWith(Topics.DLT_SUFFIX)) {
            throw new IllegalArgumentException(
                    "not a dead-letter topic (must end in " + Topics.DLT_SUFFIX + "): " + topic);
        }
    }

    private static DeadLetter of(ConsumerRecord<String, byte[]> r) {
        String fqcn = header(r, KafkaHeaders.DLT_EXCEPTION_FQCN);
        String cause = header(r, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN);
        String message = header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE);
        String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
        int listener = firstLine.indexOf(" threw exception; "); // Spring's wrapper: keep what the listener said
        if (listener >= 0) {
            firstLine = firstLine.substring(listener + " threw exception; ".length());
        }
        if (firstLine.length() > 200) {
            firstLine = firstLine.substring(0, 200) + "…";
        }
        String reason = (cause != null ? cause : fqcn != null ? fqcn : "unknown") + ": " + firstLine;
        String original = header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        String eventId = header(r, MessageCodec.EVENT_ID_HEADER);
        return new DeadLetter(
                r.topic(),
                r.partition(),
                r.offset(),
                Instant.ofEpochMilli(r.timestamp()),
                r.key(),
                header(r, MessageCodec.TYPE_HEADER),
                eventId == null ? null : parseUuid(eventId),
                original != null ? original : r.topic().substring(0, r.topic().length() - Topics.DLT_SUFFIX.length()),
                intHeader(r, KafkaHeaders.DLT_ORIGINAL_PARTITION),
                longHeader(r, KafkaHeaders.DLT_ORIGINAL_OFFSET),
                reason,
                r);
    }

    private static UUID parseUuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Spring writes the original partition as 4 bytes and the offset as 8, big-endian. */
    private static Integer intHeader(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value().length != 4
                ? null
                : java.nio.ByteBuffer.wrap(h.value()).getInt();
    }

    private static Long longHeader(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value().length != 8
                ? null
                : java.nio.ByteBuffer.wrap(h.value()).getLong();
    }
}
