package io.calsync.ingest;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.messaging.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code calendar.provider-notifications} from the beginning with a plain consumer of its own group, on a
 * background thread, and keeps every message with the key it came with.
 */
final class NotificationCollector implements AutoCloseable {

    /** A message and its record's key. */
    record Received(String key, ProviderNotificationReceived message) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    NotificationCollector(String bootstrapServers) {
        thread = Thread.ofVirtual().start(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "ingest-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class,
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG,
                    500))) {
                c.subscribe(List.of(Topics.PROVIDER_NOTIFICATIONS));
                while (running) {
                    c.poll(Duration.ofMillis(200)).forEach(r -> {
                        CalendarMessage m = MessageCodec.decode(r.value());
                        if (m instanceof ProviderNotificationReceived p) {
                            received.add(new Received(r.key(), p));
                        }
                    });
                }
            }
        });
    }

    List<Received> all() {
        return List.copyOf(received);
    }

    List<ProviderNotificationReceived> forConnection(UUID connectionId) {
        return received.stream()
                .filter(r -> connectionId.toString().equals(r.key()))
                .map(Received::message)
                .toList();
    }

    List<ProviderNotificationReceived> forSubscription(String subscriptionId) {
        return received.stream()
                .map(Received::message)
                .filter(m -> subscriptionId.equals(m.subscriptionId()))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
