package io.calsync.providers.port;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy for every provider call, so that Google, Graph and ICS behave alike:
 *
 * <ul>
 *   <li>{@code RATE_LIMITED} and {@code TRANSIENT}: exponential backoff with full jitter (base {@code baseDelay},
 *       doubled per attempt, capped at {@code maxDelay}), never shorter than the provider's {@code Retry-After};
 *       after {@code maxAttempts} the last failure is thrown (the Kafka error handler then retries the message
 *       later, and finally parks it in the DLT).
 *   <li>{@code UNAUTHORIZED}: one token refresh, then the call again with the new token; a second 401 is thrown.
 *   <li>Everything else is thrown at once.
 * </ul>
 *
 * <p>A consumer thread waits at most {@code maxInlineWait} in all for one call: a {@code Retry-After} or a backoff
 * past that throws {@link RetryLaterException} with the instant to come back, and the engine moves the connection's
 * sync there instead of holding the partition (a hostile server answering 429 with {@code Retry-After: 120} must not
 * stall every connection behind it).
 *
 * Every failure is counted as {@code calsync.sync.provider.errors{provider,code}}.
 */
public class ProviderCalls {

    private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

    private final MeterRegistry meters;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Sleeper sleeper;
    private final Duration maxInlineWait;
    private final java.time.Clock clock;

    /** How the calling thread waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public ProviderCalls(
            MeterRegistry meters, int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {
        this(meters, maxAttempts, baseDelay, maxDelay, sleeper, Duration.ofDays(1), java.time.Clock.systemUTC());
    }

    /** @param maxInlineWait how long one call may wait in the calling thread, in all, before it is moved */
    public ProviderCalls(
            MeterRegistry meters,
            int maxAttempts,
            Duration baseDelay,
            Duration maxDelay,
            Sleeper sleeper,
            Duration maxInlineWait,
            java.time.Clock clock) {
        this.meters = meters;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.sleeper = sleeper;
        this.maxInlineWait = maxInlineWait;
        this.clock = clock;
    }

    public ProviderCalls(MeterRegistry meters) {
        this(meters, 6, Duration.ofMillis(500), Duration.ofSeconds(30), d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Runs {@code call} with the target's access token (null for ICS targets), applying the policy above.
     *
     * @param what a short name of the operation for logs ({@code "events.list"})
     */
    public <T> T execute(SyncTarget target, String what, Function<String, T> call) {
        AccessTokenSource tokens = target.tokens();
        String token = tokens == null ? null : tokens.current();
        boolean refreshed = false;
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.apply(token);
            } catch (ProviderException e) {
                meters.counter(
                                "calsync.sync.provider.errors",
                                "provider",
                                target.provider().name(),
                                "code",
                                e.code() == null ? String.valueOf(e.status()) : e.code())
                        .increment();
                if (e.kind() == ProviderException.Kind.UNAUTHORIZED && tokens != null && !refreshed) {
                    log.info(
                            "provider answered 401, refreshing the token once connectionId={} call={}",
                            target.connectionId(),
                            what);
                    token = tokens.refreshed();
                    refreshed = true;
                    attempt--; // the refresh does not count as a backoff attempt
                    continue;
                }
                if (!e.retryable() || attempt >= maxAttempts) {
                    throw e;
                }
                Duration wait = backoff(attempt, e.retryAfter());
                if (waited.plus(wait).compareTo(maxInlineWait) > 0) {
                    Instant retryAt = clock.instant().plus(wait);
                    log.warn(
                            "provider asks to wait longer than a consumer may, moving the work connectionId={} provider={} call={} status={} code={} retryAt={}",
                            target.connectionId(),
                            target.provider(),
                            what,
                            e.status(),
                            e.code(),
                            retryAt);
                    throw new RetryLaterException(e, retryAt);
                }
                waited = waited.plus(wait);
                log.warn(
                        "provider call failed, retrying connectionId={} provider={} call={} status={} code={} attempt={} waitMs={}",
                        target.connectionId(),
                        target.provider(),
                        what,
                        e.status(),
                        e.code(),
                        attempt,
                        wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))], but at least Retry-After. */
    Duration backoff(int attempt, Duration retryAfter) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long jittered = ThreadLocalRandom.current().nextLong(ceiling + 1);
        long floor = retryAfter == null ? 0 : Math.min(retryAfter.toMillis(), maxDelay.toMillis() * 4);
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}
