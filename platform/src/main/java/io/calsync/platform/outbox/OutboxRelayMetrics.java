package io.calsync.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What operators watch of a relay, every meter tagged with the service: {@code calsync.outbox.published} (per topic),
 * {@code calsync.outbox.relay.lag} (commit of the writing transaction → Kafka's acknowledgement),
 * {@code calsync.outbox.relay.leader} (1 on the replica that holds the lock), {@code calsync.outbox.relay.skipped}
 * (per reason: re-delivered after a restart, or another service's row) and {@code calsync.outbox.relay.failures}
 * (engine stops that lead to a restart; a rising count with a flat published count means the relay is stuck).
 */
public class OutboxRelayMetrics {

    private final MeterRegistry registry;
    private final String service;
    private final AtomicInteger leader = new AtomicInteger();
    private final Timer lag;
    private final Counter failures;

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
