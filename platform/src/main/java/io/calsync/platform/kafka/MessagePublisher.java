package io.calsync.platform.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes messages straight to Kafka: topic and key from the message, type and event id as headers. The producer
 * is idempotent with {@code acks=all}, so a completed future means the broker has the record durably. Services that
 * change the database use the transactional outbox instead; this is for those that only relay (webhook ingest).
 */
public class MessagePublisher {

    private final KafkaTemplate<String, CalendarMessage> template;

    public MessagePublisher(KafkaTemplate<String, CalendarMessage> template) {
        this.template = template;
    }

    public CompletableFuture<SendResult<String, CalendarMessage>> publish(CalendarMessage message) {
        return template.send(toRecord(message));
    }

    /**
     * Publishes and waits for the broker's acknowledgement.
     *
     * @throws BrokerUnavailableException when the broker did not acknowledge within the timeout
     */
    public void publishAndWait(CalendarMessage message, Duration timeout) {
        try {
            publish(message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerUnavailableException("the broker did not acknowledge " + message.type(), e);
        }
    }

    public static ProducerRecord<String, CalendarMessage> toRecord(CalendarMessage message) {
        ProducerRecord<String, CalendarMessage> record = new ProducerRecord<>(message.topic(), message.key(), message);
        record.headers().add(MessageCodec.TYPE_HEADER, message.type().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(MessageCodec.EVENT_ID_HEADER, message.eventId().toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The broker could not take a message in time; callers answer 503 and let the sender retry. */
    public static class BrokerUnavailableException extends RuntimeException {
        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
