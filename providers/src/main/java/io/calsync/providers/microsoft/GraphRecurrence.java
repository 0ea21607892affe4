package io.calsync.providers.microsoft;

import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.model.Recur;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph's {@code patternedRecurrence} and RFC 5545 RRULEs, both ways, plus the expansion the sync uses to find
 * cancelled occurrences.
 *
 * <p>Pattern to rule: daily {@code FREQ=DAILY}; weekly {@code FREQ=WEEKLY;BYDAY=..} with {@code WKST} when the week
 * does not start on Monday (RFC's default; it decides which weeks an every-other-week series lands in); absoluteMonthly
 * {@code BYMONTHDAY}; relativeMonthly {@code BYDAY=2WE} for one day or {@code BYDAY=TH,FR;BYSETPOS=1} for "the first
 * of these days"; absoluteYearly/relativeYearly the same with {@code BYMONTH}. Outlook puts a day of month that a
 * month lacks (the 31st in April, 29 February in 2027) on the month's last day, where RFC 5545 skips the month; such
 * days are written {@code BYMONTHDAY=28,29,30,31;BYSETPOS=-1} ("the last of these that exists"), which is what
 * Outlook does. Range: endDate is {@code UNTIL} at the end of that day in the series' zone, as UTC (a date for
 * all-day series, as RFC 5545 wants with a date DTSTART), numbered is {@code COUNT}, noEnd is neither.
 *
 * <p>Rule to pattern: the same subset back, plus what other calendars write for it ({@code FREQ=DAILY;BYDAY=MO,...}
 * is a weekly pattern, {@code BYMONTHDAY=-1} the 31st, a bare {@code FREQ=MONTHLY} the start's day of month).
 * Anything else (hourly rules, BYHOUR, BYWEEKNO, BYYEARDAY, a fifth Monday, several months, COUNT with UNTIL, RDATE)
 * Graph cannot hold: a {@code PERMANENT} {@link ProviderException} says which part. EXDATE lines are not written:
 * Graph cancels an occurrence by deleting it, which the engine does through the occurrence's own id.
 */
final class GraphRecurrence {

    private static final DateTimeFormatter UTC_BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter DATE_BASIC = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter LOCAL_BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final List<String> INDEXES = List.of("first", "second", "third", "fourth");
    private static final Set<String> RULE_PARTS =
            Set.of("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST");
    /** Expansion stops here whatever the rule says: a sync window of daily events is a few thousand. */
    private static final int MAX_OCCURRENCES = 20_000;

    private GraphRecurrence() {}

    // ------------------------------------------------------------------ Graph -> RRULE

    /**
     * The {@code RRULE:} line for a Graph recurrence, or null when it has no pattern Graph documents.
     *
     * @param seriesStart the date of the series' first occurrence in the series' zone (fills what the pattern
     *     leaves out: the weekday of a weekly pattern, the day and month of an absolute one)
     * @param zone the series' zone, for UNTIL
     */
    static String toRrule(JsonNode recurrence, LocalDate seriesStart, ZoneId zone, boolean allDay) {
        if (recurrence == null || !recurrence.isObject()) {
            return null;
        }
        JsonNode p = recurrence.path("pattern");
        JsonNode r = recurrence.path("range");
        String type = text(p, "type");
        if (type == null) {
            return null;
        }
        int interval = Math.max(1, p.path("interval").asInt(1));
        List<DayOfWeek> days = days(p.path("daysOfWeek"));
        if (days.isEmpty()) {
            days = List.of(seriesStart.getDayOfWeek());
        }
        int dayOfMonth = p.path("dayOfMonth").asInt(0);
        if (dayOfMonth < 1 || dayOfMonth > 31) {
            dayOfMonth = seriesStart.getDayOfMonth();
        }
        int month = p.path("month").asInt(0);
        if (month < 1 || month > 12) {
            month = seriesStart.getMonthValue();
        }
        String index = text(p, "index") == null ? "first" : text(p, "index").toLowerCase(Locale.ROOT);
        DayOfWeek firstDay = day(text(p, "firstDayOfWeek"));

        List<String> parts = new ArrayList<>();
        switch (type.toLowerCase(Locale.ROOT)) {
            case "daily" -> parts.add("FREQ=DAILY");
            case "weekly" -> {
                parts.add("FREQ=WEEKLY");
                parts.add("BYDAY=" + byDay(days));
                // Graph's default week start is Sunday, RFC 5545's Monday
                DayOfWeek wkst = firstDay == null ? DayOfWeek.SUNDAY : firstDay;
                if (wkst != DayOfWeek.MONDAY) {
                    parts.add("WKST=" + abbrev(wkst));
                }
            }
            case "absolutemonthly" -> {
                parts.add("FREQ=MONTHLY");
                parts.addAll(byMonthDay(dayOfMonth, 28));
            }
            case "relativemonthly" -> {
                parts.add("FREQ=MONTHLY");
                parts.addAll(relative(days, index));
            }
            case "absoluteyearly" -> {
                parts.add("FREQ=YEARLY");
                parts.add("BYMONTH=" + month);
                parts.addAll(byMonthDay(dayOfMonth, Month.of(month).minLength()));
            }
            case "relativeyearly" -> {
                parts.add("FREQ=YEARLY");
                parts.add("BYMONTH=" + month);
                parts.addAll(relative(days, index));
            }
            default -> {
                return null;
            }
        }
        if (interval > 1) {
            parts.add(1, "INTERVAL=" + interval);
        }
        String rangeType = text(r, "type") == null ? "noEnd" : text(r, "type").toLowerCase(Locale.ROOT);
        LocalDate endDate = date(text(r, "endDate"));
        int count = r.path("numberOfOccurrences").asInt(0);
        if (rangeType.equals("enddate") && endDate != null) {
            parts.add("UNTIL=" + until(endDate, zone, allDay));
        } else if (rangeType.equals("numbered") && count > 0) {
            parts.add("COUNT=" + count);
        }
        return "RRULE:" + String.join(";", parts);
    }

    /** The end of {@code endDate} in the series' zone, as UTC; a date for all-day series. */
    static String until(LocalDate endDate, ZoneId zone, boolean allDay) {
        if (allDay) {
            return DATE_BASIC.format(endDate);
        }
        Instant end = endDate.plusDays(1).atStartOfDay(zone).minusSeconds(1).toInstant();
        return UTC_BASIC.format(end.atOffset(ZoneOffset.UTC));
    }

    /** A day of month as Outlook means it: days that shorter months lack fall on their last day. */
    private static List<String> byMonthDay(int day, int shortestMonth) {
        if (day <= shortestMonth) {
            return List.of("BYMONTHDAY=" + day);
        }
        List<String> days = new ArrayList<>();
        for (int d = shortestMonth; d <= day; d++) {
            days.add(String.valueOf(d));
        }
        return List.of("BYMONTHDAY=" + String.join(",", days), "BYSETPOS=-1");
    }

    private static List<String> relative(List<DayOfWeek> days, String index) {
        int n = index.equals("last") ? -1 : INDEXES.indexOf(index) + 1;
        if (n == 0) {
            n = 1; // Graph's default index
        }
        if (days.size() == 1) {
            return List.of("BYDAY=" + n + abbrev(days.getFirst()));
        }
        return List.of("BYDAY=" + byDay(days), "BYSETPOS=" + n);
    }

    // ------------------------------------------------------------------ RRULE -> Graph

    /**
     * Graph's recurrence for a master's recurrence lines.
     *
     * @param startDate the date of the series' first occurrence in the series' zone (range.startDate)
     * @param zone the series' zone, to read a UTC UNTIL as a date
     * @param graphZone the zone's name for Graph (range.recurrenceTimeZone)
     * @throws ProviderException PERMANENT when Graph cannot express the rule
     */
    static ObjectNode toGraph(List<String> lines, LocalDate startDate, ZoneId zone, String graphZone) {
        return toGraph(lines, startDate, null, zone, graphZone);
    }

    /**
     * As above, for a timed series starting at {@code startTime} (local, in {@code zone}): Graph's endDate is a whole
     * day, so an UNTIL earlier in its day than the series' time (a series cut just before one occurrence, as "this and
     * following" does) ends the day before, or Graph would keep that occurrence.
     */
    static ObjectNode toGraph(
            List<String> lines, LocalDate startDate, java.time.LocalTime startTime, ZoneId zone, String graphZone) {
        String rule = null;
        for (String line : lines) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("RRULE:")) {
                if (rule != null) {
                    throw cannot("a series with more than one RRULE");
                }
                rule = line.substring(6).trim();
            } else if (upper.startsWith("RDATE")) {
                throw cannot("RDATE (extra occurrences outside the rule)");
            } else if (upper.startsWith("EXRULE")) {
                throw cannot("EXRULE");
            }
            // EXDATE: not written; see the class comment
        }
        if (rule == null) {
            throw cannot("a series without an RRULE");
        }
        Map<String, String> parts = parts(rule);
        for (String name : parts.keySet()) {
            if (!RULE_PARTS.contains(name)) {
                throw cannot("the RRULE part " + name);
            }
        }
        String freq = parts.get("FREQ");
        if (freq == null) {
            throw cannot("an RRULE without FREQ");
        }
        int interval = positiveInt(parts.getOrDefault("INTERVAL", "1"), "INTERVAL");
        List<ByDay> byDay = byDays(parts.get("BYDAY"));
        List<Integer> byMonthDay = ints(parts.get("BYMONTHDAY"), "BYMONTHDAY");
        List<Integer> byMonth = ints(parts.get("BYMONTH"), "BYMONTH");
        List<Integer> bySetPos = ints(parts.get("BYSETPOS"), "BYSETPOS");
        DayOfWeek wkst = parts.containsKey("WKST") ? day(parts.get("WKST")) : DayOfWeek.MONDAY;
        if (wkst == null) {
            throw cannot("WKST=" + parts.get("WKST"));
        }

        ObjectNode recurrence = GraphClient.JSON.createObjectNode();
        ObjectNode p = recurrence.putObject("pattern");
        switch (freq) {
            case "DAILY" -> {
                if (!byMonthDay.isEmpty() || !byMonth.isEmpty() || !bySetPos.isEmpty()) {
                    throw cannot("a daily RRULE with BYMONTHDAY, BYMONTH or BYSETPOS");
                }
                if (byDay.isEmpty()) {
                    p.put("type", "daily");
                    p.put("interval", interval);
                } else {
                    // "every weekday": other calendars write it daily, Graph weekly
                    if (interval != 1 || byDay.stream().anyMatch(d -> d.ordinal() != 0)) {
                        throw cannot("a daily RRULE with BYDAY and an INTERVAL or ordinals");
                    }
                    p.put("type", "weekly");
                    p.put("interval", 1);
                    putDays(p, byDay);
                    p.put("firstDayOfWeek", name(wkst));
                }
            }
            case "WEEKLY" -> {
                if (!byMonthDay.isEmpty() || !byMonth.isEmpty() || !bySetPos.isEmpty()) {
                    throw cannot("a weekly RRULE with BYMONTHDAY, BYMONTH or BYSETPOS");
                }
                if (byDay.stream().anyMatch(d -> d.ordinal() != 0)) {
                    throw cannot("a weekly RRULE with BYDAY ordinals");
                }
                p.put("type", "weekly");
                p.put("interval", interval);
                putDays(p, byDay.isEmpty() ? List.of(new ByDay(0, startDate.getDayOfWeek())) : byDay);
                p.put("firstDayOfWeek", name(wkst));
            }
            case "MONTHLY" -> {
                if (!byMonth.isEmpty()) {
                    throw cannot("a monthly RRULE with BYMONTH");
                }
                monthly(p, "Monthly", interval, byDay, byMonthDay, bySetPos, startDate.getDayOfMonth(), 28);
            }
            case "YEARLY" -> {
                if (byMonth.size() > 1) {
                    throw cannot("a yearly RRULE in several months");
                }
                int month = byMonth.isEmpty() ? startDate.getMonthValue() : byMonth.getFirst();
                if (month < 1 || month > 12) {
                    throw cannot("BYMONTH=" + month);
                }
                monthly(
                        p,
                        "Yearly",
                        interval,
                        byDay,
                        byMonthDay,
                        bySetPos,
                        startDate.getDayOfMonth(),
                        Month.of(month).minLength());
                p.put("month", month);
            }
            default -> throw cannot("FREQ=" + freq);
        }

        ObjectNode range = recurrence.putObject("range");
        range.put("startDate", startDate.toString());
        range.put("recurrenceTimeZone", graphZone);
        String count = parts.get("COUNT");
        String until = parts.get("UNTIL");
        if (count != null && until != null) {
            throw cannot("an RRULE with both COUNT and UNTIL");
        }
        if (count != null) {
            range.put("type", "numbered");
            range.put("numberOfOccurrences", positiveInt(count, "COUNT"));
        } else if (until != null) {
            range.put("type", "endDate");
            LocalDate end = untilDate(until, zone);
            String u = until.trim().toUpperCase(Locale.ROOT);
            if (startTime != null && u.length() > 8 && u.endsWith("Z")) {
                java.time.LocalTime untilTime = LocalDateTime.parse(u.substring(0, u.length() - 1), LOCAL_BASIC)
                        .atOffset(ZoneOffset.UTC)
                        .atZoneSameInstant(zone)
                        .toLocalTime();
                if (untilTime.isBefore(startTime)) {
                    end = end.minusDays(1);
                }
            }
            range.put("endDate", end.toString());
        } else {
            range.put("type", "noEnd");
        }
        return recurrence;
    }

    private static void monthly(
            ObjectNode p,
            String kind,
            int interval,
            List<ByDay> byDay,
            List<Integer> byMonthDay,
            List<Integer> bySetPos,
            int startDay,
            int shortestMonth) {
        p.put("interval", interval);
        if (!byMonthDay.isEmpty()) {
            if (!byDay.isEmpty()) {
                throw cannot("an RRULE with both BYMONTHDAY and BYDAY");
            }
            p.put("type", "absolute" + kind);
            p.put("dayOfMonth", dayOfMonth(byMonthDay, bySetPos, shortestMonth));
        } else if (!byDay.isEmpty()) {
            p.put("type", "relative" + kind);
            int n;
            if (bySetPos.isEmpty()) {
                if (byDay.size() != 1 || byDay.getFirst().ordinal() == 0) {
                    throw cannot("BYDAY without one ordinal day or a BYSETPOS (every such day of the month)");
                }
                n = byDay.getFirst().ordinal();
            } else {
                if (bySetPos.size() != 1 || byDay.stream().anyMatch(d -> d.ordinal() != 0)) {
                    throw cannot("BYSETPOS with several positions or with BYDAY ordinals");
                }
                n = bySetPos.getFirst();
            }
            p.put("index", index(n));
            putDays(p, byDay);
        } else {
            if (!bySetPos.isEmpty()) {
                throw cannot("BYSETPOS without BYDAY or BYMONTHDAY");
            }
            p.put("type", "absolute" + kind);
            p.put("dayOfMonth", startDay);
        }
    }

    /** One day of month, -1 (the last: Outlook's 31st), or the "last of 28..d" form this class writes. */
    private static int dayOfMonth(List<Integer> byMonthDay, List<Integer> bySetPos, int shortestMonth) {
        if (bySetPos.isEmpty() && byMonthDay.size() == 1) {
            int d = byMonthDay.getFirst();
            if (d == -1) {
                return 31;
            }
            if (d >= 1 && d <= 31) {
                return d;
            }
        }
        if (bySetPos.equals(List.of(-1)) && byMonthDay.size() > 1 && byMonthDay.getFirst() == shortestMonth) {
            int last = byMonthDay.getLast();
            boolean consecutive = true;
            for (int i = 0; i < byMonthDay.size(); i++) {
                consecutive &= byMonthDay.get(i) == shortestMonth + i;
            }
            if (consecutive && last <= 31) {
                return last;
            }
        }
        throw cannot("BYMONTHDAY=" + byMonthDay.stream().map(String::valueOf).collect(Collectors.joining(","))
                + (bySetPos.isEmpty() ? "" : " with BYSETPOS"));
    }

    private static String index(int n) {
        if (n == -1) {
            return "last";
        }
        if (n >= 1 && n <= 4) {
            return INDEXES.get(n - 1);
        }
        throw cannot("the position " + n + " (Graph knows first to fourth and last)");
    }

    /** UNTIL as a date: a DATE as is, a UTC date-time in the series' zone, a floating one by its date. */
    static LocalDate untilDate(String until, ZoneId zone) {
        String v = until.trim().toUpperCase(Locale.ROOT);
        try {
            if (v.length() == 8) {
                return LocalDate.parse(v, DATE_BASIC);
            }
            if (v.endsWith("Z")) {
                return LocalDateTime.parse(v.substring(0, v.length() - 1), LOCAL_BASIC)
                        .atOffset(ZoneOffset.UTC)
                        .atZoneSameInstant(zone)
                        .toLocalDate();
            }
            return LocalDateTime.parse(v, LOCAL_BASIC).toLocalDate();
        } catch (DateTimeParseException e) {
            throw cannot("UNTIL=" + until);
        }
    }

    // ------------------------------------------------------------------ expansion

    /**
     * The starts of a timed series' occurrences that lie in {@code [from, to)}, as RFC 5545 expands the rule from
     * {@code dtstart} (ical4j, as the rest of the system expands series).
     */
    static List<Instant> starts(String rrule, ZonedDateTime dtstart, Instant from, Instant to) {
        Recur<ZonedDateTime> recur = new Recur<>(rule(rrule));
        List<ZonedDateTime> dates =
                recur.getDates(dtstart, from.atZone(dtstart.getZone()), to.atZone(dtstart.getZone()), MAX_OCCURRENCES);
        List<Instant> out = new ArrayList<>();
        for (ZonedDateTime d : dates) {
            Instant i = d.toInstant();
            if (!i.isBefore(from) && i.isBefore(to)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The dates of an all-day series' occurrences in {@code [from, to)}. */
    static List<LocalDate> dates(String rrule, LocalDate dtstart, LocalDate from, LocalDate to) {
        Recur<LocalDate> recur = new Recur<>(rule(rrule));
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d : recur.getDates(dtstart, from, to, MAX_OCCURRENCES)) {
            if (!d.isBefore(from) && d.isBefore(to)) {
                out.add(d);
            }
        }
        return out;
    }

    /** {@code EXDATE} lines for cancelled occurrences: UTC for timed series, dates for all-day ones. */
    static List<String> exdates(List<Instant> starts) {
        return starts.stream()
                .map(i -> "EXDATE:" + UTC_BASIC.format(i.atOffset(ZoneOffset.UTC)))
                .toList();
    }

    static List<String> exdateDates(List<LocalDate> dates) {
        return dates.stream()
                .map(d -> "EXDATE;VALUE=DATE:" + DATE_BASIC.format(d))
                .toList();
    }

    // ------------------------------------------------------------------ helpers

    private record ByDay(int ordinal, DayOfWeek day) {}

    private static String rule(String rrule) {
        return rrule.regionMatches(true, 0, "RRULE:", 0, 6) ? rrule.substring(6) : rrule;
    }

    private static Map<String, String> parts(String rule) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : rule.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw cannot("the RRULE part '" + part + "'");
            }
            out.put(
                    part.substring(0, eq).trim().toUpperCase(Locale.ROOT),
                    part.substring(eq + 1).trim().toUpperCase(Locale.ROOT));
        }
        return out;
    }

    private static List<ByDay> byDays(String value) {
        List<ByDay> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String v : value.split(",")) {
            String s = v.trim();
            if (s.length() < 2) {
                throw cannot("BYDAY=" + value);
            }
            DayOfWeek d = day(s.substring(s.length() - 2));
            String ordinal = s.substring(0, s.length() - 2);
            if (d == null) {
                throw cannot("BYDAY=" + value);
            }
            int n;
            try {
                n = ordinal.isEmpty() ? 0 : Integer.parseInt(ordinal.startsWith("+") ? ordinal.substring(1) : ordinal);
            } catch (NumberFormatException e) {
                throw cannot("BYDAY=" + value);
            }
            out.add(new ByDay(n, d));
        }
        return out;
    }

    private static List<Integer> ints(String value, String name) {
        List<Integer> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String v : value.split(",")) {
            try {
                out.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw cannot(name + "=" + value);
            }
        }
        return out;
    }

    private static int positiveInt(String value, String name) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw cannot(name + "=" + value);
    }

    private static void putDays(ObjectNode p, List<ByDay> days) {
        ArrayNode a = p.putArray("daysOfWeek");
        days.stream().map(ByDay::day).distinct().forEach(d -> a.add(name(d)));
    }

    private static List<DayOfWeek> days(JsonNode array) {
        List<DayOfWeek> out = new ArrayList<>();
        for (JsonNode d : array) {
            DayOfWeek day = day(d.asString());
            if (day != null && !out.contains(day)) {
                out.add(day);
            }
        }
        return out;
    }

    /** A day from Graph's name ({@code monday}, any case) or RFC 5545's ({@code MO}). */
    static DayOfWeek day(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(n) || abbrev(d).equals(n)) {
                return d;
            }
        }
        return null;
    }

    private static String byDay(List<DayOfWeek> days) {
        return days.stream().map(GraphRecurrence::abbrev).collect(Collectors.joining(","));
    }

    private static String abbrev(DayOfWeek d) {
        return d.name().substring(0, 2);
    }

    private static String name(DayOfWeek d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.asString().isBlank() ? null : v.asString();
    }

    /** A Graph date; Graph's "no date" {@code 0001-01-01} is null. */
    private static LocalDate date(String text) {
        if (text == null) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
            return d.getYear() <= 1 ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ProviderException cannot(String what) {
        return new ProviderException(
                Kind.PERMANENT,
                0,
                "unsupportedRecurrence",
                "Graph cannot express " + what + " in a recurrence pattern; the series was not written");
    }
}
