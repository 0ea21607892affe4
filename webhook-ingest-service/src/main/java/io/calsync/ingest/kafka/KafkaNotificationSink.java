package io.calsync.ingest.kafka;

import io.calsync.ingest.application.Deadline;
import io.calsync.ingest.application.NotificationSink;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/** {@link NotificationSink} on Kafka: send all, then wait for all acknowledgements until the deadline. */
@Component
class KafkaNotificationSink implements NotificationSink {

    private final MessagePublisher publisher;

    KafkaNotificationSink(MessagePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publishAll(List<ProviderNotificationReceived> messages, Deadline deadline) {
        List<CompletableFuture<?>> pending = new ArrayList<>(messages.size());
        for (ProviderNotificationReceived m : messages) {
            if (deadline.passed()) {
                throw new BrokerUnavailableException("deadline passed while sending", null);
            }
            try {
                // Blocks up to max.block.ms while the topic's metadata is unknown (a broker that is down); a send
                // that fails at once (such as that timeout) is thrown by the template instead of returned.
                pending.add(publisher.publish(m));
            } catch (RuntimeException e) {
                throw new BrokerUnavailableException("the producer refused a notification", e);
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("the broker did not acknowledge a notification", e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("the broker did not acknowledge before the deadline", e);
        }
    }
}
