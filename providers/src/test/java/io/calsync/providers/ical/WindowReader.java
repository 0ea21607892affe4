package io.calsync.providers.ical;

import io.calsync.model.domain.EventStatus;
import io.calsync.providers.port.ProviderEvent;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.fortuna.ical4j.model.Recur;

/**
 * What {@code GET /events?start&end} would show of mapped feed events, read the way the gateway's
 * {@code RecurrenceExpander} reads the stored rows: a master's RRULE in its {@code timezone} (UTC when null), plus
 * its RDATE lines, minus its EXDATE lines and the original starts of its instances; instances and singles as they
 * are; cancelled ones hidden. Only the lines are used, never the feed's VTIMEZONEs: this is how the tests prove the
 * lines carry everything the expansion needs. (A copy of the gateway's rules, kept small; sync-service cannot
 * depend on the gateway.)
 */
final class WindowReader {

    /** One shown occurrence. */
    record Shown(String title, Instant start, Instant end, ProviderEvent from) {}

    private WindowReader() {}

    static List<Shown> read(List<ProviderEvent> events, Instant windowStart, Instant windowEnd) {
        Set<String> excludedKeys = new HashSet<>();
        for (ProviderEvent e : events) {
            if (e.isInstance()) {
                excludedKeys.add(e.providerRecurringId() + "@" + e.originalStartTime());
            }
        }
        List<Shown> shown = new ArrayList<>();
        for (ProviderEvent e : events) {
            if (e.status() == EventStatus.CANCELLED) {
                continue;
            }
            if (e.recurrenceRule() == null || e.isInstance()) {
                if (e.startTime().isBefore(windowEnd) && overlapsStart(e.startTime(), e.endTime(), windowStart)) {
                    shown.add(new Shown(e.title(), e.startTime(), e.endTime(), e));
                }
                continue;
            }
            for (Instant s : starts(e, windowStart, windowEnd)) {
                if (excludedKeys.contains(e.providerEventId() + "@" + s)) {
                    continue;
                }
                Instant end = s.plus(Duration.between(e.startTime(), e.endTime()));
                if (s.isBefore(windowEnd) && overlapsStart(s, end, windowStart)) {
                    shown.add(new Shown(e.title(), s, end, e));
                }
            }
        }
        shown.sort(java.util.Comparator.comparing(Shown::start));
        return shown;
    }

    /** An event ending after the window starts; a zero-length one at or after the window start. */
    private static boolean overlapsStart(Instant start, Instant end, Instant windowStart) {
        return end.isAfter(windowStart) || (end.equals(start) && !start.isBefore(windowStart));
    }

    private static TreeSet<Instant> starts(ProviderEvent master, Instant windowStart, Instant windowEnd) {
        TreeSet<Instant> starts = new TreeSet<>();
        TreeSet<Instant> exdates = new TreeSet<>();
        for (String line : master.recurrence()) {
            boolean ex = line.startsWith("EXDATE");
            if (!ex && !line.startsWith("RDATE")) {
                continue;
            }
            for (String v : line.substring(line.indexOf(':') + 1).split(",")) {
                Instant i = v.length() == 8
                        ? LocalDate.parse(v, IcsTimes.DATE_BASIC)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                        : Instant.from(IcsTimes.UTC_BASIC.parse(v));
                (ex ? exdates : starts).add(i);
            }
        }
        Duration length = Duration.between(master.startTime(), master.endTime());
        if (master.allDay()) {
            LocalDate seed = master.startDate();
            LocalDate from = LocalDate.ofInstant(windowStart.minus(length), ZoneOffset.UTC)
                    .minusDays(1);
            LocalDate to = LocalDate.ofInstant(windowEnd, ZoneOffset.UTC).plusDays(1);
            new Recur<LocalDate>(master.recurrenceRule())
                    .getDates(seed, from, to, 5_000)
                    .forEach(d -> starts.add(d.atStartOfDay(ZoneOffset.UTC).toInstant()));
        } else {
            ZoneId zone = zone(master.timezone());
            ZonedDateTime seed = master.startTime().atZone(zone);
            new Recur<ZonedDateTime>(master.recurrenceRule())
                    .getDates(seed, windowStart.minus(length).atZone(zone), windowEnd.atZone(zone), 5_000)
                    .forEach(z -> starts.add(z.toInstant()));
        }
        starts.add(master.startTime()); // RFC 5545: DTSTART is always the first occurrence
        starts.removeAll(exdates);
        starts.removeIf(s -> s.isBefore(master.startTime()));
        return starts;
    }

    private static ZoneId zone(String timezone) {
        try {
            return timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
