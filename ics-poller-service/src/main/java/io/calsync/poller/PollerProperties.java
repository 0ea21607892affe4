package io.calsync.poller;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code calsync.poller.*}: what the clock does and how often. The defaults are in this module's
 * {@code application.yml}, because the {@code @Scheduled} and {@code @SchedulerLock} annotations of
 * {@link io.calsync.poller.schedule.PollerSchedule} read the same keys as placeholders.
 *
 * <p>Every job has {@code every} (how often a replica tries to run it) and {@code lock-at-least-for} (how long the
 * job's lock stays taken after a run, measured on the database's clock). The latter is a little less than
 * {@code every}: long enough that no other replica runs the job again in the same interval, short enough that the
 * replica that ran it can run it again at its next tick. A replica that dies mid-run holds the lock for at most
 * {@code every}.
 *
 * @param icsInterval how often an ICS feed is refreshed, unless its REFRESH-INTERVAL asks for less often
 * @param icsRefresh the scan for ICS feeds that are due
 * @param backstop the backstop syncs of push (Google and Microsoft) connections
 * @param renewal the renewal requests of push subscriptions near their expiry
 * @param cleanup the deletion of expired rows
 * @param stuckWrites the re-sending of local writes that never reached their provider
 */
@Validated
@ConfigurationProperties("calsync.poller")
public record PollerProperties(
        @NotNull @DurationMin(seconds = 1) Duration icsInterval,
        @NotNull @Valid IcsRefresh icsRefresh,
        @NotNull @Valid Backstop backstop,
        @NotNull @Valid Renewal renewal,
        @NotNull @Valid Cleanup cleanup,
        @NotNull @Valid StuckWrites stuckWrites) {

    /**
     * @param every how often the due feeds are looked for (a feed is due at its own {@code next_refresh_at})
     * @param lockAtLeastFor see the class comment
     * @param jitter the largest random extra on a feed's next refresh, as a fraction of its delay (0.1: up to 10%),
     *     so that feeds added together drift apart instead of being fetched in one burst forever
     * @param maxBackoffExponent after {@code n} consecutive failures the delay is doubled {@code min(n, this)} times
     * @param maxBackoff backoff never makes the delay longer than this (or than the feed's own interval, if longer)
     * @param batchSize feeds claimed and requested in one transaction
     * @param maxPerRun feeds requested in one run at most; the rest are still due at the next scan
     */
    public record IcsRefresh(
            @NotNull @DurationMin(millis = 100) Duration every,
            @NotNull Duration lockAtLeastFor,
            @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
            @Min(0) @Max(10) int maxBackoffExponent,
            @NotNull @DurationMin(seconds = 1) Duration maxBackoff,
            @Min(1) @Max(5000) int batchSize,
            @Min(1) int maxPerRun) {

        @AssertTrue(message = "lock-at-least-for must be at least zero and less than every")
        public boolean isLockShorterThanInterval() {
            return lockShorterThanInterval(every, lockAtLeastFor);
        }
    }

    /**
     * Backstop syncs. Push notifications get lost (a provider outage, a subscription that lapsed unnoticed), so every
     * connected Google and Microsoft connection that has not synced for {@code staleAfter} is asked for an incremental
     * sync (cheap: a sync token or delta link that usually returns nothing).
     *
     * <p><b>Spreading.</b> The scan runs every {@code every} (5 min by default), shorter than {@code staleAfter} (30
     * min): each connection becomes due 30 minutes after its own last sync, so the requests come in a steady trickle
     * rather than all connections at once every half hour. {@code maxPerRun} bounds one run (the longest unsynced
     * first); a backlog larger than that, as after an outage, drains over the following runs instead of hitting
     * sync-service and the providers' quotas in one burst. Raise it with the number of connections:
     * {@code maxPerRun * (staleAfter / every)} should exceed the number of quiet push connections.
     *
     * @param every how often stale connections are looked for
     * @param lockAtLeastFor see the class comment
     * @param staleAfter a connection is due once both its last sync and the poller's last request are older
     * @param degradedStaleAfter the same for a connection whose push could not be opened or renewed
     *     ({@code push_state = 'DEGRADED'}): it is polled this often instead (each of those syncs tries push again)
     * @param batchSize connections claimed and requested in one transaction
     * @param maxPerRun connections requested in one run at most
     */
    public record Backstop(
            @NotNull @DurationMin(millis = 100) Duration every,
            @NotNull Duration lockAtLeastFor,
            @NotNull @DurationMin(seconds = 1) Duration staleAfter,
            @NotNull @DurationMin(seconds = 1) Duration degradedStaleAfter,
            @Min(1) @Max(5000) int batchSize,
            @Min(1) int maxPerRun) {

        /** The interval of DEGRADED connections, never longer than the others'. */
        public Duration degradedInterval() {
            return degradedStaleAfter.compareTo(staleAfter) < 0 ? degradedStaleAfter : staleAfter;
        }

        @AssertTrue(message = "lock-at-least-for must be at least zero and less than every")
        public boolean isLockShorterThanInterval() {
            return lockShorterThanInterval(every, lockAtLeastFor);
        }
    }

    /**
     * Renewal requests. Graph subscriptions to Outlook events last at most 10,080 minutes (under 7 days), or 1,440
     * minutes when they carry resource data; Google channels expire at the time Google set. Asking {@code renewAhead}
     * before expiry (12 h by default, less than the shortest lifetime) leaves sync-service many retries before a
     * subscription lapses.
     *
     * @param every how often subscriptions near expiry are looked for
     * @param lockAtLeastFor see the class comment
     * @param renewAhead an ACTIVE subscription expiring within this is due for renewal
     * @param retryAfter a subscription already asked for is asked for again only this much later (if it was not
     *     renewed meanwhile)
     * @param batchSize subscriptions claimed and requested in one transaction
     * @param maxPerRun subscriptions requested in one run at most
     */
    public record Renewal(
            @NotNull @DurationMin(millis = 100) Duration every,
            @NotNull Duration lockAtLeastFor,
            @NotNull @DurationMin(minutes = 1) Duration renewAhead,
            @NotNull @DurationMin(seconds = 1) Duration retryAfter,
            @Min(1) @Max(5000) int batchSize,
            @Min(1) int maxPerRun) {

        @AssertTrue(message = "lock-at-least-for must be at least zero and less than every")
        public boolean isLockShorterThanInterval() {
            return lockShorterThanInterval(every, lockAtLeastFor);
        }
    }

    /**
     * @param every how often expired rows are deleted
     * @param lockAtLeastFor see the class comment
     * @param subscriptionRetention push subscriptions are deleted this long after their expiry (whatever their
     *     status), kept meanwhile to explain late notifications
     * @param processedMessageRetention de-duplication records older than this are deleted (whole days): far longer
     *     than any redelivery
     * @param changeLogRetention the change log behind {@code GET /events/changes} and {@code GET /stream} keeps this
     *     long (at least 8 days: a cursor is valid for 7, and must never point at deleted changes)
     * @param batchSize rows deleted per statement, so that no delete holds many row locks for long
     */
    public record Cleanup(
            @NotNull @DurationMin(millis = 100) Duration every,
            @NotNull Duration lockAtLeastFor,
            @NotNull @DurationMin(minutes = 1) Duration subscriptionRetention,
            @NotNull @DurationMin(days = 1) Duration processedMessageRetention,
            @NotNull @DurationMin(days = 8) Duration changeLogRetention,
            @Min(1) @Max(100_000) int batchSize) {

        @AssertTrue(message = "lock-at-least-for must be at least zero and less than every")
        public boolean isLockShorterThanInterval() {
            return lockShorterThanInterval(every, lockAtLeastFor);
        }
    }

    /**
     * The stuck-writes sweeper ({@link io.calsync.poller.stuck.StuckWritesJob}).
     *
     * @param every how often pending writes are looked at
     * @param lockAtLeastFor see the class comment
     * @param stuckAfter a write pending this long after the user's edit is sent again; the n-th time waits
     *     {@code stuckAfter * 2^(n-1)} after the one before. Well above the sync-service's own retries (seconds)
     * @param maxAttempts sends after which the event becomes FAILED
     * @param batchSize events claimed and handled in one transaction
     * @param maxPerRun events handled in one run at most
     */
    public record StuckWrites(
            @NotNull @DurationMin(millis = 100) Duration every,
            @NotNull Duration lockAtLeastFor,
            @NotNull @DurationMin(seconds = 1) Duration stuckAfter,
            @Min(0) @Max(20) int maxAttempts,
            @Min(1) @Max(5000) int batchSize,
            @Min(1) int maxPerRun) {

        @AssertTrue(message = "lock-at-least-for must be at least zero and less than every")
        public boolean isLockShorterThanInterval() {
            return lockShorterThanInterval(every, lockAtLeastFor);
        }
    }

    private static boolean lockShorterThanInterval(Duration every, Duration lockAtLeastFor) {
        // Null is reported by @NotNull; an equal or longer lock would make the replica that ran the job skip its own
        // next tick, and the job would run every other interval.
        return every == null
                || lockAtLeastFor == null
                || (!lockAtLeastFor.isNegative() && lockAtLeastFor.compareTo(every) < 0);
    }
}
