package io.calsync.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The occurrences of series, expanded once per 32-day bucket and kept while the series does not change: a frontend
 * reads the same weeks again and again (every tab, every refresh, free/busy beside the calendar view), and expanding a
 * rule with ical4j costs more than reading its row. A bucket is keyed by the series' id and version (every stored
 * change of the row bumps it, so a changed series is expanded afresh) and holds the occurrences overlapping it, with no
 * exclusions: overrides and cancelled occurrences (rows of their own) are taken out per answer, since they change
 * without the master changing.
 *
 * <p>Bounded by the number of occurrences held ({@code 1,000,000}, some 100 MB) and by half an hour without use.
 */
@Component
public class OccurrenceCache {

    static final Duration BUCKET = Duration.ofDays(32);
    private static final long BUCKET_SECONDS = BUCKET.toSeconds();

    private record Key(UUID seriesId, long version, long bucket) {}

    private final RecurrenceExpander expander;
    private final Cache<Key, List<RecurrenceExpander.Occurrence>> cache;

    public OccurrenceCache(RecurrenceExpander expander, MeterRegistry meters) {
        this.expander = expander;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(1_000_000)
                .weigher((Key k, List<RecurrenceExpander.Occurrence> v) -> v.size() + 1)
                .expireAfterAccess(Duration.ofMinutes(30))
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "occurrences");
    }

    /** What a series is: its id, version and the fields the expansion reads. */
    public record Series(
            UUID id,
            long version,
            String rule,
            List<String> lines,
            Instant start,
            Instant end,
            boolean allDay,
            LocalDate startDate,
            LocalDate endDate,
            String timezone) {}

    /**
     * The occurrences of the series overlapping {@code [from, to)}, ordered by start, without those whose original
     * start is in {@code excluded}. Throws what the expander throws for a rule it cannot read (nothing is cached then).
     */
    public List<RecurrenceExpander.Occurrence> expand(Series s, Instant from, Instant to, Set<Instant> excluded) {
        long first = Math.floorDiv(from.getEpochSecond(), BUCKET_SECONDS);
        long last = Math.floorDiv(to.getEpochSecond() - 1, BUCKET_SECONDS);
        List<RecurrenceExpander.Occurrence> out = new ArrayList<>();
        for (long b = first; b <= last; b++) {
            Instant bucketStart = Instant.ofEpochSecond(b * BUCKET_SECONDS);
            Instant bucketEnd = bucketStart.plusSeconds(BUCKET_SECONDS);
            List<RecurrenceExpander.Occurrence> bucket = cache.get(
                    new Key(s.id(), s.version(), b),
                    k -> List.copyOf(expander.expand(
                            s.rule(),
                            s.lines(),
                            s.start(),
                            s.end(),
                            s.allDay(),
                            s.startDate(),
                            s.endDate(),
                            s.timezone(),
                            bucketStart,
                            bucketEnd,
                            Set.of())));
            for (RecurrenceExpander.Occurrence o : bucket) {
                // An occurrence that overlaps two buckets is in both: it counts in the first bucket asked, or in the
                // bucket it starts in.
                boolean counted = b == first || !o.start().isBefore(bucketStart);
                if (counted && o.start().isBefore(to) && o.end().isAfter(from) && !excluded.contains(o.start())) {
                    out.add(o);
                }
            }
        }
        return out;
    }
}
