package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.Topics;
import io.calsync.sync.persistence.ProcessedMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
 * <p><b>Concurrency.</b> The connections of a batch are worked on at the same time (virtual threads, at most
 * {@code calsync.sync.work-concurrency} at once in the instance, 32 by default; 1 works one after another), each
 * connection's messages in their order by one task: a provider call takes 100–300 ms, so an instance is limited by
 * the providers' latency and quotas, not by its two consumer threads. A connection's messages are all in one
 * partition, and a consumer starts its next batch only when every task of this one is done, so per-connection order
 * holds across batches and rebalances as before.
 *
 * <p><b>Failure policy</b> (the platform's {@code CommonErrorHandler}): when one connection's work fails, the batch
 * fails at that connection's first record ({@link BatchListenerFailedException}): the records before it are
 * committed (with concurrent work, the earliest of the failed connections' records), the failed one is retried with exponential backoff and finally sent to {@code <topic>-dlt}, so a poison
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

    /** Connections' work running at once in this instance, across its consumers; null: one after another. */
    private final Semaphore slots;

    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sync-work-", 0).factory());

    SyncMessageListener(
            ProcessedMessages processed,
            SyncWork work,
            MeterRegistry meters,
            ObservationRegistry observations,
            @Value("${calsync.sync.work-concurrency:32}") int workConcurrency) {
        this.processed = processed;
        this.work = work;
        this.meters = meters;
        this.observations = observations;
        this.slots = workConcurrency > 1 ? new Semaphore(workConcurrency) : null;
        if (slots != null) {
            Gauge.builder("calsync.sync.work.running", slots, s -> workConcurrency - s.availablePermits())
                    .description("Connections whose work runs now in this instance")
                    .register(meters);
        }
    }

    @PreDestroy
    void stopExecutor() {
        executor.shutdown();
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
        // A malformed record fails the batch at its index, and the error handler commits every record before it as
        // done: so those are worked on first. (They were not, and were lost, before PoisonMessageIT put a good
        // record ahead of a poison one in the same batch.)
        List<CalendarMessage> messages = new ArrayList<>(records.size());
        BatchListenerFailedException malformed = null;
        for (int i = 0; i < records.size() && malformed == null; i++) {
            try {
                messages.add(MessageCodec.decode(records.get(i).value()));
            } catch (MessageCodec.MalformedMessageException e) {
                log.warn(
                        "malformed message topic={} partition={} offset={} reason={}",
                        records.get(i).topic(),
                        records.get(i).partition(),
                        records.get(i).offset(),
                        e.getMessage());
                malformed = new BatchListenerFailedException("malformed message", e, i);
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
        runAll(plan.work(), records);
        for (BatchPlan.ConnectionWork w : plan.work()) {
            for (CalendarMessage m : w.messages()) {
                meters.counter("calsync.messages.consumed", "consumer", CONSUMER, "type", m.type())
                        .increment();
            }
        }
        if (plan.coalesced() > 0) {
            meters.counter("calsync.sync.coalesced").increment(plan.coalesced());
        }
        if (malformed != null) {
            throw malformed;
        }
    }

    /**
     * The batch's connections at the same time, each connection's own work in its order on one thread, at most
     * {@code work-concurrency} of them at once across this instance's consumers. The listener returns (and the
     * container commits the batch's offsets) only when all are done; when some failed, the batch fails at the
     * earliest record of those, so nothing after a failure is committed, and what did succeed after it is skipped on
     * redelivery by its event ids.
     */
    private void runAll(List<BatchPlan.ConnectionWork> works, List<ConsumerRecord<String, byte[]>> records) {
        if (works.size() <= 1 || slots == null) {
            for (BatchPlan.ConnectionWork w : works) {
                observation(records.get(w.firstIndex())).observe(() -> run(w));
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>(works.size());
        for (BatchPlan.ConnectionWork w : works) {
            Observation observation = observation(records.get(w.firstIndex())); // the consumer thread knows its group
            running.add(executor.submit(() -> {
                slots.acquireUninterruptibly();
                try {
                    observation.observe(() -> run(w));
                } finally {
                    slots.release();
                }
            }));
        }
        BatchListenerFailedException first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BatchListenerFailedException failed
                        && (first == null || failed.getIndex() < first.getIndex())) {
                    first = failed;
                } else if (!(e.getCause() instanceof BatchListenerFailedException) && first == null) {
                    first = new BatchListenerFailedException("connection work failed", e.getCause(), 0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatchListenerFailedException("interrupted while the batch's work ran", e, 0);
            }
        }
        if (first != null) {
            throw first;
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
