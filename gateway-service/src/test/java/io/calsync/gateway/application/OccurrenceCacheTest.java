package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The cache answers exactly what a direct expansion of the same window answers, for any window (across bucket edges,
 * spanning many buckets, inside one), with exclusions, and a new version of a series is expanded afresh.
 */
class OccurrenceCacheTest {

    static final long SEED = Long.getLong("recurrence.seed", System.nanoTime());
    final RecurrenceExpander expander = new RecurrenceExpander();
    final OccurrenceCache cache = new OccurrenceCache(expander, new SimpleMeterRegistry());

    static OccurrenceCache.Series timed(String rule, List<String> lines, String start, Duration length, String zone) {
        Instant s = Instant.parse(start);
        return new OccurrenceCache.Series(
                UUID.randomUUID(), 1, rule, lines, s, s.plus(length), false, null, null, zone);
    }

    static OccurrenceCache.Series allDay(String rule, String startDate, int days) {
        LocalDate d = LocalDate.parse(startDate);
        return new OccurrenceCache.Series(
                UUID.randomUUID(),
                1,
                rule,
                List.of(),
                d.atStartOfDay(ZoneOffset.UTC).toInstant(),
                d.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant(),
                true,
                d,
                d.plusDays(days),
                null);
    }

    List<RecurrenceExpander.Occurrence> direct(OccurrenceCache.Series s, Instant from, Instant to, Set<Instant> ex) {
        List<RecurrenceExpander.Occurrence> out = new ArrayList<>(expander.expand(
                s.rule(),
                s.lines(),
                s.start(),
                s.end(),
                s.allDay(),
                s.startDate(),
                s.endDate(),
                s.timezone(),
                from,
                to,
                ex));
        out.sort(Comparator.comparing(RecurrenceExpander.Occurrence::start));
        return out;
    }

    @TestFactory
    Stream<DynamicTest> anyWindowAnswersAsADirectExpansion() {
        List<OccurrenceCache.Series> series = List.of(
                timed(
                        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                        List.of(),
                        "2025-01-06T08:00:00Z",
                        Duration.ofMinutes(30),
                        "Europe/Berlin"),
                timed(
                        "FREQ=DAILY;COUNT=40",
                        List.of("EXDATE;TZID=America/New_York:20250310T090000"),
                        "2025-03-01T14:00:00Z",
                        Duration.ofHours(1),
                        "America/New_York"),
                timed("FREQ=MONTHLY;BYMONTHDAY=31", List.of(), "2025-01-31T10:00:00Z", Duration.ofHours(2), "UTC"),
                timed(
                        "FREQ=HOURLY;INTERVAL=7;UNTIL=20250601T000000Z",
                        List.of(),
                        "2025-04-01T00:30:00Z",
                        Duration.ofMinutes(90),
                        "Asia/Kolkata"),
                // a week-long occurrence crosses bucket edges
                timed(
                        "FREQ=WEEKLY;INTERVAL=2",
                        List.of("RDATE:20250704T090000Z"),
                        "2025-01-01T09:00:00Z",
                        Duration.ofDays(6),
                        "UTC"),
                allDay("FREQ=YEARLY", "2024-02-29", 1),
                allDay("FREQ=WEEKLY;BYDAY=SA", "2025-01-04", 2));
        Random r = new Random(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            OccurrenceCache.Series s = series.get(i % series.size());
            Instant from = Instant.parse("2024-12-01T00:00:00Z").plusSeconds(r.nextInt(400 * 86_400));
            Instant to = from.plusSeconds(1 + r.nextInt(i % 3 == 0 ? 366 * 86_400 : 40 * 86_400));
            tests.add(DynamicTest.dynamicTest("seed " + SEED + " case " + i + " " + s.rule(), () -> {
                List<RecurrenceExpander.Occurrence> all = direct(s, from, to, Set.of());
                Set<Instant> excluded = new HashSet<>();
                for (int k = 0; k < all.size(); k += 3) {
                    excluded.add(all.get(k).start());
                }
                List<RecurrenceExpander.Occurrence> cached = new ArrayList<>(cache.expand(s, from, to, excluded));
                cached.sort(Comparator.comparing(RecurrenceExpander.Occurrence::start));
                assertThat(cached).isEqualTo(direct(s, from, to, excluded));
                // and again, now from the cache
                assertThat(cache.expand(s, from, to, Set.of())).containsExactlyInAnyOrderElementsOf(all);
            }));
        }
        return tests.stream();
    }

    @Test
    void aNewVersionOfASeriesIsExpandedAfresh() {
        OccurrenceCache.Series v1 = timed("FREQ=DAILY", List.of(), "2025-05-01T09:00:00Z", Duration.ofHours(1), "UTC");
        Instant from = Instant.parse("2025-05-10T00:00:00Z");
        Instant to = Instant.parse("2025-05-12T00:00:00Z");
        assertThat(cache.expand(v1, from, to, Set.of())).hasSize(2);
        OccurrenceCache.Series v2 = new OccurrenceCache.Series(
                v1.id(),
                2,
                "FREQ=DAILY;UNTIL=20250510T235959Z",
                v1.lines(),
                v1.start(),
                v1.end(),
                false,
                null,
                null,
                "UTC");
        assertThat(cache.expand(v2, from, to, Set.of())).hasSize(1);
    }

    @Test
    void aSeriesOfRdatesAloneExpandsToItsStartAndItsRdates() {
        OccurrenceCache.Series s = timed(
                "FREQ=DAILY;COUNT=1",
                List.of("RDATE:20261110T090000Z,20261125T150000Z"),
                "2026-11-02T09:00:00Z",
                Duration.ofHours(1),
                "UTC");
        assertThat(cache
                        .expand(
                                s,
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2026-12-01T00:00:00Z"),
                                Set.of())
                        .stream()
                        .map(RecurrenceExpander.Occurrence::start)
                        .sorted()
                        .toList())
                .containsExactly(
                        Instant.parse("2026-11-02T09:00:00Z"),
                        Instant.parse("2026-11-10T09:00:00Z"),
                        Instant.parse("2026-11-25T15:00:00Z"));
    }
}
