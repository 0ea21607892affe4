package io.calsync.poller.cleanup;

import io.calsync.model.persistence.ProcessedMessageRepository;
import io.calsync.poller.JobRun;
import io.calsync.poller.PollerProperties;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@value #NAME}: deletes what has expired. OAuth states (single use, ten minutes) and OAuth sessions (which hold
 * encrypted tokens until the user selects calendars) go as soon as they expire; push subscriptions
 * {@code subscription-retention} after their expiry, whatever their status; de-duplication records after
 * {@code processed-message-retention}; the change log ({@code event_changes}) after {@code change-log-retention}
 * (longer than the 7 days a change cursor stays valid, so a valid cursor never points into a gap); Idempotency-Keys
 * after a day.
 *
 * <p>Rows go in batches of {@code batch-size}, each statement its own transaction, so that a large backlog never
 * holds many row locks at once. Deleting twice is harmless, which is why this job needs no more than its lock.
 */
public class CleanupJob {

    public static final String NAME = "cleanup";

    private final JdbcTemplate jdbc;
    private final ProcessedMessageRepository processedMessages;
    private final PollerProperties.Cleanup settings;

    public CleanupJob(
            JdbcTemplate jdbc, ProcessedMessageRepository processedMessages, PollerProperties.Cleanup settings) {
        this.jdbc = jdbc;
        this.processedMessages = processedMessages;
        this.settings = settings;
    }

    public void run(JobRun run) {
        Instant now = run.now();
        deleteExpired(run, "oauthStates", "oauth_states", now);
        deleteExpired(run, "calendarSessions", "calendar_sessions", now);
        deleteExpired(
                run, "webhookSubscriptions", "webhook_subscriptions", now.minus(settings.subscriptionRetention()));
        // processed_at is written with the database's now(), so its age is measured on the database's clock too.
        int processed = processedMessages.deleteOlderThanDays(
                (int) settings.processedMessageRetention().toDays());
        run.count("processedMessages", processed);
        run.items(processed);
        deleteBefore(
                run, "eventChanges", "event_changes", "seq", "changed_at", now.minus(settings.changeLogRetention()));
    }

    private void deleteExpired(JobRun run, String label, String table, Instant expiredBefore) {
        deleteBefore(run, label, table, "id", "expires_at", expiredBefore);
    }

    /** Table and column names are the constants above, never input: they are safe in the statement text. */
    private void deleteBefore(JobRun run, String label, String table, String key, String time, Instant before) {
        String sql = "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table + " WHERE "
                + time + " < ? LIMIT ?)";
        int deleted;
        do {
            deleted = jdbc.update(sql, Timestamp.from(before), settings.batchSize());
            run.count(label, deleted);
            run.items(deleted);
        } while (deleted == settings.batchSize());
    }
}
