package io.calsync.poller.stuck;

import io.calsync.model.messaging.EventCommand;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.poller.JobRun;
import io.calsync.poller.PollerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@value #NAME}: an event whose local change has been {@code PENDING} for {@code stuck-after} since the user's last
 * edit never reached its provider: the command was dead-lettered after its retries, or lost with a replication slot.
 * Its command is written again (the same action the row waits for), after {@code stuck-after}, then twice as long
 * each time; after {@code max-attempts} sends the row becomes {@code FAILED} with a {@code STUCK:} reason, which the
 * frontend shows and {@code POST /events/{id}/retry-sync} re-sends. No event stays {@code PENDING} forever.
 *
 * <p>Sending a command again is safe: the sync-service reads the row as it is when the command arrives, a write that
 * did go through meanwhile leaves nothing pending, and creates carry our own id to the provider. Attempts are counted
 * per version of the row ({@code sweep_version}), so a new edit starts the count afresh. Counted in
 * {@code calsync.writes.swept} by outcome ({@code resent}, {@code failed}).
 */
public class StuckWritesJob {

    public static final String NAME = "stuck-writes";

    private static final Logger log = LoggerFactory.getLogger(StuckWritesJob.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OutboxWriter outbox;
    private final PollerProperties.StuckWrites settings;
    private final Counter resent;
    private final Counter failed;

    public StuckWritesJob(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            OutboxWriter outbox,
            PollerProperties.StuckWrites settings,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.settings = settings;
        this.resent = Counter.builder("calsync.writes.swept")
                .description("Pending local writes the sweeper sent again, or gave up on")
                .tag("outcome", "resent")
                .register(meters);
        this.failed = Counter.builder("calsync.writes.swept")
                .description("Pending local writes the sweeper sent again, or gave up on")
                .tag("outcome", "failed")
                .register(meters);
    }

    public void run(JobRun run) {
        run.inBatches(transactions, settings.batchSize(), settings.maxPerRun(), limit -> sweep(run, limit));
    }

    private record Stuck(UUID id, UUID connectionId, UUID userId, String operation, long version, int attempts) {}

    private int sweep(JobRun run, int limit) {
        Instant now = run.now();
        List<Stuck> stuck = jdbc.query(
                """
                SELECT e.id, e.connection_id, c.user_id, e.pending_operation, e.version,
                       CASE WHEN e.sweep_version = e.version THEN e.sweep_attempts ELSE 0 END
                FROM calendar_events e
                JOIN calendar_connections c ON c.id = e.connection_id
                WHERE e.sync_status = 'PENDING' AND e.pending_operation IS NOT NULL
                  AND e.updated_at <= ?
                  AND (e.sweep_version IS DISTINCT FROM e.version OR e.sweep_next_at <= ?)
                ORDER BY e.updated_at
                LIMIT ?
                FOR UPDATE OF e SKIP LOCKED
                """,
                (rs, i) -> new Stuck(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getInt(6)),
                Timestamp.from(now.minus(settings.stuckAfter())),
                Timestamp.from(now),
                limit);
        for (Stuck s : stuck) {
            if (s.attempts() >= settings.maxAttempts()) {
                giveUp(run, s);
            } else {
                resend(run, s, now);
            }
        }
        return stuck.size();
    }

    private void resend(JobRun run, Stuck s, Instant now) {
        EventCommand.Action action = switch (s.operation()) {
            case "CREATE" -> EventCommand.Action.CREATE;
            case "DELETE" -> EventCommand.Action.DELETE;
            default -> EventCommand.Action.UPDATE; // UPDATE and RSVP: the row says which
        };
        outbox.write(EventCommand.of(s.connectionId(), s.userId(), s.id(), action, run.requestId()));
        Duration wait = settings.stuckAfter().multipliedBy(1L << Math.min(s.attempts(), 20));
        jdbc.update(
                "UPDATE calendar_events SET sweep_attempts = ?, sweep_version = ?, sweep_next_at = ? WHERE id = ?",
                s.attempts() + 1,
                s.version(),
                Timestamp.from(now.plus(wait)),
                s.id());
        resent.increment();
        run.count("resent", 1);
        log.atWarn()
                .setMessage("a pending write never reached its provider; its command is sent again")
                .addKeyValue("eventId", s.id())
                .addKeyValue("connectionId", s.connectionId())
                .addKeyValue("operation", s.operation())
                .addKeyValue("attempt", s.attempts() + 1)
                .addKeyValue("nextAttemptIn", wait)
                .log();
    }

    private void giveUp(JobRun run, Stuck s) {
        jdbc.update(
                "UPDATE calendar_events SET sync_status = 'FAILED', sync_error = ? WHERE id = ? AND version = ?",
                "STUCK: the change did not reach the provider after " + s.attempts()
                        + " attempts; retry it, or edit the event again",
                s.id(),
                s.version());
        failed.increment();
        run.count("failed", 1);
        log.atWarn()
                .setMessage("a pending write was given up after the sweeper's attempts: FAILED")
                .addKeyValue("eventId", s.id())
                .addKeyValue("connectionId", s.connectionId())
                .addKeyValue("operation", s.operation())
                .addKeyValue("attempts", s.attempts())
                .log();
    }
}
