package io.calsync.gateway.events;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The contract's bounds on instants (Tightenings): nothing before 1900 or after 2200 is written or queried, so no
 * expansion and no SQL ever meets a year 1 or 9999.
 */
final class TimeBounds {

    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** Exclusive: the last instant allowed is the end of 2200. */
    static final Instant LATEST = Instant.parse("2201-01-01T00:00:00Z");

    static final String PROBLEM = "must be between 1900 and 2200";

    private TimeBounds() {}

    static boolean inside(Instant t) {
        return !t.isBefore(EARLIEST) && t.isBefore(LATEST);
    }

    static boolean inside(LocalDate d) {
        return d.getYear() >= 1900 && d.getYear() <= 2200;
    }
}
