package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import io.calsync.model.persistence.ProcessedMessageRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sync engine's one way in: every message of the four work topics, keyed by connection id.
 *
 * <p>Failure policy (the platform's {@code CommonErrorHandler}): a failing record is retried with exponential
 * backoff, then sent to {@code <topic>-dlt}; malformed records go there at once. Idempotence: the message id is
 * recorded in {@code processed_messages} in the same transaction as the work, and the offset is committed after that
 * transaction, so a redelivered message is recognised and skipped.
 */
@Component
class SyncMessageListener {

    static final String CONSUMER = "sync-service";
    private static final Logger log = LoggerFactory.getLogger(SyncMessageListener.class);

    private final ProcessedMessageRepository processed;
    private final SyncMessageHandler handler;
    private final MeterRegistry meters;

    SyncMessageListener(ProcessedMessageRepository processed, SyncMessageHandler handler, MeterRegistry meters) {
        this.processed = processed;
        this.handler = handler;
        this.meters = meters;
    }

    @KafkaListener(
            id = CONSUMER,
            groupId = CONSUMER,
            topics = {
                Topics.SYNC_REQUESTS,
                Topics.PROVIDER_NOTIFICATIONS,
                Topics.EVENT_COMMANDS,
                Topics.SUBSCRIPTION_LIFECYCLE
            },
            concurrency = "${calsync.sync.consumer-concurrency:2}")
    @Transactional
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        CalendarMessage message = MessageCodec.decode(record.value());
        if (processed.markProcessed(CONSUMER, message.eventId()) == 0) {
            meters.counter("calsync.messages.duplicates", "consumer", CONSUMER, "type", message.type())
                    .increment();
            log.info(
                    "skipping already processed message type={} eventId={} connectionId={}",
                    message.type(),
                    message.eventId(),
                    message.connectionId());
            return;
        }
        handler.handle(message);
        meters.counter("calsync.messages.consumed", "consumer", CONSUMER, "type", message.type())
                .increment();
    }
}
