package io.calsync.gateway.application;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "This and following": a series cut at one of its occurrences into the part before it and a new series from it,
 * the way Google and Outlook do it. The old rule ends just before the occurrence ({@code UNTIL} one second before it,
 * in UTC, for a timed series; the day before it, as a date, for an all-day series, as RFC 5545 requires UNTIL to have
 * DTSTART's value type); a {@code COUNT} moves to the new series as what is left of it. The other recurrence lines
 * (EXDATE, RDATE) go to the part they fall in.
 */
public final class SeriesSplit {

    private static final DateTimeFormatter UNTIL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UNTIL_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private SeriesSplit() {}

    /** The two rules: {@code newRule} is null when nothing of the series is left after the cut. */
    public record Rules(String oldRule, String newRule) {}

    /**
     * @param rule the series' RRULE value (without {@code RRULE:})
     * @param allDay whether the series is on dates
     * @param at the occurrence cut at (its original start; for all-day series the UTC midnight of its date)
     * @param before how many occurrences the rule generated before {@code at} (COUNT counts those, EXDATEs or not)
     */
    public static Rules at(String rule, boolean allDay, Instant at, int before) {
        List<String> kept = new ArrayList<>();
        Integer count = null;
        String until = null;
        for (String part : rule.split(";")) {
            String upper = part.toUpperCase(Locale.ROOT);
            if (upper.startsWith("COUNT=")) {
                count = Integer.parseInt(part.substring(6).strip());
            } else if (upper.startsWith("UNTIL=")) {
                until = part.substring(6).strip();
            } else if (!part.isBlank()) {
                kept.add(part.strip());
            }
        }
        String end = allDay
                ? UNTIL_DATE.format(LocalDate.ofInstant(at, ZoneOffset.UTC).minusDays(1))
                : UNTIL_TIME.format(at.minusSeconds(1));
        String oldRule = String.join(";", kept) + ";UNTIL=" + end;
        String newRule;
        if (count != null) {
            int left = count - before;
            newRule = left > 0 ? String.join(";", kept) + ";COUNT=" + left : null;
        } else if (until != null) {
            newRule = String.join(";", kept) + ";UNTIL=" + until;
        } else {
            newRule = String.join(";", kept);
        }
        return new Rules(oldRule, newRule);
    }

    /**
     * The series' other recurrence lines split at {@code at}: EXDATEs and RDATEs before it stay with the old series,
     * the others go to the new one; each side's RRULE line is its own.
     */
    public static List<List<String>> lines(List<String> lines, Rules rules, Instant at, boolean allDay, String zone) {
        List<String> old = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        old.add("RRULE:" + rules.oldRule());
        if (rules.newRule() != null) {
            fresh.add("RRULE:" + rules.newRule());
        }
        for (String line : lines == null ? List.<String>of() : lines) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("RRULE")) {
                continue;
            }
            boolean after = RecurrenceExpander.dates(line, RecurrenceExpander.zone(allDay ? null : zone)).stream()
                    .anyMatch(d -> !d.isBefore(at));
            (after ? fresh : old).add(line);
        }
        return List.of(old, fresh);
    }

    /** How many occurrences the rule alone (COUNT counts them, EXDATEs or not) generates before {@code at}. */
    public static int before(
            String rule, Instant seriesStart, boolean allDay, LocalDate seriesStartDate, String zone, Instant at) {
        if (allDay) {
            LocalDate first =
                    seriesStartDate != null ? seriesStartDate : LocalDate.ofInstant(seriesStart, ZoneOffset.UTC);
            LocalDate cut = LocalDate.ofInstant(at, ZoneOffset.UTC);
            return (int) RecurrenceExpander.ruleDates(rule, first, first, cut).stream()
                    .filter(d -> d.isBefore(cut))
                    .count();
        }
        java.time.ZonedDateTime seed = seriesStart.atZone(RecurrenceExpander.zone(zone));
        return (int) RecurrenceExpander.ruleStarts(rule, seed, seed, at.atZone(seed.getZone())).stream()
                .filter(z -> z.toInstant().isBefore(at))
                .count();
    }
}
