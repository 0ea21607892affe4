package io.calsync.poller.renewal;

import io.calsync.model.messaging.SubscriptionLifecycleRequested;
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
 * {@value #NAME}: asks sync-service to renew every ACTIVE push subscription that expires within {@code renew-ahead}
 * (a Graph PATCH of its expiry; for a Google channel, which cannot be extended, a new channel). sync-service moves
 * {@code expires_at} forward once it renewed, which ends the asking.
 *
 * <p>Subscriptions are claimed with {@code FOR UPDATE SKIP LOCKED} and marked ({@code renewal_requested_at}) in the
 * transaction that writes the requests, so each is asked for once per {@code retry-after}, however often and on
 * however many replicas the job runs. A subscription whose connection is disconnected is left alone: its tokens no
 * longer work, and its row goes with {@link io.calsync.poller.cleanup.CleanupJob} after it expired.
 */
public class SubscriptionRenewalJob {

    public static final String NAME = "subscription-renewal";

    /** Reasons on the request: sync-service may recreate rather than renew what already expired. */
    public static final String EXPIRING = "expiring";

    public static final String EXPIRED = "expired";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxWriter outbox;
    private final PollerProperties.Renewal settings;

    public SubscriptionRenewalJob(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            OutboxWriter outbox,
            PollerProperties.Renewal settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.settings = settings;
    }

    public void run(JobRun run) {
        run.inBatches(transactions, settings.batchSize(), settings.maxPerRun(), limit -> requestBatch(run, limit));
    }

    private record Expiring(UUID id, UUID connectionId, String subscriptionId, Instant expiresAt) {}

    private int requestBatch(JobRun run, int limit) {
        Instant now = run.now();
        List<Expiring> expiring = jdbc.query(
                """
                SELECT s.id, s.connection_id, s.subscription_id, s.expires_at
                FROM webhook_subscriptions s
                JOIN calendar_connections c ON c.id = s.connection_id
                WHERE s.status = 'ACTIVE' AND s.expires_at < ?
                  AND (s.renewal_requested_at IS NULL OR s.renewal_requested_at <= ?)
                  AND c.is_connected AND c.sync_status <> 'DELETED'
                ORDER BY s.expires_at
                LIMIT ?
                FOR UPDATE OF s SKIP LOCKED
                """,
                (rs, i) -> new Expiring(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()),
                Timestamp.from(now.plus(settings.renewAhead())),
                Timestamp.from(now.minus(settings.retryAfter())),
                limit);
        for (Expiring s : expiring) {
            outbox.write(SubscriptionLifecycleRequested.of(
                    s.connectionId(),
                    SubscriptionLifecycleRequested.Action.RENEW,
                    s.subscriptionId(),
                    s.expiresAt().isAfter(now) ? EXPIRING : EXPIRED));
        }
        if (!expiring.isEmpty()) {
            jdbc.batchUpdate(
                    "UPDATE webhook_subscriptions SET renewal_requested_at = ? WHERE id = ?",
                    expiring.stream()
                            .map(s -> new Object[] {Timestamp.from(now), s.id()})
                            .toList());
        }
        return expiring.size();
    }
}
