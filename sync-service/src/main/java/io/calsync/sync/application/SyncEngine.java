package io.calsync.sync.application;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.EventsChanged;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.providers.oauth.AccessTokens;
import io.calsync.providers.oauth.ProviderTokenException;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import io.calsync.providers.port.AccessTokenSource;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.RetryLaterException;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import io.calsync.sync.persistence.Audit;
import io.calsync.sync.persistence.Connections;
import io.calsync.sync.persistence.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One sync pass of one connection, for any provider: read the connection, let its adapter page through the changes,
 * store each page in its own transaction, and finish in one last transaction that stores the new cursor, the
 * connection's status, an {@code events-changed} message (outbox), an audit row and whatever the caller must commit
 * with it (the processed message ids).
 *
 * <p><b>Crash safety.</b> The cursor is only stored at the end. A pass that dies half-way (a crash, a rebalance) is
 * run again from the old cursor when its message is redelivered; pages already stored are applied again without
 * effect (same version), so nothing is lost and nothing doubles.
 *
 * <p><b>Full passes</b> (first sync, a forced resync, the provider no longer knowing our cursor: Google 410, Graph
 * SyncStateNotFound, and every ICS refresh) remember every provider id they saw and, at the end, delete the
 * connection's provider rows they did not see. That is the "wipe and sync in full" the providers ask for after a
 * 410, without a moment in which the user's calendar is empty.
 *
 * <p><b>Failures.</b> Rate limits and transient failures are retried inside the pass ({@code ProviderCalls}); if they
 * persist the pass fails, the connection shows FAILED with the reason, and the exception goes back to the Kafka
 * error handler (redelivery with backoff, then the DLT; the poller's backstop sync catches up later). Permanent
 * failures are recorded and the message is done. A revoked grant has already disconnected the connection.
 */
@Component
public class SyncEngine {

    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);
    private static final int MAX_IDS_IN_MESSAGE = 500;

    /** How a pass ended. */
    public enum Outcome {
        SYNCED,
        NOT_MODIFIED,
        SKIPPED,
        FAILED,
        /** Moved to later: the provider asked to wait longer than a consumer may, or the pass ran out of time. */
        DEFERRED
    }

    /** What a pass did. */
    public record Result(Outcome outcome, int upserted, int deleted, boolean full) {}

    private final Connections connections;
    private final EventStore store;
    private final Audit audit;
    private final OutboxWriter outbox;
    private final AccessTokens tokens;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final SyncProperties properties;
    private final Clock clock;
    private final Map<CalendarProvider, ProviderSync> syncs = new EnumMap<>(CalendarProvider.class);
    private final Map<CalendarProvider, ProviderWriter> writers = new EnumMap<>(CalendarProvider.class);

    public SyncEngine(
            Connections connections,
            EventStore store,
            Audit audit,
            OutboxWriter outbox,
            AccessTokens tokens,
            PlatformTransactionManager transactions,
            MeterRegistry meters,
            SyncProperties properties,
            Clock clock,
            List<ProviderSync> syncs,
            List<ProviderWriter> writers) {
        this.connections = connections;
        this.store = store;
        this.audit = audit;
        this.outbox = outbox;
        this.tokens = tokens;
        this.tx = new TransactionTemplate(transactions);
        this.meters = meters;
        this.properties = properties;
        this.clock = clock;
        syncs.forEach(s -> this.syncs.put(s.provider(), s));
        writers.forEach(w -> this.writers.put(w.provider(), w));
    }

    /**
     * Runs one pass.
     *
     * @param cause why (for the audit row and the events-changed message): INITIAL, NOTIFICATION, MANUAL...
     * @param forceFull list everything even when a cursor is stored
     * @param inFinalTransaction work to commit together with the pass's result (marking messages processed); also
     *     run when the pass is skipped or fails permanently, never when the exception goes back to Kafka
     */
    public Result sync(
            UUID connectionId, String cause, boolean forceFull, String requestId, Runnable inFinalTransaction) {
        Optional<Connections.Connection> found = connections.find(connectionId);
        if (found.isEmpty() || !found.get().connected()) {
            log.info(
                    "sync skipped connectionId={} reason={}",
                    connectionId,
                    found.isEmpty() ? "no such connection" : "disconnected");
            tx.executeWithoutResult(s -> inFinalTransaction.run());
            return new Result(Outcome.SKIPPED, 0, 0, false);
        }
        Connections.Connection c = found.get();
        ProviderSync adapter = syncs.get(c.provider());
        if (adapter == null) {
            return fail(
                    c,
                    cause,
                    requestId,
                    new ProviderException(
                            ProviderException.Kind.PERMANENT, 0, "NO_ADAPTER", "no sync adapter for " + c.provider()),
                    inFinalTransaction,
                    Timer.start(meters),
                    false);
        }
        SyncTarget target = target(c, forceFull);
        connections.attempted(c.id());
        Timer.Sample timer = Timer.start(meters);
        Pass pass = new Pass();
        Instant budgetEnds = clock.instant().plus(properties.passBudget());
        PageSink sink = (upserts, removed) -> {
            pass.page(c.id(), upserts, removed);
            if (clock.instant().isAfter(budgetEnds)) {
                // A pass that runs this long (a slow provider, a huge calendar) lets the partition go on: the
                // pages so far are stored, the cursor is not, and the pass continues from it a minute later.
                throw new RetryLaterException(
                        new ProviderException(
                                ProviderException.Kind.TRANSIENT,
                                0,
                                "PASS_BUDGET",
                                "the pass ran longer than " + properties.passBudget()),
                        clock.instant().plusSeconds(60));
            }
        };
        boolean full = target.full();
        try {
            SyncResult result;
            try {
                result = adapter.sync(target, sink);
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.SYNC_STATE_INVALID || target.full()) {
                    throw e;
                }
                log.warn(
                        "provider no longer knows the cursor, syncing in full connectionId={} provider={} code={}",
                        c.id(),
                        c.provider(),
                        e.code());
                meters.counter("calsync.sync.resets", "provider", c.provider().name())
                        .increment();
                pass.seen.clear();
                full = true;
                result = adapter.sync(target.withoutCursor(), sink);
            }
            full = full || result.full();
            List<String> goneSeries = goneSeries(c, target, pass.cancelledSeries);
            SyncResult done = result;
            boolean wasFull = full;
            Instant now = clock.instant();
            tx.executeWithoutResult(s -> {
                if (wasFull && !done.notModified()) {
                    pass.deleted += store.sweep(c.id(), pass.seen, c.provider() == CalendarProvider.MICROSOFT);
                }
                if (!goneSeries.isEmpty()) {
                    pass.add(store.apply(c.id(), List.of(), goneSeries));
                }
                store.recount(c.id());
                connections.succeeded(
                        c,
                        done.cursor(),
                        done.icsEtag(),
                        done.icsLastModified(),
                        done.refreshIntervalSecs(),
                        nextScheduled(c.provider(), now, done.refreshIntervalSecs()),
                        now);
                if (pass.upserted + pass.deleted > 0) {
                    List<UUID> ids = pass.changed.size() > MAX_IDS_IN_MESSAGE
                            ? List.copyOf(pass.changed.subList(0, MAX_IDS_IN_MESSAGE))
                            : List.copyOf(pass.changed);
                    outbox.write(new EventsChanged(
                            UUID.randomUUID(),
                            1,
                            now,
                            c.id(),
                            c.userId(),
                            cause,
                            pass.upserted,
                            pass.deleted,
                            ids,
                            pass.changed.size() > MAX_IDS_IN_MESSAGE));
                }
                audit.record(
                        c.userId(),
                        "calendar.sync",
                        "calendar",
                        c.id(),
                        "SUCCESS",
                        cause + (wasFull ? " full" : " incremental") + " upserted=" + pass.upserted + " deleted="
                                + pass.deleted + (done.notModified() ? " not-modified" : ""),
                        requestId);
                inFinalTransaction.run();
            });
            Outcome outcome = result.notModified() ? Outcome.NOT_MODIFIED : Outcome.SYNCED;
            record(c, timer, outcome, full, pass);
            log.info(
                    "sync done connectionId={} provider={} cause={} mode={} upserted={} deleted={} pages={} outcome={}",
                    c.id(),
                    c.provider(),
                    cause,
                    full ? "full" : "incremental",
                    pass.upserted,
                    pass.deleted,
                    pass.pages,
                    outcome);
            return new Result(outcome, pass.upserted, pass.deleted, full);
        } catch (TokenRevokedException e) {
            // AccessTokens already disconnected the connection and audited it; nothing to retry.
            log.warn("sync stopped, the grant was revoked connectionId={} provider={}", c.id(), c.provider());
            tx.executeWithoutResult(s -> inFinalTransaction.run());
            record(c, timer, Outcome.SKIPPED, full, pass);
            return new Result(Outcome.SKIPPED, pass.upserted, pass.deleted, full);
        } catch (ProviderTokenException e) {
            return fail(
                    c,
                    cause,
                    requestId,
                    new ProviderException(
                            ProviderException.Kind.TRANSIENT, 0, "TOKEN_REFRESH_FAILED", "token refresh failed"),
                    inFinalTransaction,
                    timer,
                    full);
        } catch (ProviderException e) {
            return fail(c, cause, requestId, e, inFinalTransaction, timer, full);
        }
    }

    /** The writer of a provider, for the write-back. */
    Optional<ProviderWriter> writer(CalendarProvider provider) {
        return Optional.ofNullable(writers.get(provider));
    }

    /** What an adapter needs for this connection; the write-back uses it too. */
    SyncTarget target(Connections.Connection c, boolean forceFull) {
        Instant now = clock.instant();
        AccessTokenSource source = c.provider() == CalendarProvider.ICS
                ? null
                : new AccessTokenSource() {
                    private String last;

                    @Override
                    public String current() {
                        last = tokens.accessToken(c.id());
                        return last;
                    }

                    @Override
                    public String refreshed() {
                        last = tokens.refreshNow(c.id(), last);
                        return last;
                    }
                };
        return new SyncTarget(
                c.id(),
                c.provider(),
                c.providerCalendarId(),
                c.accountEmail(),
                c.icsUrl(),
                forceFull ? null : c.cursor(),
                forceFull ? null : c.icsEtag(),
                forceFull ? null : c.icsLastModified(),
                now.minus(properties.windowPast()),
                now.plus(properties.windowFuture()),
                source);
    }

    /**
     * Series whose instances were removed in this pass, and that the provider no longer has. Graph's calendarView
     * delta reports a deleted series only as removed instances (it never lists masters), so the master's own fate
     * must be asked for; Google reports a deleted master itself and never gets here.
     */
    private List<String> goneSeries(Connections.Connection c, SyncTarget target, Set<String> series) {
        ProviderWriter writer = writers.get(c.provider());
        if (series.isEmpty() || writer == null) {
            return List.of();
        }
        List<String> gone = new ArrayList<>();
        for (String masterId : series) {
            if (masterId != null && writer.get(target, masterId) == null) {
                gone.add(masterId);
            }
        }
        return gone;
    }

    /**
     * When the poller asks for this calendar again: feeds by their refresh interval, CalDAV calendars (no push) every
     * {@code CALDAV_POLL_INTERVAL} with up to a tenth of jitter so that calendars connected together spread out;
     * null for pushed calendars (the backstop covers them).
     */
    private Instant nextScheduled(CalendarProvider provider, Instant now, Integer refreshIntervalSecs) {
        return switch (provider) {
            case ICS -> nextRefresh(now, refreshIntervalSecs);
            case APPLE, CALDAV -> {
                long base = properties.caldavPollInterval().toMillis();
                yield now.plusMillis(
                        base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 10 + 1));
            }
            default -> null;
        };
    }

    private Instant nextRefresh(Instant now, Integer refreshIntervalSecs) {
        Duration wait = properties.icsMinRefresh();
        if (refreshIntervalSecs != null
                && Duration.ofSeconds(refreshIntervalSecs).compareTo(wait) > 0) {
            wait = Duration.ofSeconds(refreshIntervalSecs);
        }
        // up to 10% later, so that feeds connected together do not stay due together
        long jitter = java.util.concurrent.ThreadLocalRandom.current().nextLong(wait.toMillis() / 10 + 1);
        return now.plus(wait).plusMillis(jitter);
    }

    private Result fail(
            Connections.Connection c,
            String cause,
            String requestId,
            ProviderException e,
            Runnable inFinalTransaction,
            Timer.Sample timer,
            boolean full) {
        if (e instanceof RetryLaterException later) {
            return moved(c, cause, requestId, later, inFinalTransaction, timer, full);
        }
        String reason = (e.code() == null ? "" : e.code() + ": ") + e.getMessage();
        boolean handBack = e.retryable();
        tx.executeWithoutResult(s -> {
            connections.failed(c.id(), reason);
            audit.record(c.userId(), "calendar.sync", "calendar", c.id(), "FAILURE", cause + " " + reason, requestId);
            if (!handBack) {
                inFinalTransaction.run();
            }
        });
        record(c, timer, Outcome.FAILED, full, null);
        log.warn(
                "sync failed connectionId={} provider={} cause={} status={} code={} retryLater={} reason={}",
                c.id(),
                c.provider(),
                cause,
                e.status(),
                e.code(),
                handBack,
                e.getMessage());
        if (handBack) {
            throw e;
        }
        return new Result(Outcome.FAILED, 0, 0, full);
    }

    /**
     * The provider asked to wait longer than a consumer may, or the pass ran out of its budget: the sync is moved to
     * {@code retryAt} (the poller requests it then) and the message is done, so the partition goes on. Nothing is
     * stored of the pass beyond the pages already applied; its cursor stays where it was.
     */
    private Result moved(
            Connections.Connection c,
            String cause,
            String requestId,
            RetryLaterException later,
            Runnable inFinalTransaction,
            Timer.Sample timer,
            boolean full) {
        String reason = "the provider asked to wait (" + (later.code() == null ? later.status() : later.code())
                + "); the next sync is at " + later.retryAt();
        tx.executeWithoutResult(s -> {
            connections.retryAt(c.id(), later.retryAt(), reason);
            audit.record(c.userId(), "calendar.sync", "calendar", c.id(), "DEFERRED", cause + " " + reason, requestId);
            inFinalTransaction.run();
        });
        record(c, timer, Outcome.DEFERRED, full, null);
        log.warn(
                "sync moved connectionId={} provider={} cause={} status={} code={} retryAt={}",
                c.id(),
                c.provider(),
                cause,
                later.status(),
                later.code(),
                later.retryAt());
        return new Result(Outcome.DEFERRED, 0, 0, full);
    }

    private void record(Connections.Connection c, Timer.Sample timer, Outcome outcome, boolean full, Pass pass) {
        String provider = c.provider().name();
        timer.stop(meters.timer(
                "calsync.sync.duration",
                "provider",
                provider,
                "outcome",
                outcome.name(),
                "mode",
                full ? "full" : "incremental"));
        meters.counter("calsync.sync.runs", "provider", provider, "outcome", outcome.name())
                .increment();
        if (pass != null) {
            meters.counter("calsync.sync.events.upserted", "provider", provider).increment(pass.upserted);
            meters.counter("calsync.sync.events.deleted", "provider", provider).increment(pass.deleted);
        }
    }

    /** The running totals of one pass; pages arrive on the calling thread, one after the other. */
    private final class Pass {
        final Set<String> seen = new HashSet<>();
        final Set<String> cancelledSeries = new HashSet<>();
        final List<UUID> changed = new ArrayList<>();
        int upserted;
        int deleted;
        int pages;

        void page(UUID connectionId, List<ProviderEvent> upserts, List<String> removed) {
            pages++;
            for (ProviderEvent e : upserts) {
                if (e.providerEventId() != null) {
                    seen.add(e.providerEventId());
                }
            }
            seen.removeAll(removed);
            EventStore.PageResult r = tx.execute(s -> {
                EventStore.PageResult applied = store.apply(connectionId, upserts, removed);
                connections.progressed(connectionId, upserts.size());
                return applied;
            });
            add(r);
        }

        void add(EventStore.PageResult r) {
            changed.addAll(r.changedIds());
            upserted += r.inserted() + r.updated();
            deleted += r.deleted();
            cancelledSeries.addAll(r.cancelledSeries());
        }
    }
}
