package io.calsync.poller.backstop;

import io.calsync.model.messaging.SyncRequested;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.poller.JobRun;
import io.calsync.poller.PollerProperties;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@value #NAME}: asks sync-service for an incremental sync of every connected Google and Microsoft connection that
 * has not synced for {@code stale-after} and was not asked for within that time either, because push notifications
 * are not fully reliable. How the requests are spread over time is explained at
 * {@link PollerProperties.Backstop}.
 *
 * <p>The connections are claimed with {@code FOR UPDATE SKIP LOCKED} and marked ({@code backstop_requested_at}) in
 * the transaction that writes the requests to the outbox, so each is requested once per {@code stale-after} however
 * many replicas scan, and a connection whose syncs keep failing is not asked for again on every run.
 */
public class BackstopSyncJob {

    public static final String NAME = "backstop-sync";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxWriter outbox;
    private final PollerProperties.Backstop settings;

    public BackstopSyncJob(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            OutboxWriter outbox,
            PollerProperties.Backstop settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.settings = settings;
    }

    public void run(JobRun run) {
        run.inBatches(transactions, settings.batchSize(), settings.maxPerRun(), limit -> retryBatch(run, limit));
        run.inBatches(transactions, settings.batchSize(), settings.maxPerRun(), limit -> requestBatch(run, limit));
    }

    /**
     * Google and Microsoft connections whose sync was moved to later ({@code next_refresh_at}: the provider asked to
     * wait longer than a consumer may, or a pass ran out of time) and are now due: requested once, the mark cleared
     * in the same transaction. ICS feeds come back through their own refresh, which reads the same column.
     */
    private int retryBatch(JobRun run, int limit) {
        Timestamp now = Timestamp.from(run.now());
        List<Stale> due = jdbc.query(
                """
                SELECT id, user_id
                FROM calendar_connections
                WHERE is_connected AND provider IN ('GOOGLE', 'MICROSOFT') AND sync_status <> 'DELETED'
                  AND next_refresh_at <= ?
                ORDER BY next_refresh_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
                """, (rs, i) -> new Stale(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), now, limit);
        for (Stale c : due) {
            outbox.write(SyncRequested.of(c.id(), c.userId(), SyncRequested.Reason.RETRY, run.requestId()));
        }
        if (!due.isEmpty()) {
            jdbc.batchUpdate(
                    "UPDATE calendar_connections SET next_refresh_at = NULL WHERE id = ?",
                    due.stream().map(c -> new Object[] {c.id()}).toList());
        }
        return due.size();
    }

    private record Stale(UUID id, UUID userId) {}

    private int requestBatch(JobRun run, int limit) {
        Instant now = run.now();
        Timestamp staleBefore = Timestamp.from(now.minus(settings.staleAfter()));
        Timestamp degradedBefore = Timestamp.from(now.minus(settings.degradedInterval()));
        // The provider predicate repeats the partial index's (ix_calendar_connections_backstop) so that it is used.
        // A connection whose push is DEGRADED is polled on the shorter interval: nothing else tells us of its changes.
        List<Stale> stale = jdbc.query(
                """
                SELECT id, user_id
                FROM calendar_connections
                WHERE is_connected AND provider IN ('GOOGLE', 'MICROSOFT') AND sync_status <> 'DELETED'
                  AND (last_synced_at IS NULL
                       OR last_synced_at <= CASE WHEN push_state = 'DEGRADED' THEN ?::timestamptz ELSE ?::timestamptz END)
                  AND (backstop_requested_at IS NULL
                       OR backstop_requested_at
                          <= CASE WHEN push_state = 'DEGRADED' THEN ?::timestamptz ELSE ?::timestamptz END)
                ORDER BY last_synced_at NULLS FIRST
                LIMIT ?
                FOR UPDATE SKIP LOCKED
                """,
                (rs, i) -> new Stale(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                degradedBefore,
                staleBefore,
                degradedBefore,
                staleBefore,
                limit);
        for (Stale c : stale) {
            outbox.write(SyncRequested.of(c.id(), c.userId(), SyncRequested.Reason.BACKSTOP, run.requestId()));
        }
        if (!stale.isEmpty()) {
            jdbc.batchUpdate(
                    "UPDATE calendar_connections SET backstop_requested_at = ? WHERE id = ?",
                    stale.stream()
                            .map(c -> new Object[] {Timestamp.from(now), c.id()})
                            .toList());
        }
        return stale.size();
    }
}
