package io.calsync.poller.ics;

import java.time.Duration;
import java.time.Instant;

/**
 * When an ICS feed is next due, counted from the moment its refresh is requested:
 * {@code max(interval, REFRESH-INTERVAL) * 2^min(failures, maxBackoffExponent)}, capped, plus up to {@code jitter}
 * of that at random.
 *
 * <ul>
 *   <li>The feed's own REFRESH-INTERVAL (or X-PUBLISHED-TTL, as sync-service stores it) can only make refreshes
 *       rarer: a feed that asks for every minute still gets the service's interval.
 *   <li>Each consecutive failure doubles the delay, so a dead feed costs a fetch every few hours rather than every
 *       interval; the cap ({@code maxBackoff}, or the feed's own delay if longer) keeps a feed that comes back from
 *       waiting for days.
 *   <li>The jitter only adds: a feed is never refreshed earlier than its interval allows.
 * </ul>
 *
 * @param interval the service's refresh interval ({@code calsync.poller.ics-interval})
 * @param jitter the largest random extra, as a fraction of the delay
 * @param maxBackoffExponent the most doublings for failures
 * @param maxBackoff the longest delay backoff may lead to (unless the feed's own delay is longer)
 */
public record RefreshPolicy(Duration interval, double jitter, int maxBackoffExponent, Duration maxBackoff) {

    public RefreshPolicy {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
        if (maxBackoffExponent < 0 || maxBackoffExponent > 30) {
            throw new IllegalArgumentException("maxBackoffExponent must be between 0 and 30");
        }
    }

    /** The delay without failures: the service's interval, or the feed's REFRESH-INTERVAL if that is longer. */
    public Duration baseDelay(Integer feedRefreshIntervalSecs) {
        if (feedRefreshIntervalSecs == null || feedRefreshIntervalSecs <= 0) {
            return interval;
        }
        Duration feed = Duration.ofSeconds(feedRefreshIntervalSecs);
        return feed.compareTo(interval) > 0 ? feed : interval;
    }

    /** The delay before jitter: the base delay doubled per consecutive failure, within the cap. */
    public Duration delay(Integer feedRefreshIntervalSecs, int consecutiveFailures) {
        Duration base = baseDelay(feedRefreshIntervalSecs);
        int doublings = Math.min(Math.max(consecutiveFailures, 0), maxBackoffExponent);
        Duration backedOff = base.multipliedBy(1L << doublings);
        Duration cap = base.compareTo(maxBackoff) > 0 ? base : maxBackoff;
        return backedOff.compareTo(cap) > 0 ? cap : backedOff;
    }

    /**
     * @param random a uniform random number in {@code [0, 1)}; the jitter is {@code random * jitter * delay}
     */
    public Instant nextRefresh(Instant now, Integer feedRefreshIntervalSecs, int consecutiveFailures, double random) {
        Duration delay = delay(feedRefreshIntervalSecs, consecutiveFailures);
        double r = Math.min(Math.max(random, 0.0), Math.nextDown(1.0));
        long extraMillis = (long) (delay.toMillis() * jitter * r);
        return now.plus(delay).plusMillis(extraMillis);
    }
}
