package io.calsync.gateway.application;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Where a rule's expansion may start, so that reading a window never walks a series from a distant start up to it.
 *
 * <p>A rule without COUNT repeats every {@code INTERVAL} periods of its FREQ, and its occurrences inside a period
 * depend only on where that period lies: so the seed can jump forward by whole multiples of the interval, by plain
 * date arithmetic, to one interval before the window. What RFC 5545 takes from DTSTART when a BY part is missing
 * (the time of day; the day of the month of a MONTHLY rule; the month and day of a YEARLY rule; the weekday of a
 * BYWEEKNO rule) is written into the rule first, so the moved seed (its day clamped by a shorter month, its time moved
 * by a DST gap) changes nothing. A rule with COUNT counts from DTSTART and is expanded from there, its count capped at
 * {@link #MAX_COUNTED}. {@code SECONDLY} and {@code MINUTELY} rules (refused in writes, possible in feeds) are never
 * expanded: such a series shows its first occurrence only.
 */
public final class RuleWindow {

    /** Occurrences counted from DTSTART at the most: a COUNT beyond it is expanded that far and no further. */
    static final int MAX_COUNTED = 100_000;

    static final Set<String> NOT_EXPANDED = Set.of("SECONDLY", "MINUTELY");

    /** The rule to expand and the seed to expand it from. */
    record Start<T>(String rule, T seed) {}

    private RuleWindow() {}

    /** The parts of a rule in their order, names upper-cased. */
    static Map<String, String> parts(String rule) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : rule.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(
                        part.substring(0, eq).trim().toUpperCase(Locale.ROOT),
                        part.substring(eq + 1).trim());
            }
        }
        return parts;
    }

    static String join(Map<String, String> parts) {
        StringJoiner j = new StringJoiner(";");
        parts.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** False for rules that are stored but never expanded (SECONDLY, MINUTELY, no FREQ). */
    static boolean expandable(Map<String, String> parts) {
        String freq = parts.get("FREQ");
        return freq != null && !NOT_EXPANDED.contains(freq.toUpperCase(Locale.ROOT));
    }

    /** For a timed series: the rule and seed to expand from so that {@code from} is at most one interval away. */
    static Start<ZonedDateTime> timed(String rule, ZonedDateTime seed, ZonedDateTime from) {
        Map<String, String> p = parts(rule);
        if (p.containsKey("COUNT")) {
            return new Start<>(capCount(p), seed);
        }
        String freq = p.get("FREQ").toUpperCase(Locale.ROOT);
        long interval = interval(p);
        ZonedDateTime target = from.withZoneSameInstant(seed.getZone());
        ZonedDateTime moved;
        if (freq.equals("HOURLY")) {
            long hours = ChronoUnit.HOURS.between(seed, target); // absolute hours, as the rule counts them
            long skip = (hours / interval - 1) * interval;
            if (skip <= 0) {
                return new Start<>(rule, seed);
            }
            moved = seed.plusHours(skip);
        } else {
            ChronoUnit unit = unit(freq);
            long units = unit.between(seed.toLocalDateTime(), target.toLocalDateTime());
            long skip = (units / interval - 1) * interval;
            if (skip <= 0) {
                return new Start<>(rule, seed);
            }
            LocalDateTime local = seed.toLocalDateTime().plus(skip, unit);
            moved = local.atZone(seed.getZone());
        }
        return new Start<>(join(explicit(p, freq, seed.toLocalDate(), seed.toLocalDateTime(), true)), moved);
    }

    /** For an all-day series: the same on dates. */
    static Start<LocalDate> allDay(String rule, LocalDate seed, LocalDate from) {
        Map<String, String> p = parts(rule);
        if (p.containsKey("COUNT")) {
            return new Start<>(capCount(p), seed);
        }
        String freq = p.get("FREQ").toUpperCase(Locale.ROOT);
        if (freq.equals("HOURLY")) {
            return new Start<>(rule, seed);
        }
        long interval = interval(p);
        ChronoUnit unit = unit(freq);
        long skip = (unit.between(seed, from) / interval - 1) * interval;
        if (skip <= 0) {
            return new Start<>(rule, seed);
        }
        return new Start<>(join(explicit(p, freq, seed, null, false)), seed.plus(skip, unit));
    }

    private static String capCount(Map<String, String> p) {
        try {
            if (Long.parseLong(p.get("COUNT")) <= MAX_COUNTED) {
                return join(p);
            }
        } catch (NumberFormatException e) {
            // ical4j refuses it; the caller shows the series' first occurrence
        }
        Map<String, String> capped = new LinkedHashMap<>(p);
        capped.put("COUNT", Integer.toString(MAX_COUNTED));
        return join(capped);
    }

    private static long interval(Map<String, String> p) {
        try {
            return Math.max(1, Long.parseLong(p.getOrDefault("INTERVAL", "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static ChronoUnit unit(String freq) {
        return switch (freq) {
            case "DAILY" -> ChronoUnit.DAYS;
            case "WEEKLY" -> ChronoUnit.WEEKS;
            case "MONTHLY" -> ChronoUnit.MONTHS;
            case "YEARLY" -> ChronoUnit.YEARS;
            default -> throw new IllegalArgumentException("FREQ=" + freq + " is not expanded");
        };
    }

    /** The rule with what RFC 5545 takes from DTSTART written out, as far as a moved seed would change it. */
    private static Map<String, String> explicit(
            Map<String, String> p, String freq, LocalDate date, LocalDateTime time, boolean timed) {
        Map<String, String> out = new LinkedHashMap<>(p);
        if (timed && !freq.equals("HOURLY")) {
            // An HOURLY rule keeps its minute on the absolute timeline (a whole-hour jump keeps it too); the others
            // keep their local time of day, which a jump into a DST gap would move.
            out.putIfAbsent("BYSECOND", Integer.toString(time.getSecond()));
            out.putIfAbsent("BYMINUTE", Integer.toString(time.getMinute()));
            out.putIfAbsent("BYHOUR", Integer.toString(time.getHour()));
        }
        boolean byDay = p.containsKey("BYDAY");
        boolean byMonthDay = p.containsKey("BYMONTHDAY");
        boolean byYearDay = p.containsKey("BYYEARDAY");
        boolean byWeekNo = p.containsKey("BYWEEKNO");
        boolean byMonth = p.containsKey("BYMONTH");
        String day = Integer.toString(date.getDayOfMonth());
        switch (freq) {
            case "MONTHLY" -> {
                if (!byDay && !byMonthDay) {
                    out.put("BYMONTHDAY", day);
                }
            }
            case "YEARLY" -> {
                if (byWeekNo && !byDay) {
                    out.put("BYDAY", date.getDayOfWeek().name().substring(0, 2));
                } else if (!byDay && !byMonthDay && !byYearDay && !byWeekNo) {
                    out.putIfAbsent("BYMONTH", Integer.toString(date.getMonthValue()));
                    out.put("BYMONTHDAY", day);
                }
            }
            default -> {
                // DAILY and WEEKLY keep their day through whole-day and whole-week jumps
            }
        }
        return out;
    }
}
