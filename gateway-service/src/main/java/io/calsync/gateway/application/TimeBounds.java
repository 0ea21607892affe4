package io.calsync.gateway.application;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The contract's bounds on instants (Tightenings): nothing before 1900 or after 2200 is written or queried, so no
 * expansion and no SQL ever meets a year 1 or 9999.
 */
public final class TimeBounds {

    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** Exclusive: the last instant allowed is the end of 2200. */
    public static final Instant LATEST = Instant.parse("2201-01-01T00:00:00Z");

    public static final String PROBLEM = "must be between 1900 and 2200";

    private TimeBounds() {}

    public static boolean inside(Instant t) {
        return !t.isBefore(EARLIEST) && t.isBefore(LATEST);
    }

    public static boolean inside(LocalDate d) {
        return d.getYear() >= 1900 && d.getYear() <= 2200;
    }

    /**
     * A required instant of a query: ISO-8601 with an offset and inside the bounds, else null with the problem added
     * under {@code name}.
     */
    public static Instant parse(String name, String value, List<ApiException.FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new ApiException.FieldProblem(name, "is required"));
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(
                    new ApiException.FieldProblem(name, "must be an ISO-8601 instant such as 2026-11-24T10:00:00Z"));
            return null;
        }
        if (!inside(t)) {
            problems.add(new ApiException.FieldProblem(name, PROBLEM));
            return null;
        }
        return t;
    }

    /** A window's end after its start and at most {@code max} after it, else the problem added under "end". */
    public static void window(
            Instant from, Instant to, java.time.Duration max, List<ApiException.FieldProblem> problems) {
        if (from == null || to == null) {
            return;
        }
        if (!to.isAfter(from)) {
            problems.add(new ApiException.FieldProblem("end", "must be after start"));
        } else if (java.time.Duration.between(from, to).compareTo(max) > 0) {
            problems.add(new ApiException.FieldProblem("end", "the window is at most " + max.toDays() + " days"));
        }
    }
}
