package io.calsync.platform.outbox;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one Debezium batch. A record counts as done (and Debezium may move its offset past it) only once Kafka
 * acknowledged it and its id is recorded in the {@link PublishedLedger}; anything else in the batch (the delete that
 * follows each insert, heartbeats, other services' rows, re-deliveries) is done at once.
 *
 * <p>The whole batch is sent before waiting, so that a batch costs one round trip, not one per record. If a send
 * fails, the records before it are marked, the ones acknowledged after it are still recorded in the ledger, and the
 * batch throws: the engine stops without moving past the failed record and the relay restarts it with a backoff.
 * Nothing is ever skipped; a record acknowledged after a failed one of the same key ends up ahead of it on the topic,
 * which only a failure of the broker itself can cause.
 */
public class OutboxBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(OutboxBatchHandler.class);
    /** Beyond the producer's own delivery timeout: only a wedged producer ever hits it. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final String service;
    private final OutboxPublisher publisher;
    private final PublishedLedger ledger;
    private final OutboxRelayMetrics metrics;
    private final Clock clock;
    private final AtomicBoolean warnedAboutUnownedRows = new AtomicBoolean();

    public OutboxBatchHandler(
            String service,
            OutboxPublisher publisher,
            PublishedLedger ledger,
            OutboxRelayMetrics metrics,
            Clock clock) {
        this.service = service;
        this.publisher = publisher;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** One change event of the batch and, if it is a record to publish, its send. */
    private static final class Item {
        final RecordChangeEvent<SourceRecord> event;
        final OutboxRecord record;
        CompletableFuture<RecordMetadata> send;

        Item(RecordChangeEvent<SourceRecord> event, OutboxRecord record) {
            this.event = event;
            this.record = record;
        }
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Item> items = new ArrayList<>(events.size());
        Instant streamed = null;
        for (RecordChangeEvent<SourceRecord> event : events) {
            Optional<OutboxRecord> record = OutboxRecord.from(event.record());
            Instant committed = record.map(OutboxRecord::committedAt).orElse(null);
            if (committed != null && (streamed == null || committed.isAfter(streamed))) {
                streamed = committed;
            }
            items.add(new Item(event, record.filter(this::isOurs).orElse(null)));
        }
        Set<UUID> published = ledger.alreadyPublished(items.stream()
                .filter(i -> i.record != null)
                .map(i -> i.record.id())
                .toList());
        List<UUID> acknowledged = new ArrayList<>();
        for (Item item : items) {
            if (item.record == null) {
                continue;
            }
            if (published.contains(item.record.id())) {
                acknowledged.add(item.record.id()); // its row, if still there, goes now
                metrics.skipped("already-published");
                log.atInfo()
                        .setMessage("outbox record re-delivered after a restart, already published: skipped")
                        .addKeyValue("eventId", item.record.id())
                        .addKeyValue("topic", item.record.topic())
                        .log();
            } else {
                item.send = publisher.send(item.record);
            }
        }

        int firstFailure = -1;
        Throwable failure = null;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.send == null) {
                continue;
            }
            try {
                item.send.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                acknowledged.add(item.record.id());
                metrics.published(item.record.topic(), lagOf(item.record));
                log.atDebug()
                        .setMessage("outbox record published")
                        .addKeyValue("eventId", item.record.id())
                        .addKeyValue("topic", item.record.topic())
                        .addKeyValue("type", item.record.type())
                        .log();
            } catch (ExecutionException | TimeoutException e) {
                if (firstFailure < 0) {
                    firstFailure = i;
                    failure = e instanceof ExecutionException ? e.getCause() : e;
                }
            }
        }
        ledger.record(acknowledged);

        int done = firstFailure < 0 ? items.size() : firstFailure;
        for (int i = 0; i < done; i++) {
            committer.markProcessed(items.get(i).event);
        }
        if (failure != null) {
            OutboxRecord failed = items.get(firstFailure).record;
            throw new OutboxPublishException(
                    "Kafka did not acknowledge outbox record " + failed.id() + " for " + failed.topic(), failure);
        }
        committer.markBatchFinished();
        if (streamed != null) {
            metrics.streamedThrough(streamed);
        }
    }

    /**
     * Every service's relay sees every service's outbox inserts (one table, one slot each); it publishes its own and,
     * since losing a message is worse than duplicating one, also the rows that name no origin.
     */
    private boolean isOurs(OutboxRecord record) {
        if (record.origin() == null) {
            if (warnedAboutUnownedRows.compareAndSet(false, true)) {
                log.atWarn()
                        .setMessage(
                                "outbox rows without origin are published by every relay: write through OutboxWriter")
                        .addKeyValue("eventId", record.id())
                        .log();
            }
            return true;
        }
        if (!service.equals(record.origin())) {
            metrics.skipped("other-service");
            return false;
        }
        return true;
    }

    private Duration lagOf(OutboxRecord record) {
        return record.committedAt() == null ? null : Duration.between(record.committedAt(), clock.instant());
    }

    /** Kafka did not take a record: the engine stops before it and is restarted. */
    public static class OutboxPublishException extends RuntimeException {
        public OutboxPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
