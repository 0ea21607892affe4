package io.calsync.ingest.application;

import java.time.Duration;

/**
 * A point on the monotonic clock by which a request must have its answer. Taken when the request arrives, so that
 * reading the body and looking up subscriptions count against the same budget as waiting for the broker.
 */
public record Deadline(long nanoTime) {

    public static Deadline after(long startNanos, Duration budget) {
        return new Deadline(startNanos + budget.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
    }

    public boolean passed() {
        return System.nanoTime() - nanoTime >= 0;
    }
}
