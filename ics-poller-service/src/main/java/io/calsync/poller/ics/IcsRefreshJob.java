package io.calsync.poller.ics;

import io.calsync.model.messaging.SyncRequested;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.poller.JobRun;
import io.calsync.poller.PollerProperties;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@value #NAME}: asks sync-service to refresh every ICS feed and every CalDAV calendar ({@code APPLE},
 * {@code CALDAV}: they cannot push) that is due, and moves its {@code next_refresh_at} on by its
 * {@link RefreshPolicy} (feeds: {@code calsync.poller.ics-interval}; CalDAV: {@code CALDAV_POLL_INTERVAL}) in the
 * same transaction as the request's outbox row.
 *
 * <p>That transaction is what makes a due feed requested exactly once, with or without the job's lock: the feeds are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so a second replica racing this one skips them, and once this one
 * commits they are no longer due. If it rolls back, neither the request nor the new time exist. After a successful
 * refresh sync-service sets {@code next_refresh_at} again (from the time it fetched); after a failure it counts
 * {@code consecutive_failures}, which lengthens the next delay computed here.
 *
 * <p>{@code next_refresh_at} is scheduling bookkeeping, so the update leaves {@code version} and {@code updated_at}
 * alone: a user's concurrent edit of the calendar must not fail on it. Should such an edit write back an older
 * {@code next_refresh_at}, the feed is merely refreshed once more.
 */
public class IcsRefreshJob {

    public static final String NAME = "ics-refresh";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxWriter outbox;
    private final RefreshPolicy policy;
    private final RefreshPolicy caldavPolicy;
    private final PollerProperties.IcsRefresh settings;

    public IcsRefreshJob(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            OutboxWriter outbox,
            RefreshPolicy policy,
            RefreshPolicy caldavPolicy,
            PollerProperties.IcsRefresh settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.policy = policy;
        this.caldavPolicy = caldavPolicy;
        this.settings = settings;
    }

    public void run(JobRun run) {
        run.inBatches(transactions, settings.batchSize(), settings.maxPerRun(), limit -> requestBatch(run, limit));
    }

    private record DueFeed(
            UUID id, UUID userId, Integer refreshIntervalSecs, int consecutiveFailures, boolean caldav) {}

    private int requestBatch(JobRun run, int limit) {
        Instant now = run.now();
        List<DueFeed> due = jdbc.query(
                """
                SELECT id, user_id, ics_refresh_interval_secs, consecutive_failures, provider <> 'ICS'
                FROM calendar_connections
                WHERE provider IN ('ICS', 'APPLE', 'CALDAV') AND is_connected AND sync_status <> 'DELETED'
                  AND (next_refresh_at IS NULL OR next_refresh_at <= ?)
                ORDER BY next_refresh_at NULLS FIRST
                LIMIT ?
                FOR UPDATE SKIP LOCKED
                """,
                (rs, i) -> new DueFeed(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, Integer.class),
                        rs.getInt(4),
                        rs.getBoolean(5)),
                Timestamp.from(now),
                limit);
        List<Object[]> next = new ArrayList<>(due.size());
        for (DueFeed feed : due) {
            outbox.write(SyncRequested.of(feed.id(), feed.userId(), SyncRequested.Reason.SCHEDULED, run.requestId()));
            Instant at = (feed.caldav() ? caldavPolicy : policy)
                    .nextRefresh(
                            now,
                            feed.refreshIntervalSecs(),
                            feed.consecutiveFailures(),
                            ThreadLocalRandom.current().nextDouble());
            next.add(new Object[] {Timestamp.from(at), feed.id()});
        }
        if (!next.isEmpty()) {
            jdbc.batchUpdate("UPDATE calendar_connections SET next_refresh_at = ? WHERE id = ?", next);
        }
        return due.size();
    }
}
