package io.calsync.sandbox.google;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.fortuna.ical4j.model.Recur;
import tools.jackson.databind.JsonNode;

/**
 * Expands a series master's {@code recurrence} lines (RRULE, EXRULE, RDATE, EXDATE as in RFC 5545) into its
 * occurrences with ical4j. Timed series recur in the zone of their start's {@code timeZone}, so wall-clock times stay
 * put across daylight-saving changes; all-day series recur on dates.
 */
final class RecurrenceExpander {

    /** Guards against unbounded series expanded over long windows. */
    static final int MAX_INSTANCES = 10_000;

    private static final DateTimeFormatter BASIC_LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private RecurrenceExpander() {}

    /** One occurrence of a series, before overrides are applied. */
    record Occurrence(EventTime start, EventTime end) {
        String suffix() {
            return start.instanceSuffix();
        }
    }

    private record Line(String name, Map<String, String> params, String value) {}

    /**
     * Rejects lines Google would reject; called on every write of a master. A trial expansion over the first year
     * makes sure that a rule which parses but cannot be expanded fails now, not in a later list.
     */
    static void validate(JsonNode recurrence, EventTime start, EventTime end, ZoneId calendarZone) {
        validateLines(recurrence);
        StoredEvent trial = new StoredEvent("trial", 0);
        trial.body = EventMapper.JSON.objectNode().set("recurrence", recurrence);
        trial.start = start;
        trial.end = end;
        try {
            expand(trial, calendarZone, null, start.instant(calendarZone).plus(Duration.ofDays(366)));
        } catch (RuntimeException e) {
            throw GoogleApiException.invalid("Invalid recurrence rule.");
        }
    }

    private static void validateLines(JsonNode recurrence) {
        if (!recurrence.isArray()) {
            throw GoogleApiException.invalid("Invalid recurrence rule.");
        }
        for (JsonNode n : recurrence) {
            Line line = n.isString() ? parse(n.stringValue()) : null;
            if (line == null) {
                throw GoogleApiException.invalid("Invalid recurrence rule.");
            }
            try {
                switch (line.name()) {
                    case "RRULE", "EXRULE" -> new Recur<ZonedDateTime>(line.value());
                    case "RDATE", "EXDATE" -> {
                        for (String v : line.value().split(",")) {
                            if (!v.contains("/")) {
                                parseValue(v, line.params(), ZoneOffset.UTC);
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException(line.name());
                }
            } catch (RuntimeException e) {
                throw GoogleApiException.invalid("Invalid recurrence rule.");
            }
        }
    }

    /**
     * The occurrences overlapping {@code [from, to)}, EXDATEs removed. {@code from} null means from the series'
     * start; {@code to} must be bounded by the caller.
     */
    static List<Occurrence> expand(StoredEvent master, ZoneId calendarZone, Instant from, Instant to) {
        List<Line> lines = new ArrayList<>();
        for (JsonNode n : master.body.path("recurrence")) {
            Line l = n.isString() ? parse(n.stringValue()) : null;
            if (l != null) {
                lines.add(l);
            }
        }
        return master.start.allDay()
                ? expandDates(master, lines, calendarZone, from, to)
                : expandTimes(master, lines, calendarZone, from, to);
    }

    /** The occurrence an instance id suffix names, if the series has one there. */
    static Optional<Occurrence> occurrenceAt(StoredEvent master, ZoneId calendarZone, String suffix) {
        EventTime t = parseSuffix(suffix);
        if (t == null || t.allDay() != master.start.allDay()) {
            return Optional.empty();
        }
        Instant at = t.instant(calendarZone);
        return expand(master, calendarZone, at, at.plusSeconds(1)).stream()
                .filter(o -> o.suffix().equals(suffix))
                .findFirst();
    }

    /** {@code 20261124T100000Z} or {@code 20261124} back into a time; null when malformed. */
    static EventTime parseSuffix(String suffix) {
        try {
            if (suffix.length() == 8) {
                return EventTime.ofDate(LocalDate.parse(suffix, GoogleTime.BASIC_DATE));
            }
            if (suffix.length() == 16 && suffix.endsWith("Z")) {
                return EventTime.ofDateTime(
                        LocalDateTime.parse(suffix.substring(0, 15), BASIC_LOCAL)
                                .toInstant(ZoneOffset.UTC),
                        null);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static List<Occurrence> expandTimes(
            StoredEvent master, List<Line> lines, ZoneId calendarZone, Instant from, Instant to) {
        ZoneId zone = master.start.zone(calendarZone);
        Instant first = master.start.dateTime();
        Duration duration = Duration.between(first, master.end.dateTime());
        ZonedDateTime seed = first.atZone(zone);
        Instant lo = from == null || from.minus(duration).isBefore(first) ? first : from.minus(duration);
        ZonedDateTime periodStart = lo.atZone(zone);
        ZonedDateTime periodEnd = to.atZone(zone);

        TreeSet<Instant> starts = new TreeSet<>();
        Set<Instant> excludedTimes = new HashSet<>();
        Set<LocalDate> excludedDates = new HashSet<>();
        if (!periodEnd.isBefore(seed)) {
            starts.add(first); // DTSTART is always the first instance (RFC 5545)
        }
        for (Line line : lines) {
            switch (line.name()) {
                case "RRULE" ->
                    new Recur<ZonedDateTime>(line.value())
                            .getDates(seed, periodStart, periodEnd, MAX_INSTANCES)
                            .forEach(d -> starts.add(d.toInstant()));
                case "EXRULE" ->
                    new Recur<ZonedDateTime>(line.value())
                            .getDates(seed, periodStart, periodEnd, MAX_INSTANCES)
                            .forEach(d -> excludedTimes.add(d.toInstant()));
                case "RDATE", "EXDATE" -> {
                    boolean exclude = line.name().equals("EXDATE");
                    for (String v : line.value().split(",")) {
                        if (v.contains("/")) {
                            continue; // RDATE periods: not modelled
                        }
                        Object value = parseValue(v, line.params(), zone);
                        if (value instanceof LocalDate d) {
                            if (exclude) {
                                excludedDates.add(d);
                            } else {
                                starts.add(seed.with(d).toInstant());
                            }
                        } else if (exclude) {
                            excludedTimes.add((Instant) value);
                        } else {
                            starts.add((Instant) value);
                        }
                    }
                }
                default -> {}
            }
        }
        List<Occurrence> out = new ArrayList<>();
        for (Instant s : starts) {
            if (excludedTimes.contains(s)
                    || excludedDates.contains(s.atZone(zone).toLocalDate())) {
                continue;
            }
            Instant e = s.plus(duration);
            if (overlaps(s, e, from, to)) {
                out.add(new Occurrence(
                        EventTime.ofDateTime(s, master.start.timeZone()),
                        EventTime.ofDateTime(e, master.end.timeZone())));
                if (out.size() >= MAX_INSTANCES) {
                    break;
                }
            }
        }
        return out;
    }

    private static List<Occurrence> expandDates(
            StoredEvent master, List<Line> lines, ZoneId calendarZone, Instant from, Instant to) {
        LocalDate seed = master.start.date();
        long days = ChronoUnit.DAYS.between(seed, master.end.date());
        LocalDate lo =
                from == null ? seed : from.atZone(calendarZone).toLocalDate().minusDays(days);
        if (lo.isBefore(seed)) {
            lo = seed;
        }
        LocalDate hi = to.atZone(calendarZone).toLocalDate().plusDays(1);

        TreeSet<LocalDate> starts = new TreeSet<>();
        Set<LocalDate> excluded = new HashSet<>();
        if (!hi.isBefore(seed)) {
            starts.add(seed);
        }
        for (Line line : lines) {
            switch (line.name()) {
                case "RRULE" -> starts.addAll(new Recur<LocalDate>(line.value()).getDates(seed, lo, hi, MAX_INSTANCES));
                case "EXRULE" ->
                    excluded.addAll(new Recur<LocalDate>(line.value()).getDates(seed, lo, hi, MAX_INSTANCES));
                case "RDATE", "EXDATE" -> {
                    for (String v : line.value().split(",")) {
                        if (v.contains("/")) {
                            continue;
                        }
                        Object value = parseValue(v, line.params(), calendarZone);
                        LocalDate d = value instanceof LocalDate ld
                                ? ld
                                : ((Instant) value).atZone(calendarZone).toLocalDate();
                        (line.name().equals("EXDATE") ? excluded : starts).add(d);
                    }
                }
                default -> {}
            }
        }
        List<Occurrence> out = new ArrayList<>();
        for (LocalDate s : starts) {
            if (excluded.contains(s)) {
                continue;
            }
            LocalDate e = s.plusDays(days);
            if (overlaps(
                    s.atStartOfDay(calendarZone).toInstant(),
                    e.atStartOfDay(calendarZone).toInstant(),
                    from,
                    to)) {
                out.add(new Occurrence(EventTime.ofDate(s), EventTime.ofDate(e)));
                if (out.size() >= MAX_INSTANCES) {
                    break;
                }
            }
        }
        return out;
    }

    /** Google's overlap rule: end after timeMin and start before timeMax; a zero-length event at timeMin counts. */
    static boolean overlaps(Instant start, Instant end, Instant from, Instant to) {
        boolean afterFrom = from == null || end.isAfter(from) || (!end.isAfter(start) && !start.isBefore(from));
        boolean beforeTo = to == null || start.isBefore(to);
        return afterFrom && beforeTo;
    }

    private static Line parse(String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String[] head = raw.substring(0, colon).split(";");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int eq = head[i].indexOf('=');
            if (eq > 0) {
                params.put(head[i].substring(0, eq).toUpperCase(Locale.ROOT), head[i].substring(eq + 1));
            }
        }
        return new Line(
                head[0].trim().toUpperCase(Locale.ROOT),
                params,
                raw.substring(colon + 1).trim());
    }

    /** An RDATE/EXDATE value: a {@link LocalDate} or an {@link Instant}. */
    private static Object parseValue(String v, Map<String, String> params, ZoneId defaultZone) {
        String value = v.trim();
        if ("DATE".equalsIgnoreCase(params.get("VALUE")) || value.length() == 8) {
            return LocalDate.parse(value, GoogleTime.BASIC_DATE);
        }
        if (value.endsWith("Z")) {
            return LocalDateTime.parse(value.substring(0, value.length() - 1), BASIC_LOCAL)
                    .toInstant(ZoneOffset.UTC);
        }
        ZoneId zone = params.containsKey("TZID") ? ZoneId.of(params.get("TZID")) : defaultZone;
        return LocalDateTime.parse(value, BASIC_LOCAL).atZone(zone).toInstant();
    }
}
