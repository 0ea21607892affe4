package io.calsync.sandbox.microsoft;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph's patternedRecurrence: a pattern (daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly,
 * relativeYearly) and a range (endDate, noEnd, numbered). Expansion yields the local dates of the occurrences; the
 * caller puts the series' wall-clock start time on each date in the event's zone, which keeps meetings at the same
 * local time across DST changes as Outlook does.
 *
 * <p>Outlook rules kept here: a dayOfMonth past the end of a shorter month falls on its last day; several
 * daysOfWeek with an index pick the index-th day of the month that is any of them ("first weekday"); occurrences
 * before range.startDate never exist; numbered ranges count cancelled occurrences too.
 */
record Recurrence(
        String type,
        int interval,
        List<DayOfWeek> daysOfWeek,
        int dayOfMonth,
        DayOfWeek firstDayOfWeek,
        String index,
        int month,
        String rangeType,
        LocalDate startDate,
        LocalDate endDate,
        int numberOfOccurrences,
        String recurrenceTimeZone) {

    private static final List<String> TYPES =
            List.of("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly");
    private static final List<String> INDEXES = List.of("first", "second", "third", "fourth", "last");
    private static final LocalDate NO_DATE = LocalDate.of(1, 1, 1);
    /** Expansion stops after this many candidate dates whatever the range says (a sandbox, not a mailbox). */
    private static final int MAX_DATES = 50_000;

    static Recurrence parse(JsonNode node, String eventTimeZone) {
        if (node == null || !node.isObject()) {
            throw invalid("The recurrence must be an object with pattern and range.");
        }
        JsonNode p = node.path("pattern");
        JsonNode r = node.path("range");
        if (!p.isObject() || !r.isObject()) {
            throw invalid("The recurrence must have both a pattern and a range.");
        }
        String type = canonical(GraphJson.text(p, "type"), TYPES);
        if (type == null) {
            throw invalid("The recurrence pattern type '" + GraphJson.text(p, "type") + "' is not valid.");
        }
        int interval = p.path("interval").asInt(1);
        if (interval < 1 || interval > 99) {
            throw invalid("The recurrence pattern interval must be between 1 and 99.");
        }
        List<DayOfWeek> days = new ArrayList<>();
        for (JsonNode d : p.path("daysOfWeek")) {
            DayOfWeek day = day(d.asString());
            if (day == null) {
                throw invalid("'" + d.asString() + "' is not a valid day of the week.");
            }
            if (!days.contains(day)) {
                days.add(day);
            }
        }
        DayOfWeek firstDay =
                p.hasNonNull("firstDayOfWeek") ? day(p.get("firstDayOfWeek").asString()) : DayOfWeek.SUNDAY;
        if (firstDay == null) {
            throw invalid("'" + p.get("firstDayOfWeek").asString() + "' is not a valid firstDayOfWeek.");
        }
        String index = p.hasNonNull("index") ? canonical(p.get("index").asString(), INDEXES) : "first";
        if (index == null) {
            throw invalid("The recurrence pattern index '" + p.get("index").asString() + "' is not valid.");
        }
        int dayOfMonth = p.path("dayOfMonth").asInt(0);
        int month = p.path("month").asInt(0);
        switch (type) {
            case "weekly", "relativeMonthly", "relativeYearly" -> {
                if (days.isEmpty()) {
                    throw invalid("A " + type + " recurrence pattern needs daysOfWeek.");
                }
            }
            default -> {}
        }
        if ((type.equals("absoluteMonthly") || type.equals("absoluteYearly")) && (dayOfMonth < 1 || dayOfMonth > 31)) {
            throw invalid("A " + type + " recurrence pattern needs a dayOfMonth between 1 and 31.");
        }
        if (type.endsWith("Yearly") && (month < 1 || month > 12)) {
            throw invalid("A " + type + " recurrence pattern needs a month between 1 and 12.");
        }
        String rangeType = canonical(GraphJson.text(r, "type"), List.of("endDate", "noEnd", "numbered"));
        if (rangeType == null) {
            throw invalid("The recurrence range type '" + GraphJson.text(r, "type") + "' is not valid.");
        }
        LocalDate start = date(GraphJson.text(r, "startDate"));
        if (start == null || start.equals(NO_DATE)) {
            throw invalid("The recurrence range needs a startDate.");
        }
        LocalDate end = date(GraphJson.text(r, "endDate"));
        int count = r.path("numberOfOccurrences").asInt(0);
        if (rangeType.equals("endDate") && (end == null || end.isBefore(start))) {
            throw invalid("The recurrence range endDate must be on or after its startDate.");
        }
        if (rangeType.equals("numbered") && count < 1) {
            throw invalid("A numbered recurrence range needs numberOfOccurrences of at least 1.");
        }
        String tz = GraphJson.text(r, "recurrenceTimeZone");
        return new Recurrence(
                type,
                interval,
                List.copyOf(days),
                type.startsWith("absolute") ? dayOfMonth : 0,
                firstDay,
                index,
                type.endsWith("Yearly") ? month : 0,
                rangeType,
                start,
                rangeType.equals("endDate") ? end : null,
                rangeType.equals("numbered") ? count : 0,
                tz == null || tz.isBlank() ? eventTimeZone : tz);
    }

    /** As Graph writes it back: every field present, zeros and {@code 0001-01-01} for the unused ones. */
    ObjectNode toJson() {
        ObjectNode json = GraphJson.object();
        ObjectNode p = json.putObject("pattern");
        p.put("type", type);
        p.put("interval", interval);
        p.put("month", month);
        p.put("dayOfMonth", dayOfMonth);
        ArrayNode days = p.putArray("daysOfWeek");
        daysOfWeek.forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
        p.put("firstDayOfWeek", firstDayOfWeek.name().toLowerCase(Locale.ROOT));
        p.put("index", index);
        ObjectNode r = json.putObject("range");
        r.put("type", rangeType);
        r.put("startDate", startDate.toString());
        r.put("endDate", (endDate == null ? NO_DATE : endDate).toString());
        r.put("recurrenceTimeZone", recurrenceTimeZone);
        r.put("numberOfOccurrences", numberOfOccurrences);
        return json;
    }

    /** The occurrence dates in order, up to and including {@code until}. */
    List<LocalDate> dates(LocalDate until) {
        List<LocalDate> out = new ArrayList<>();
        LocalDate last = endDate == null || endDate.isAfter(until) ? until : endDate;
        int budget = MAX_DATES;
        switch (type) {
            case "daily" -> {
                for (LocalDate d = startDate; !d.isAfter(last) && budget-- > 0; d = d.plusDays(interval)) {
                    if (!add(out, d)) {
                        break;
                    }
                }
            }
            case "weekly" -> {
                LocalDate week = startDate.with(TemporalAdjusters.previousOrSame(firstDayOfWeek));
                weeks:
                for (; !week.isAfter(last) && budget-- > 0; week = week.plusWeeks(interval)) {
                    for (int i = 0; i < 7; i++) {
                        LocalDate d = week.plusDays(i);
                        if (d.isAfter(last)) {
                            break weeks;
                        }
                        if (!d.isBefore(startDate) && daysOfWeek.contains(d.getDayOfWeek()) && !add(out, d)) {
                            break weeks;
                        }
                    }
                }
            }
            case "absoluteMonthly", "relativeMonthly" -> {
                for (YearMonth ym = YearMonth.from(startDate);
                        !ym.atDay(1).isAfter(last) && budget-- > 0;
                        ym = ym.plusMonths(interval)) {
                    LocalDate d = type.equals("absoluteMonthly") ? clamp(ym, dayOfMonth) : nth(ym);
                    if (d != null && !d.isBefore(startDate) && !d.isAfter(last) && !add(out, d)) {
                        break;
                    }
                }
            }
            default -> { // yearly
                for (int year = startDate.getYear(); year <= last.getYear() && budget-- > 0; year += interval) {
                    YearMonth ym = YearMonth.of(year, month);
                    LocalDate d = type.equals("absoluteYearly") ? clamp(ym, dayOfMonth) : nth(ym);
                    if (d != null && !d.isBefore(startDate) && !d.isAfter(last) && !add(out, d)) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Adds a date; false once a numbered range is full. */
    private boolean add(List<LocalDate> out, LocalDate d) {
        if (rangeType.equals("numbered") && out.size() >= numberOfOccurrences) {
            return false;
        }
        out.add(d);
        return !(rangeType.equals("numbered") && out.size() >= numberOfOccurrences);
    }

    private static LocalDate clamp(YearMonth ym, int day) {
        return ym.atDay(Math.min(day, ym.lengthOfMonth()));
    }

    private LocalDate nth(YearMonth ym) {
        Set<DayOfWeek> set = EnumSet.copyOf(daysOfWeek);
        Predicate<LocalDate> matches = d -> set.contains(d.getDayOfWeek());
        List<LocalDate> candidates = new ArrayList<>();
        for (int i = 1; i <= ym.lengthOfMonth(); i++) {
            LocalDate d = ym.atDay(i);
            if (matches.test(d)) {
                candidates.add(d);
            }
        }
        int i = INDEXES.indexOf(index);
        if (index.equals("last")) {
            return candidates.getLast();
        }
        return i < candidates.size() ? candidates.get(i) : null;
    }

    private static String canonical(String value, List<String> allowed) {
        if (value == null) {
            return null;
        }
        return allowed.stream()
                .filter(a -> a.equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElse(null);
    }

    private static DayOfWeek day(String name) {
        if (name == null) {
            return null;
        }
        try {
            return DayOfWeek.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim().length() > 10 ? text.trim().substring(0, 10) : text.trim());
        } catch (DateTimeParseException e) {
            throw invalid("'" + text + "' is not a valid date.");
        }
    }

    private static GraphException invalid(String message) {
        return GraphException.validation(message);
    }
}
