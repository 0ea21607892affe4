package io.calsync.providers.ical;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repairs of date and date-time values that real producers get wrong and that ical4j refuses, losing the property
 * (and with DTSTART, the event). Only shapes whose meaning is clear are repaired; anything else is left for the
 * parser, which drops the property and says so.
 *
 * <ul>
 *   <li>{@code CREATED}, {@code DTSTAMP}, {@code LAST-MODIFIED}, {@code COMPLETED} (bookkeeping in UTC): year 0 (an
 *       "unknown" date written by WordPress exports and others) drops the property; a missing {@code Z} or a bare
 *       date is completed to UTC.
 *   <li>{@code DTSTART}, {@code DTEND}, {@code DUE}, {@code RECURRENCE-ID}, {@code EXDATE}, {@code RDATE}: times
 *       without seconds ({@code T0930}) or with five digits get them; a trailing junk {@code T} goes; a date
 *       written with a stray {@code Z} or as {@code 20160816T::} becomes a date; bare dates get
 *       {@code VALUE=DATE}.
 * </ul>
 */
final class DateRepairs {

    private static final Set<String> UTC_STAMPS = Set.of("CREATED", "DTSTAMP", "LAST-MODIFIED", "COMPLETED");
    private static final Set<String> DATES = Set.of("DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE");

    private static final Pattern YEAR_ZERO = Pattern.compile("^0000\\d{4}(T.*)?$");
    private static final Pattern DATE = Pattern.compile("^\\d{8}$");
    private static final Pattern DATE_WITH_Z = Pattern.compile("^(\\d{8})Z$");
    private static final Pattern DATE_WITH_EMPTY_TIME = Pattern.compile("^(\\d{8})T[:]*$");
    private static final Pattern SHORT_TIME = Pattern.compile("^(\\d{8}T)(\\d{4,5})(Z?)$");
    private static final Pattern TRAILING_T = Pattern.compile("^(\\d{8}T\\d{6}Z?)T$");
    private static final Pattern LOCAL_DATE_TIME = Pattern.compile("^\\d{8}T\\d{6}$");

    private DateRepairs() {}

    /** What became of a line: the line to keep (null: drop it) and what was done (null: nothing). */
    record Outcome(ContentLine line, String note) {}

    static Outcome repair(ContentLine line) {
        if (UTC_STAMPS.contains(line.name())) {
            return stamp(line);
        }
        if (DATES.contains(line.name())) {
            return date(line);
        }
        return new Outcome(line, null);
    }

    private static Outcome stamp(ContentLine line) {
        String v = line.value().strip();
        if (YEAR_ZERO.matcher(v).matches()) {
            return new Outcome(null, line.name() + " in year 0 dropped");
        }
        String fixed = fixTime(v);
        if (DATE.matcher(fixed).matches()) {
            fixed = fixed + "T000000Z";
        } else if (LOCAL_DATE_TIME.matcher(fixed).matches()) {
            fixed = fixed + "Z";
        }
        return fixed.equals(line.value())
                ? new Outcome(line, null)
                : new Outcome(line.withValue(fixed), line.name() + " " + line.value() + " read as " + fixed);
    }

    private static Outcome date(ContentLine line) {
        String[] values = line.value().strip().split(",", -1);
        for (int i = 0; i < values.length; i++) {
            String v = values[i].strip();
            Matcher asDate = DATE_WITH_Z.matcher(v);
            Matcher emptyTime = DATE_WITH_EMPTY_TIME.matcher(v);
            if (asDate.matches()) {
                v = asDate.group(1);
            } else if (emptyTime.matches()) {
                v = emptyTime.group(1);
            } else if (v.indexOf('/') > 0) {
                // an RDATE period: start/end or start/duration
                String[] period = v.split("/", 2);
                v = fixTime(period[0]) + "/" + fixTime(period[1]);
            } else {
                v = fixTime(v);
            }
            values[i] = v;
        }
        String fixed = String.join(",", values);
        boolean needsValueDate = !line.hasParam("VALUE", "DATE")
                && Arrays.stream(values).allMatch(v -> DATE.matcher(v).matches());
        if (fixed.equals(line.value()) && !needsValueDate) {
            return new Outcome(line, null);
        }
        ContentLine result = line.withValue(fixed);
        if (needsValueDate) {
            // A date needs VALUE=DATE, and a TZID means nothing on a date.
            result = result.withoutParam("VALUE").withoutParam("TZID").withParam("VALUE=DATE");
        }
        return new Outcome(result, line.name() + " " + line.value() + " read as " + result.format());
    }

    /** Seconds added to {@code HHMM} and {@code HHMMS} times; a junk {@code T} after a full time removed. */
    private static String fixTime(String v) {
        Matcher shortTime = SHORT_TIME.matcher(v);
        if (shortTime.matches()) {
            String time = shortTime.group(2);
            return shortTime.group(1) + time + "00".substring(0, 6 - time.length()) + shortTime.group(3);
        }
        Matcher trailingT = TRAILING_T.matcher(v);
        return trailingT.matches() ? trailingT.group(1) : v;
    }
}
