package io.calsync.gateway.application;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.fortuna.ical4j.model.Recur;
import org.springframework.stereotype.Component;

/**
 * Expands a series into the starts of its occurrences inside a window, with ical4j: the RRULE in the series' own
 * zone (so 09:00 stays 09:00 across DST), plus RDATEs, minus EXDATEs and the given exclusions (overrides and
 * cancelled occurrences, which have rows of their own). All-day series expand on dates.
 */
@Component
public class RecurrenceExpander {

    /** Hard cap on occurrences produced for one series in one window (a window is at most 366 days). */
    public static final int MAX_OCCURRENCES = 5_000;

    private static final DateTimeFormatter BASIC_LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    /** One occurrence: its start and end instants and, for all-day series, its dates. */
    public record Occurrence(Instant start, Instant end, LocalDate startDate, LocalDate endDate) {}

    /**
     * @param rule the RRULE value (with or without the {@code RRULE:} prefix)
     * @param lines the series' other recurrence lines ({@code EXDATE...}, {@code RDATE...})
     * @param excludedStarts original starts that have rows of their own (instants, or UTC midnights of dates)
     */
    public List<Occurrence> expand(
            String rule,
            List<String> lines,
            Instant seriesStart,
            Instant seriesEnd,
            boolean allDay,
            LocalDate seriesStartDate,
            LocalDate seriesEndDate,
            String timezone,
            Instant windowStart,
            Instant windowEnd,
            Set<Instant> excludedStarts) {
        String value = rule.regionMatches(true, 0, "RRULE:", 0, 6) ? rule.substring(6) : rule;
        ZoneId zone = zone(timezone);
        Set<Instant> exdates = new TreeSet<>(excludedStarts);
        List<Instant> rdates = new ArrayList<>();
        for (String line : lines == null ? List.<String>of() : lines) {
            String upper = line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("EXDATE")) {
                exdates.addAll(dates(line, zone));
            } else if (upper.startsWith("RDATE")) {
                rdates.addAll(dates(line, zone));
            }
        }
        List<Occurrence> out = new ArrayList<>();
        if (allDay) {
            LocalDate first =
                    seriesStartDate != null ? seriesStartDate : LocalDate.ofInstant(seriesStart, ZoneOffset.UTC);
            long days = seriesEndDate != null ? seriesEndDate.toEpochDay() - first.toEpochDay() : 1;
            LocalDate from = LocalDate.ofInstant(windowStart, ZoneOffset.UTC).minusDays(Math.max(days, 1));
            LocalDate to = LocalDate.ofInstant(windowEnd, ZoneOffset.UTC).plusDays(1);
            TreeSet<LocalDate> starts = new TreeSet<>(ruleDates(value, first, from, to));
            starts.add(first);
            rdates.forEach(r -> starts.add(LocalDate.ofInstant(r, ZoneOffset.UTC)));
            for (LocalDate d : starts) {
                Instant s = d.atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant e = d.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
                if (d.isBefore(first) || exdates.contains(s) || !s.isBefore(windowEnd) || !e.isAfter(windowStart)) {
                    continue;
                }
                out.add(new Occurrence(s, e, d, d.plusDays(days)));
            }
            return out;
        }
        Duration duration = Duration.between(seriesStart, seriesEnd);
        ZonedDateTime seed = seriesStart.atZone(zone);
        ZonedDateTime from = windowStart.minus(duration).atZone(zone);
        ZonedDateTime to = windowEnd.atZone(zone);
        TreeSet<Instant> starts = new TreeSet<>();
        for (ZonedDateTime z : ruleStarts(value, seed, from, to)) {
            starts.add(z.toInstant());
        }
        // RFC 5545: DTSTART is always the first occurrence, even where the rule would not produce it.
        starts.add(seriesStart);
        starts.addAll(rdates);
        for (Instant s : starts) {
            Instant e = s.plus(duration);
            if (s.isBefore(seriesStart) || exdates.contains(s) || !s.isBefore(windowEnd) || !e.isAfter(windowStart)) {
                continue;
            }
            out.add(new Occurrence(s, e, null, null));
        }
        return out;
    }

    /**
     * What the rule alone produces from the seed inside {@code [from, to]}, in the seed's zone (DST-correct). The
     * expansion starts near {@code from} ({@link RuleWindow}), never walks from a distant seed, and stops at
     * {@link #MAX_OCCURRENCES}; SECONDLY and MINUTELY rules produce nothing.
     */
    public static List<ZonedDateTime> ruleStarts(
            String rule, ZonedDateTime seed, ZonedDateTime from, ZonedDateTime to) {
        if (!RuleWindow.expandable(RuleWindow.parts(rule)) || !to.isAfter(seed)) {
            return List.of();
        }
        RuleWindow.Start<ZonedDateTime> start = RuleWindow.timed(rule, seed, from);
        return new Recur<ZonedDateTime>(start.rule()).getDates(start.seed(), from, to, MAX_OCCURRENCES);
    }

    /** What the rule alone produces for an all-day seed inside {@code [from, to]}; bounded as {@link #ruleStarts}. */
    public static List<LocalDate> ruleDates(String rule, LocalDate seed, LocalDate from, LocalDate to) {
        if (!RuleWindow.expandable(RuleWindow.parts(rule)) || !to.isAfter(seed)) {
            return List.of();
        }
        RuleWindow.Start<LocalDate> start = RuleWindow.allDay(rule, seed, from);
        return new Recur<LocalDate>(start.rule()).getDates(start.seed(), from, to, MAX_OCCURRENCES);
    }

    static ZoneId zone(String timezone) {
        try {
            return timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** The instants of an EXDATE/RDATE line: {@code EXDATE;TZID=Europe/Berlin:20261201T100000,...}, UTC or DATE values. */
    static List<Instant> dates(String line, ZoneId defaultZone) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return List.of();
        }
        String params = line.substring(0, colon).toUpperCase(java.util.Locale.ROOT);
        ZoneId zone = defaultZone;
        int tz = line.substring(0, colon).toUpperCase(java.util.Locale.ROOT).indexOf("TZID=");
        if (tz >= 0) {
            String id = line.substring(tz + 5, colon).split(";")[0].replace("\"", "");
            zone = zone(id);
        }
        List<Instant> out = new ArrayList<>();
        for (String v : line.substring(colon + 1).split(",")) {
            String value = v.trim();
            try {
                if (params.contains("VALUE=DATE") && !params.contains("VALUE=DATE-TIME") || value.length() == 8) {
                    out.add(LocalDate.parse(value, DateTimeFormatter.BASIC_ISO_DATE)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant());
                } else if (value.endsWith("Z")) {
                    out.add(LocalDateTime.parse(value.substring(0, value.length() - 1), BASIC_LOCAL)
                            .toInstant(ZoneOffset.UTC));
                } else {
                    out.add(LocalDateTime.parse(value, BASIC_LOCAL).atZone(zone).toInstant());
                }
            } catch (RuntimeException ignored) {
                // a malformed value excludes nothing; the sync engine stored the line as the provider sent it
            }
        }
        return out;
    }
}
