package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.fortuna.ical4j.model.Recur;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the bounded expansion over random rules (every FREQ, BY parts, COUNT/UNTIL, zones with DST) and
 * random windows from 1900 to 2200: each answers within its budget, inside the window, sorted, without duplicates,
 * and agrees with ical4j's own unbounded expansion wherever that one finishes in time.
 *
 * <p>Seeded and reproducible: {@code -Drecurrence.seed=N} replays a run (the seed is in each test's name). Written
 * with plain JUnit dynamic tests, not jqwik, whose authors ask that coding agents not use it.
 */
class RecurrencePropertyTest {

    static final long SEED = Long.getLong("recurrence.seed", System.nanoTime());
    static final int CASES = Integer.getInteger("recurrence.cases", 400);
    static final Duration BUDGET = Duration.ofSeconds(2);
    static final List<ZoneId> ZONES = Stream.of(
                    "Europe/Berlin",
                    "America/New_York",
                    "Australia/Lord_Howe",
                    "UTC",
                    "Asia/Kolkata",
                    "America/Santiago")
            .map(ZoneId::of)
            .toList();
    static final String[] FREQS = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
    static final String[] DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static final ExecutorService REFERENCE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ical4j-reference");
        t.setDaemon(true); // an unbounded reference expansion that never ends must not keep the JVM alive
        return t;
    });

    @AfterAll
    static void stopReferences() {
        REFERENCE.shutdownNow();
    }

    record Case(String rule, ZonedDateTime seed, ZonedDateTime from, ZonedDateTime to, String freq) {
        @Override
        public String toString() {
            return rule + " from " + seed + " in [" + from + ", " + to + ")";
        }
    }

    @TestFactory
    Stream<DynamicTest> timedSeriesExpandBoundedSortedAndAsIcal4jDoes() {
        Random random = new Random(SEED);
        return IntStream.range(0, CASES)
                .mapToObj(i -> timedCase(random))
                .map(c -> DynamicTest.dynamicTest("seed " + SEED + ": " + c, () -> checkTimed(c)));
    }

    @TestFactory
    Stream<DynamicTest> allDaySeriesExpandBoundedSortedAndAsIcal4jDoes() {
        Random random = new Random(SEED + 1);
        return IntStream.range(0, CASES / 2)
                .mapToObj(i -> timedCase(random))
                .map(c -> DynamicTest.dynamicTest("seed " + (SEED + 1) + ": all-day " + c, () -> checkAllDay(c)));
    }

    static void checkTimed(Case c) throws Exception {
        List<ZonedDateTime> got = assertTimeoutPreemptively(
                BUDGET, () -> RecurrenceExpander.ruleStarts(c.rule(), c.seed(), c.from(), c.to()));
        if (RuleWindow.NOT_EXPANDED.contains(c.freq())) {
            assertThat(got).as("SECONDLY and MINUTELY are never expanded").isEmpty();
            return;
        }
        assertThat(got).hasSizeLessThanOrEqualTo(RecurrenceExpander.MAX_OCCURRENCES);
        List<Instant> instants = got.stream().map(ZonedDateTime::toInstant).toList();
        assertThat(instants).isSorted().doesNotHaveDuplicates();
        assertThat(instants)
                .allSatisfy(t ->
                        assertThat(t).isAfterOrEqualTo(c.from().toInstant()).isBeforeOrEqualTo(c.to().toInstant()))
                .allSatisfy(t -> assertThat(t).isAfterOrEqualTo(c.seed().toInstant()));
        List<Instant> reference = reference(() -> new Recur<ZonedDateTime>(c.rule())
                .getDates(c.seed(), c.from(), c.to(), RecurrenceExpander.MAX_OCCURRENCES).stream()
                        .map(ZonedDateTime::toInstant)
                        .toList());
        if (reference != null
                && reference.size() < RecurrenceExpander.MAX_OCCURRENCES
                && instants.size() < RecurrenceExpander.MAX_OCCURRENCES) {
            // On the day of a zone transition a local time may be missing or twice there, and each walk resolves it
            // its own way (ical4j keeps the offset of the previous occurrence): those instants are not compared.
            ZoneId zone = c.seed().getZone();
            assertThat(instants.stream()
                            .filter(t -> awayFromTransitions(t, zone))
                            .toList())
                    .as("as ical4j expands it from the series' start (seed %d): %s", SEED, c)
                    .isEqualTo(reference.stream()
                            .filter(t -> awayFromTransitions(t, zone))
                            .toList());
        }
    }

    static void checkAllDay(Case c) throws Exception {
        LocalDate seed = c.seed().toLocalDate();
        LocalDate from = c.from().toLocalDate();
        LocalDate to = c.to().toLocalDate();
        String rule = c.rule().replaceAll(";BY(HOUR|MINUTE|SECOND)=[^;]*", "");
        if (c.freq().equals("HOURLY")) {
            return; // an hourly rule has no meaning on dates
        }
        List<LocalDate> got =
                assertTimeoutPreemptively(BUDGET, () -> RecurrenceExpander.ruleDates(rule, seed, from, to));
        if (RuleWindow.NOT_EXPANDED.contains(c.freq())) {
            assertThat(got).isEmpty();
            return;
        }
        assertThat(got).isSorted().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(RecurrenceExpander.MAX_OCCURRENCES);
        assertThat(got).allSatisfy(d -> assertThat(d).isBetween(from, to).isAfterOrEqualTo(seed));
        List<LocalDate> reference = reference(
                () -> new Recur<LocalDate>(rule).getDates(seed, from, to, RecurrenceExpander.MAX_OCCURRENCES));
        if (reference != null
                && reference.size() < RecurrenceExpander.MAX_OCCURRENCES
                && got.size() < RecurrenceExpander.MAX_OCCURRENCES) {
            assertThat(got)
                    .as("as ical4j expands it from the series' start (seed %d): all-day %s", SEED + 1, c)
                    .isEqualTo(reference);
        }
    }

    /** True unless a UTC offset change of the zone lies within a day of {@code t}. */
    static boolean awayFromTransitions(Instant t, ZoneId zone) {
        var rules = zone.getRules();
        var next = rules.nextTransition(t.minus(Duration.ofHours(26)));
        return next == null || next.getInstant().isAfter(t.plus(Duration.ofHours(26)));
    }

    /** ical4j's own expansion, or null when it does not finish within the budget (the unbounded case). */
    static <T> T reference(java.util.concurrent.Callable<T> expansion) throws Exception {
        Future<T> f = REFERENCE.submit(expansion);
        try {
            return f.get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null; // ical4j fails on it too: nothing to compare
        }
    }

    static Case timedCase(Random r) {
        String freq = r.nextInt(10) == 0 ? FREQS[r.nextInt(2)] : FREQS[2 + r.nextInt(5)];
        ZoneId zone = ZONES.get(r.nextInt(ZONES.size()));
        ZonedDateTime seed = ZonedDateTime.of(
                1900 + r.nextInt(300),
                1 + r.nextInt(12),
                1 + r.nextInt(28),
                r.nextInt(24),
                r.nextInt(4) * 15,
                0,
                0,
                zone);
        if (r.nextInt(4) == 0) {
            seed = seed.withDayOfMonth(
                    Math.min(29 + r.nextInt(3), seed.toLocalDate().lengthOfMonth()));
        }
        ZonedDateTime from = r.nextBoolean()
                ? seed.plusDays(r.nextInt(40_000))
                : ZonedDateTime.of(1900 + r.nextInt(300), 1 + r.nextInt(12), 1, 0, 0, 0, 0, zone);
        ZonedDateTime to = from.plusDays(1 + r.nextInt(366));
        List<String> parts = new ArrayList<>();
        parts.add("FREQ=" + freq);
        if (r.nextInt(3) == 0) {
            parts.add("INTERVAL=" + (1 + r.nextInt(freq.equals("HOURLY") ? 30 : 5)));
        }
        switch (r.nextInt(4)) {
            case 0 -> parts.add("COUNT=" + (1 + r.nextInt(500)));
            case 1 -> parts.add("UNTIL=" + until(seed.plusDays(r.nextInt(30_000))));
            default -> {}
        }
        switch (freq) {
            case "WEEKLY" -> {
                if (r.nextBoolean()) {
                    parts.add("BYDAY=" + days(r));
                }
                if (r.nextInt(4) == 0) {
                    parts.add("WKST=" + DAYS[r.nextInt(7)]);
                }
            }
            case "MONTHLY" -> {
                switch (r.nextInt(4)) {
                    case 0 -> parts.add("BYMONTHDAY=" + (r.nextBoolean() ? 1 + r.nextInt(31) : -(1 + r.nextInt(5))));
                    case 1 -> parts.add("BYDAY=" + (1 + r.nextInt(4)) + DAYS[r.nextInt(7)]);
                    case 2 -> {
                        parts.add("BYDAY=" + days(r));
                        parts.add("BYSETPOS=" + (r.nextBoolean() ? "1" : "-1"));
                    }
                    default -> {}
                }
            }
            case "YEARLY" -> {
                switch (r.nextInt(4)) {
                    case 0 -> parts.add("BYMONTH=" + (1 + r.nextInt(12)));
                    case 1 -> {
                        parts.add("BYMONTH=" + (1 + r.nextInt(12)));
                        parts.add("BYDAY=" + (r.nextBoolean() ? "1" : "-1") + DAYS[r.nextInt(7)]);
                    }
                    case 2 -> parts.add("BYYEARDAY=" + (1 + r.nextInt(365)));
                    default -> {}
                }
            }
            case "DAILY" -> {
                if (r.nextInt(3) == 0) {
                    parts.add("BYDAY=" + days(r));
                }
                if (r.nextInt(4) == 0) {
                    parts.add("BYMONTH=" + (1 + r.nextInt(12)));
                }
            }
            case "HOURLY" -> {
                if (r.nextInt(3) == 0) {
                    parts.add("BYHOUR=" + r.nextInt(24) + "," + r.nextInt(24));
                }
            }
            default -> {}
        }
        if (!freq.equals("HOURLY") && !RuleWindow.NOT_EXPANDED.contains(freq) && r.nextInt(4) == 0) {
            parts.add("BYHOUR=" + r.nextInt(24));
        }
        return new Case(String.join(";", parts), seed, from, to, freq);
    }

    static String days(Random r) {
        List<String> picked = new ArrayList<>();
        for (String d : DAYS) {
            if (r.nextInt(3) == 0) {
                picked.add(d);
            }
        }
        return picked.isEmpty() ? DAYS[r.nextInt(7)] : String.join(",", picked);
    }

    static String until(ZonedDateTime t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(t.withZoneSameInstant(java.time.ZoneOffset.UTC));
    }
}
