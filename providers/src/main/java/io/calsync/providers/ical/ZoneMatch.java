package io.calsync.providers.ical;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IANA zone that keeps the same time as a feed's own VTIMEZONE. Outlook and other exporters name their zones as
 * they like ("Eastern Standard Time", "GMT -0500 (Standard) / GMT -0400 (Daylight)", "Customized Time Zone"); ical4j
 * reads the times right with the definition, but a series must recur in a zone the expander knows, or it would drift
 * by an hour across every DST change. A zone matches when its UTC offset equals the definition's at every hour from
 * the start of last year to the end of the third year from now (so DST rules and their days are compared, not one
 * offset). Among several that match, a well-known one is preferred (the first of {@link #PREFERRED}), else the first
 * by name.
 *
 * <p>Definitions that match no IANA zone (a made-up rule) keep their instants, and the series then recurs in UTC.
 * Results are remembered per offset pattern, so each pattern is matched once per process.
 */
final class ZoneMatch {

    static final List<String> PREFERRED = List.of(
            "UTC",
            "Europe/London",
            "Europe/Berlin",
            "Europe/Paris",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Phoenix",
            "America/Los_Angeles",
            "America/Sao_Paulo",
            "Asia/Tokyo",
            "Asia/Kolkata",
            "Asia/Shanghai",
            "Australia/Sydney");

    private static final Map<String, Optional<String>> KNOWN = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN = 1000;
    /** By zone id (ical4j's ids are unique per parse), so that a feed's thousand events compare their zone once. */
    private static final Map<String, Optional<String>> BY_ZONE =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
                    return size() > MAX_KNOWN;
                }
            });

    private ZoneMatch() {}

    /** The IANA zone matching the zone a value was read in, or empty; remembered per zone id. */
    static Optional<String> iana(ZoneId zone, Instant now) {
        Optional<String> known = BY_ZONE.get(zone.getId());
        if (known == null) {
            known = iana(zone.getRules(), now);
            BY_ZONE.put(zone.getId(), known);
        }
        return known;
    }

    /** The matching IANA zone's id, or empty. */
    static Optional<String> iana(ZoneRules rules, Instant now) {
        List<Instant> samples = samples(now);
        StringBuilder key = new StringBuilder();
        int[] offsets = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            offsets[i] = rules.getOffset(samples.get(i)).getTotalSeconds();
            if (i == 0 || offsets[i] != offsets[i - 1]) {
                key.append(i).append(':').append(offsets[i]).append(';');
            }
        }
        Optional<String> known = KNOWN.get(key.toString());
        if (known != null) {
            return known;
        }
        Optional<String> found = search(offsets, samples);
        if (KNOWN.size() < MAX_KNOWN) {
            KNOWN.put(key.toString(), found);
        }
        return found;
    }

    private static Optional<String> search(int[] offsets, List<Instant> samples) {
        List<String> candidates = new ArrayList<>(PREFERRED);
        candidates.addAll(new TreeSet<>(ZoneId.getAvailableZoneIds()));
        for (String id : candidates) {
            if (!id.contains("/") && !id.equals("UTC")) {
                continue; // EST5EDT, CET and the like: aliases, not places
            }
            ZoneRules r;
            try {
                r = ZoneId.of(id).getRules();
            } catch (RuntimeException e) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < samples.size() && same; i++) {
                same = r.getOffset(samples.get(i)).getTotalSeconds() == offsets[i];
            }
            if (same) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** Every hour from the start of last year to the end of the third year from now. */
    private static List<Instant> samples(Instant now) {
        int year = now.atOffset(ZoneOffset.UTC).getYear();
        Instant from = java.time.LocalDate.of(year - 1, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant to = java.time.LocalDate.of(year + 4, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        List<Instant> out = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(3600)) {
            out.add(t);
        }
        return out;
    }
}
