package io.calsync.platform.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The transactional outbox relay of one service: Debezium embedded reads the outbox inserts from the WAL and
 * {@link OutboxBatchHandler} publishes them to Kafka.
 *
 * <p>A supervisor thread runs the relay. It takes the service's {@link LeaderLock} (other replicas retry every
 * {@code lock-retry-interval}), then runs the engine while checking every second that the lock's session is alive.
 * When the engine stops by itself (a send Kafka did not acknowledge, the database gone), it is started again after a
 * backoff of 0.5 s doubling to 30 s, from the offsets it flushed: nothing is skipped. Losing the lock stops the engine
 * and puts this replica back to waiting.
 *
 * <p>{@link #start()} creates the publication and slot first ({@link ReplicationSetup}), before the web server
 * accepts writes; {@link #stop()} closes the engine, which flushes its offsets, then releases the lock.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration LOCK_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final RelayNames names;
    private final PostgresEndpoint endpoint;
    private final OutboxRelayProperties properties;
    private final DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler;
    private final OutboxRelayMetrics metrics;

    private final SlotMonitor monitor;
    private final OutboxReconciler reconciler;

    private volatile boolean running;
    private ScheduledExecutorService maintenance;
    private volatile CountDownLatch stopRequested = new CountDownLatch(0);
    private Thread supervisor;

    public OutboxRelay(
            RelayNames names,
            PostgresEndpoint endpoint,
            OutboxRelayProperties properties,
            DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler,
            OutboxRelayMetrics metrics) {
        this(names, endpoint, properties, handler, metrics, null, null);
    }

    /**
     * @param monitor reads the slot's health into the gauges every {@code reconcile-interval}, on every replica
     * @param reconciler republishes rows the relay never confirmed, on the leader, as often
     */
    public OutboxRelay(
            RelayNames names,
            PostgresEndpoint endpoint,
            OutboxRelayProperties properties,
            DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler,
            OutboxRelayMetrics metrics,
            SlotMonitor monitor,
            OutboxReconciler reconciler) {
        this.names = names;
        this.endpoint = endpoint;
        this.properties = properties;
        this.handler = handler;
        this.metrics = metrics;
        this.monitor = monitor;
        this.reconciler = reconciler;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        try {
            ReplicationSetup.ensure(endpoint, names);
        } catch (SQLException | RuntimeException e) {
            // The supervisor tries again before it starts the engine; the service itself may start regardless.
            log.atError()
                    .setMessage("could not create the outbox relay's publication and replication slot")
                    .addKeyValue("slot", names.slot())
                    .setCause(e)
                    .log();
        }
        stopRequested = new CountDownLatch(1);
        running = true;
        supervisor = Thread.ofPlatform()
                .name("outbox-relay-" + names.service())
                .daemon()
                .start(this::supervise);
        if (monitor != null || reconciler != null) {
            maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .name("outbox-maintenance-" + names.service())
                    .daemon()
                    .factory());
            long every = properties.reconcileInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Slot health on every replica; republishing what was never confirmed on the leader. */
    void maintain() {
        try {
            if (monitor != null) {
                monitor.refresh();
            }
            if (reconciler != null && metrics.isLeader()) {
                reconciler.reconcile();
            }
        } catch (RuntimeException e) { // the next run tries again; a thrown exception would end the schedule
            log.atWarn()
                    .setMessage("outbox maintenance failed; trying again")
                    .addKeyValue("service", names.service())
                    .addKeyValue("error", e.toString())
                    .log();
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        stopRequested.countDown();
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        try {
            supervisor.join(ENGINE_STOP_TIMEOUT.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        log.atInfo()
                .setMessage("outbox relay stopped")
                .addKeyValue("service", names.service())
                .log();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server starts (so the slot exists before the first write), and stopped after it drained. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    /** Whether this replica holds the lock and runs the engine. */
    public boolean isLeader() {
        return metrics.isLeader();
    }

    public RelayNames names() {
        return names;
    }

    private void supervise() {
        Backoff backoff = new Backoff();
        boolean reportedWaiting = false;
        while (!isStopRequested()) {
            Optional<LeaderLock> lock;
            try {
                lock = LeaderLock.tryAcquire(endpoint, names.consumer());
            } catch (SQLException | RuntimeException e) {
                log.atWarn()
                        .setMessage("outbox relay cannot reach the database; trying again")
                        .addKeyValue("service", names.service())
                        .addKeyValue("error", e.toString())
                        .log();
                pause(backoff.next());
                continue;
            }
            if (lock.isEmpty()) {
                if (!reportedWaiting) {
                    log.atInfo()
                            .setMessage("another replica runs the outbox relay; this one waits for its lock")
                            .addKeyValue("service", names.service())
                            .log();
                    reportedWaiting = true;
                }
                pause(properties.lockRetryInterval());
                continue;
            }
            reportedWaiting = false;
            try (LeaderLock held = lock.get()) {
                metrics.leader(true);
                log.atInfo()
                        .setMessage("outbox relay took the lock and starts streaming")
                        .addKeyValue("service", names.service())
                        .addKeyValue("slot", names.slot())
                        .log();
                lead(held, backoff);
            } catch (RuntimeException e) { // never let the supervisor die: the relay would silently stop
                failed("outbox relay failed unexpectedly; starting over", e);
                pause(backoff.next());
            } finally {
                metrics.leader(false);
            }
        }
    }

    /** Runs the engine, restarting it after failures, while this replica holds the lock and no stop is requested. */
    private void lead(LeaderLock lock, Backoff backoff) {
        while (!isStopRequested()) {
            EngineRun run;
            try {
                ReplicationSetup.ensure(endpoint, names);
                Properties config = DebeziumProperties.of(
                        names, endpoint, properties.pollInterval(), properties.heartbeatInterval());
                run = EngineRun.start(names, config, handler);
            } catch (SQLException | RuntimeException e) {
                failed("outbox relay could not start its engine", e);
                if (pause(backoff.next()) || !lock.isHeld()) {
                    return;
                }
                continue;
            }
            long startedAt = System.nanoTime();
            while (!run.isDone()) {
                if (pause(LOCK_CHECK_INTERVAL)) {
                    run.close();
                    return;
                }
                if (!lock.isHeld()) {
                    log.atError()
                            .setMessage("outbox relay lost its lock's database session; stopping the engine")
                            .addKeyValue("service", names.service())
                            .log();
                    run.close();
                    return;
                }
            }
            run.close();
            if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(MAX_BACKOFF) > 0) {
                backoff.reset(); // it ran well for a while: this is a new failure, not the same one again
            }
            failed("outbox relay engine stopped; restarting it", run.failure());
            if (pause(backoff.next()) || !lock.isHeld()) {
                return;
            }
        }
    }

    private void failed(String message, Throwable cause) {
        metrics.failed();
        log.atError()
                .setMessage(message)
                .addKeyValue("service", names.service())
                .setCause(cause)
                .log();
    }

    private boolean isStopRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Waits, or less if a stop is requested; true when it is. */
    private boolean pause(Duration duration) {
        try {
            return stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One run of a Debezium engine on a thread of its own, and how it ended. */
    private static final class EngineRun {
        private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
        private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        private final String service;

        private EngineRun(
                RelayNames names,
                Properties config,
                DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler) {
            this.service = names.service();
            this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(config)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            log.atInfo()
                                    .setMessage("outbox relay is streaming")
                                    .addKeyValue("service", service)
                                    .log();
                        }
                    })
                    .using((success, message, error) -> ended.complete(
                            success ? null : (error != null ? error : new IllegalStateException(message))))
                    .notifying(handler)
                    .build();
        }

        static EngineRun start(
                RelayNames names,
                Properties config,
                DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler) {
            EngineRun run = new EngineRun(names, config, handler);
            Thread.ofPlatform()
                    .name("outbox-relay-engine-" + names.service())
                    .daemon()
                    .start(() -> {
                        try {
                            run.engine.run();
                        } finally {
                            run.ended.complete(new IllegalStateException("the engine returned"));
                        }
                    });
            return run;
        }

        boolean isDone() {
            return ended.isDone();
        }

        Throwable failure() {
            return ended.getNow(null);
        }

        /**
         * Stops the engine (it commits the offsets of what was marked processed) and waits until it has. An engine
         * that stopped by itself has shut down already.
         */
        void close() {
            try {
                if (!ended.isDone()) {
                    engine.close();
                }
                ended.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
                log.atWarn()
                        .setMessage("outbox relay engine did not stop cleanly")
                        .addKeyValue("service", service)
                        .addKeyValue("error", e.toString())
                        .log();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Exponential backoff between engine restarts. */
    private static final class Backoff {
        private Duration next = MIN_BACKOFF;

        Duration next() {
            Duration current = next;
            next = next.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next.multipliedBy(2);
            return current;
        }

        void reset() {
            next = MIN_BACKOFF;
        }
    }
}
