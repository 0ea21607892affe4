package io.calsync.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What operators watch of a relay, every meter tagged with the service: {@code calsync.outbox.published} (per topic),
 * {@code calsync.outbox.relay.lag} (commit of the writing transaction → Kafka's acknowledgement),
 * {@code calsync.outbox.relay.leader} (1 on the replica that holds the lock), {@code calsync.outbox.relay.skipped}
 * (per reason: re-delivered after a restart, or another service's row) and {@code calsync.outbox.relay.failures}
 * (engine stops that lead to a restart; a rising count with a flat published count means the relay is stuck);
 * the slot and unconfirmed-row gauges of {@link SlotMonitor}, and {@code calsync.outbox.republished} (rows the
 * {@link OutboxReconciler} sent because the relay never confirmed them).
 */
public class OutboxRelayMetrics {

    private final MeterRegistry registry;
    private final String service;
    private final AtomicInteger leader = new AtomicInteger();
    private final Timer lag;
    private final Counter failures;
    private volatile Slot slot = new Slot(false, 3, 0);
    private volatile long unpublished;
    private volatile Instant streamedThrough;
    private volatile double oldestUnpublishedSeconds;

    /** A replication slot's state as {@link SlotMonitor} read it; {@code walStatus} as its gauge codes it. */
    public record Slot(boolean active, int walStatus, long retainedBytes) {}

    public OutboxRelayMetrics(MeterRegistry registry, String service) {
        this.registry = registry;
        this.service = service;
        Gauge.builder("calsync.outbox.relay.leader", leader, AtomicInteger::get)
                .description("1 while this replica holds the relay's lock and runs the engine")
                .tag("service", service)
                .register(registry);
        this.lag = Timer.builder("calsync.outbox.relay.lag")
                .description("From the commit of the writing transaction to Kafka's acknowledgement")
                .tag("service", service)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.failures = Counter.builder("calsync.outbox.relay.failures")
                .description("Engine stops that lead to a restart")
                .tag("service", service)
                .register(registry);
        Gauge.builder("calsync.outbox.slot.active", this, m -> m.slot.active() ? 1 : 0)
                .description("1 while a walsender streams from the relay's replication slot; 0 when idle or missing")
                .tag("service", service)
                .register(registry);
        Gauge.builder("calsync.outbox.slot.retained.bytes", this, m -> m.slot.retainedBytes())
                .description("WAL the relay's replication slot keeps from being recycled")
                .baseUnit("bytes")
                .tag("service", service)
                .register(registry);
        Gauge.builder("calsync.outbox.slot.wal.status", this, m -> m.slot.walStatus())
                .description("0 reserved, 1 extended, 2 unreserved (about to be lost), 3 lost or no slot")
                .tag("service", service)
                .register(registry);
        Gauge.builder("calsync.outbox.unpublished", this, m -> m.unpublished)
                .description("Outbox rows of this service written and not yet confirmed by Kafka")
                .tag("service", service)
                .register(registry);
        Gauge.builder("calsync.outbox.unpublished.oldest.seconds", this, m -> m.oldestUnpublishedSeconds)
                .description("Age of the oldest outbox row of this service not yet confirmed by Kafka")
                .baseUnit("seconds")
                .tag("service", service)
                .register(registry);
    }

    /** The commit time of the newest outbox insert the engine has streamed and handled, on any service's row. */
    void streamedThrough(Instant commit) {
        Instant current = streamedThrough;
        if (current == null || commit.isAfter(current)) {
            streamedThrough = commit;
        }
    }

    /** Null until this replica's engine handled a row. */
    Instant streamedThrough() {
        return streamedThrough;
    }

    void slot(Slot state) {
        this.slot = state;
    }

    void unpublished(long rows, double oldestSeconds) {
        this.unpublished = rows;
        this.oldestUnpublishedSeconds = oldestSeconds;
    }

    void republished(String topic) {
        Counter.builder("calsync.outbox.republished")
                .description("Outbox rows the relay never confirmed, republished by the reconciler")
                .tag("service", service)
                .tag("topic", topic)
                .register(registry)
                .increment();
    }

    void published(String topic, Duration lagSinceCommit) {
        Counter.builder("calsync.outbox.published")
                .description("Outbox messages published and acknowledged by Kafka")
                .tag("service", service)
                .tag("topic", topic)
                .register(registry)
                .increment();
        if (lagSinceCommit != null && !lagSinceCommit.isNegative()) {
            lag.record(lagSinceCommit);
        }
    }

    void skipped(String reason) {
        Counter.builder("calsync.outbox.relay.skipped")
                .tag("service", service)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    void failed() {
        failures.increment();
    }

    void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    public boolean isLeader() {
        return leader.get() == 1;
    }

    public Timer lag() {
        return lag;
    }
}
