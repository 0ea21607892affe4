package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import io.calsync.sync.persistence.ProcessedMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.stereotype.Component;

/**
 * The sync engine's one way in: every message of the four work topics, keyed by connection id, a poll's batch at a
 * time so that a burst of notifications for one calendar becomes one sync ({@link BatchPlan}).
 *
 * <p><b>Failure policy</b> (the platform's {@code CommonErrorHandler}): when one connection's work fails, the batch
 * fails at that connection's first record ({@link BatchListenerFailedException}): the records before it are
 * committed, the failed one is retried with exponential backoff and finally sent to {@code <topic>-dlt}, so a poison
 * message never blocks its partition. Malformed records go to the DLT without retries.
 *
 * <p><b>Idempotence.</b> Each message id is recorded in {@code processed_messages} in the same transaction as the
 * work's result; the offsets are committed after the listener returns, that is after those transactions. A
 * redelivered message (a rebalance, a crash before the offset commit, a retried batch) is recognised and skipped.
 *
 * <p><b>Trace.</b> Spring Kafka observes record listeners only, not the work of a batch listener. Each connection's
 * work therefore runs in a listener observation of its own, continuing the trace of the connection's first record
 * in the batch (its {@code traceparent} header, set by the publishing template or the outbox relay), so that the
 * log lines of that work carry the trace id of the request or notification that asked for it. The triggers merged
 * into the same sync keep their own traces only up to the broker.
 */
@Component
class SyncMessageListener {

    static final String CONSUMER = "sync-service";
    private static final Logger log = LoggerFactory.getLogger(SyncMessageListener.class);

    private final ProcessedMessages processed;
    private final SyncWork work;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;

    SyncMessageListener(
            ProcessedMessages processed, SyncWork work, MeterRegistry meters, ObservationRegistry observations) {
        this.processed = processed;
        this.work = work;
        this.meters = meters;
        this.observations = observations;
    }

    @KafkaListener(
            id = CONSUMER,
            groupId = "${calsync.sync.consumer-group:" + CONSUMER + "}",
            topics = {
                Topics.SYNC_REQUESTS,
                Topics.PROVIDER_NOTIFICATIONS,
                Topics.EVENT_COMMANDS,
                Topics.SUBSCRIPTION_LIFECYCLE
            },
            concurrency = "${calsync.sync.consumer-concurrency:2}",
            containerFactory = "syncBatchListenerFactory")
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<CalendarMessage> messages = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                messages.add(MessageCodec.decode(records.get(i).value()));
            } catch (MessageCodec.MalformedMessageException e) {
                log.warn(
                        "malformed message topic={} partition={} offset={} reason={}",
                        records.get(i).topic(),
                        records.get(i).partition(),
                        records.get(i).offset(),
                        e.getMessage());
                throw new BatchListenerFailedException("malformed message", e, i);
            }
        }
        Set<UUID> done = alreadyProcessed(messages);
        BatchPlan plan = BatchPlan.of(messages, done);
        for (CalendarMessage m : messages) {
            if (done.contains(m.eventId())) {
                meters.counter("calsync.messages.duplicates", "consumer", CONSUMER, "type", m.type())
                        .increment();
                log.info(
                        "skipping already processed message type={} eventId={} connectionId={}",
                        m.type(),
                        m.eventId(),
                        m.connectionId());
            }
        }
        for (BatchPlan.ConnectionWork w : plan.work()) {
            observation(records.get(w.firstIndex())).observe(() -> run(w));
            for (CalendarMessage m : w.messages()) {
                meters.counter("calsync.messages.consumed", "consumer", CONSUMER, "type", m.type())
                        .increment();
            }
        }
        if (plan.coalesced() > 0) {
            meters.counter("calsync.sync.coalesced").increment(plan.coalesced());
        }
    }

    private void run(BatchPlan.ConnectionWork w) {
        try {
            work.run(w, id -> processed.mark(CONSUMER, id));
        } catch (RuntimeException e) {
            log.warn(
                    "work failed connectionId={} firstRecord={} error={}",
                    w.connectionId(),
                    w.firstIndex(),
                    e.toString());
            throw new BatchListenerFailedException(
                    "work for connection " + w.connectionId() + " failed", e, w.firstIndex());
        }
    }

    /**
     * The observation Spring Kafka would open for the record were this a record listener (same name, tags and
     * span), so that its receiver context extracts the record's {@code traceparent} and the span continues that trace.
     */
    private Observation observation(ConsumerRecord<String, byte[]> record) {
        String group = Objects.requireNonNullElse(KafkaUtils.getConsumerGroupId(), CONSUMER);
        return KafkaListenerObservation.LISTENER_OBSERVATION.observation(
                null,
                KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                () -> new KafkaRecordReceiverContext(record, CONSUMER, null, group, () -> null),
                observations);
    }

    private Set<UUID> alreadyProcessed(List<CalendarMessage> messages) {
        return processed.alreadyProcessed(
                CONSUMER, messages.stream().map(CalendarMessage::eventId).toList());
    }
}
