package io.calsync.gateway.kafka;

import io.calsync.gateway.application.StreamHub;
import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.EventsChanged;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every replica reads all of {@code calendar.events-changed} (a consumer group of its own, from the latest offset,
 * nothing committed: a message is only a wake-up, the change log is the record) and wakes the streams of the message's
 * user. The sync engine publishes one per pass that changed events, the write-back one per result, the gateway one per
 * write, so a change made on any replica or by any service reaches a stream on any other.
 */
@Component
public class StreamWakeups implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamWakeups.class);

    private final StreamHub hub;
    private final String bootstrap;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public StreamWakeups(StreamHub hub, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrap) {
        this.hub = hub;
        this.bootstrap = bootstrap;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "gateway-stream-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                50));
        running = true;
        thread = Thread.ofPlatform().daemon().name("stream-wakeups").start(this::poll);
    }

    private void poll() {
        try {
            consumer.subscribe(List.of(Topics.EVENTS_CHANGED));
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        wake(r.value());
                    }
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    // The broker is away: the tick still serves every stream; try again shortly.
                    log.warn("stream wake-ups paused error={}", e.getClass().getSimpleName());
                    sleep();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void wake(byte[] value) {
        try {
            CalendarMessage m = MessageCodec.decode(value);
            if (m instanceof EventsChanged changed && changed.userId() != null) {
                hub.wake(changed.userId());
            }
        } catch (RuntimeException e) {
            log.debug("a message that is no EventsChanged was skipped");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
