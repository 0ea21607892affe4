package io.calsync.gateway.application;

import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The arithmetic of free/busy, free of SQL: which events block time and how, the interval of an all-day event in its
 * zone, clipping to the asked window, and joining overlapping intervals. Intervals are half-open, {@code [start, end)}:
 * two that touch are one busy stretch.
 */
public final class FreeBusy {

    private FreeBusy() {}

    /** How an interval blocks time. */
    public enum Status {
        BUSY,
        TENTATIVE
    }

    /** One busy interval of one calendar. */
    public record Busy(Instant start, Instant end, Status status) {}

    /** One stretch of the merged answer. */
    public record Interval(Instant start, Instant end) {}

    /**
     * How an event blocks its owner's time, or null when it does not: cancelled events and free ones (Google
     * {@code transparent}, Graph {@code showAs: free}, ICS {@code TRANSP:TRANSPARENT}) are left out; a tentative
     * event (its status, or Graph's {@code showAs: tentative}) is TENTATIVE; everything else (out of office, working
     * elsewhere included) BUSY.
     */
    public static Status status(EventStatus status, Availability availability) {
        if (status == EventStatus.CANCELLED || availability == Availability.FREE) {
            return null;
        }
        return status == EventStatus.TENTATIVE || availability == Availability.TENTATIVE
                ? Status.TENTATIVE
                : Status.BUSY;
    }

    /**
     * The instants an all-day event blocks: from the start of its first date to the start of its end date (exclusive)
     * in the event's zone, or UTC when it has none (or one that is not a zone).
     */
    public static Interval allDay(LocalDate startDate, LocalDate endDate, String timezone) {
        ZoneId zone = zone(timezone);
        return new Interval(
                startDate.atStartOfDay(zone).toInstant(),
                endDate.atStartOfDay(zone).toInstant());
    }

    static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** {@code [start, end)} cut to the window, or null when nothing of it lies inside. */
    public static Busy clip(Instant start, Instant end, Status status, Instant from, Instant to) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        return s.isBefore(e) ? new Busy(s, e, status) : null;
    }

    /**
     * One calendar's intervals sorted by start, those of the same status that overlap or touch joined (a tentative
     * meeting inside a busy one stays its own entry: the frontend shows both).
     */
    public static List<Busy> join(List<Busy> intervals) {
        List<Busy> out = new ArrayList<>();
        for (Status status : Status.values()) {
            List<Interval> joined = union(intervals.stream()
                    .filter(b -> b.status() == status)
                    .map(b -> new Interval(b.start(), b.end()))
                    .toList());
            joined.forEach(i -> out.add(new Busy(i.start(), i.end(), status)));
        }
        out.sort(Comparator.comparing(Busy::start).thenComparing(Busy::end).thenComparing(Busy::status));
        return out;
    }

    /** The union of the intervals: sorted, overlapping or touching ones joined. */
    public static List<Interval> union(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::start).thenComparing(Interval::end));
        List<Interval> out = new ArrayList<>();
        Instant s = null;
        Instant e = null;
        for (Interval i : sorted) {
            if (s == null) {
                s = i.start();
                e = i.end();
            } else if (!i.start().isAfter(e)) {
                e = i.end().isAfter(e) ? i.end() : e;
            } else {
                out.add(new Interval(s, e));
                s = i.start();
                e = i.end();
            }
        }
        if (s != null) {
            out.add(new Interval(s, e));
        }
        return out;
    }
}
