package io.calsync.platform.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Republishes what the relay never confirmed. An outbox row stays until the relay has Kafka's acknowledgement for it
 * ({@link PublishedLedger#record} deletes it), so a row older than {@code reconcile-after} means the WAL position that
 * carried its insert is gone: the slot was dropped and recreated at the current position, or the database failed
 * over to a standby without the slot. Those rows are read from the table, in commit order as far as
 * {@code created_at} tells, sent, and recorded like the relay's own.
 *
 * <p>A row counts as lost only when the stream has gone past it: it is older than {@code reconcile-after} both by
 * the clock and against the commit time of the newest row the engine has handled (the margin covers transactions
 * that commit long after they wrote). A backlog the relay is only slow with (Kafka down) is newer than the stream's
 * position and is left to the engine, so an outage does not turn into a second copy of everything. Rows older than
 * ten times the threshold are republished whatever the stream's position (after a failover nothing may be written
 * for a while). A row sent by both is a duplicate, which every consumer skips by its event id; never a loss: a row
 * leaves the table only after an acknowledgement.
 * Only the replica that holds the relay's lock reconciles, so replicas do not race each other.
 */
public class OutboxReconciler {

    private static final Logger log = LoggerFactory.getLogger(OutboxReconciler.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final int BATCH = 500;

    private final String service;
    private final JdbcTemplate jdbc;
    private final OutboxPublisher publisher;
    private final PublishedLedger ledger;
    private final OutboxRelayMetrics metrics;
    private final Duration after;

    public OutboxReconciler(
            String service,
            JdbcTemplate jdbc,
            OutboxPublisher publisher,
            PublishedLedger ledger,
            OutboxRelayMetrics metrics,
            Duration after) {
        this.service = service;
        this.jdbc = jdbc;
        this.publisher = publisher;
        this.ledger = ledger;
        this.metrics = metrics;
        this.after = after;
    }

    /**
     * Sends every unconfirmed row of this service older than the threshold, a batch at a time, until none is left or
     * Kafka refuses one (the next run tries again).
     *
     * @return how many rows were republished
     */
    public int reconcile() {
        int total = 0;
        while (true) {
            List<OutboxRecord> stale = stale();
            if (stale.isEmpty()) {
                return total;
            }
            Set<UUID> published =
                    ledger.alreadyPublished(stale.stream().map(OutboxRecord::id).toList());
            List<UUID> done = new ArrayList<>(published);
            List<CompletableFuture<?>> sends = new ArrayList<>();
            List<OutboxRecord> sent = new ArrayList<>();
            for (OutboxRecord record : stale) {
                if (!published.contains(record.id())) {
                    sends.add(publisher.send(record));
                    sent.add(record);
                }
            }
            Throwable failure = null;
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    done.add(sent.get(i).id());
                    metrics.republished(sent.get(i).topic());
                } catch (ExecutionException | TimeoutException e) {
                    failure = failure == null ? e : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                    break;
                }
            }
            ledger.record(done);
            total += done.size() - published.size();
            if (!sent.isEmpty()) {
                log.atWarn()
                        .setMessage("outbox rows the relay never confirmed were republished (slot lost or lagging)")
                        .addKeyValue("service", service)
                        .addKeyValue("republished", done.size() - published.size())
                        .addKeyValue("oldest", stale.getFirst().committedAt())
                        .log();
            }
            if (failure != null) {
                log.atWarn()
                        .setMessage("outbox reconciliation stopped: Kafka did not acknowledge; the next run retries")
                        .addKeyValue("service", service)
                        .addKeyValue("error", failure.toString())
                        .log();
                return total;
            }
            if (stale.size() < BATCH) {
                return total;
            }
        }
    }

    private List<OutboxRecord> stale() {
        double seconds = after.toMillis() / 1000.0;
        java.time.Instant streamed = metrics.streamedThrough();
        return jdbc.query(
                """
                SELECT id, aggregatetype, aggregateid, type, payload::text, origin, created_at, traceparent
                  FROM outbox
                 WHERE (origin = ? OR origin IS NULL)
                   AND created_at < now() - make_interval(secs => ?)
                   AND (created_at < ?::timestamptz - make_interval(secs => ?)
                        OR created_at < now() - make_interval(secs => ?))
                 ORDER BY created_at, id
                 LIMIT ?""",
                (rs, i) -> new OutboxRecord(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        rs.getString(6),
                        timestamp(rs.getTimestamp(7)),
                        rs.getString(8)),
                service,
                seconds,
                streamed == null ? null : Timestamp.from(streamed),
                seconds,
                seconds * 10,
                BATCH);
    }

    private static java.time.Instant timestamp(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
