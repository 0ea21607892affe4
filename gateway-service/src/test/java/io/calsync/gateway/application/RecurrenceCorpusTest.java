package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RRULE engine behind the range query against the instance tables of libical and ical.net in the shared corpus
 * ({@code ics/EXPECTED.md}): for each case, the rule expanded from its DTSTART must give exactly the listed
 * instances (a prefix, for endless rules). Rules the upstream suites reject must be refused by our validator, or, where
 * they only fail upstream on evaluation past year 9999, expand safely inside a bounded window.
 *
 * <p>A few cases where ical4j 4.4 (the engine) disagrees with the upstream libraries are listed in
 * {@code rrule-known-deviations.txt}. Those must still disagree: the list can only shrink, and a fixed engine makes
 * this test say which lines to remove.
 */
class RecurrenceCorpusTest {

    record Case(
            String source,
            String comment,
            String rule,
            String dtstart,
            String startAt,
            List<String> instances,
            String exception) {
        @Override
        public String toString() {
            return source + ": " + (comment == null ? rule : comment);
        }
    }

    static Path corpus() {
        return Corpus.root();
    }

    static List<Case> parse(String source) throws IOException {
        List<Case> cases = new ArrayList<>();
        String comment = null, rule = null, dtstart = null, startAt = null, exception = null;
        List<String> instances = null;
        List<String> lines =
                new ArrayList<>(Files.readAllLines(corpus().resolve("ics").resolve(source), StandardCharsets.UTF_8));
        lines.add("");
        for (String raw : lines) {
            String line = raw.replace("\uFEFF", "").strip();
            if (line.isEmpty()) {
                if (rule != null && (instances != null || exception != null)) {
                    cases.add(new Case(source, comment, rule, dtstart, startAt, instances, exception));
                }
                comment = rule = dtstart = startAt = exception = null;
                instances = null;
            } else if (line.startsWith("#")) {
                comment = line.substring(1).strip();
            } else if (line.startsWith("RRULE:")) {
                rule = line.substring(6);
            } else if (line.startsWith("DTSTART:")) {
                dtstart = line.substring(8);
            } else if (line.startsWith("START-AT:")) {
                startAt = line.substring(9);
            } else if (line.startsWith("INSTANCES:")) {
                String v = line.substring(10).strip();
                instances = v.isEmpty() ? List.of() : List.of(v.split(","));
            } else if (line.startsWith("EXCEPTION:")) {
                exception = line.substring(10);
            }
        }
        return cases;
    }

    static Stream<Case> cases() throws IOException {
        // libical marks rules it does not implement itself with "*** UNIMPLEMENTED": no oracle there.
        return Stream.concat(
                        parse("libical/icalrecur_test.txt").stream(),
                        parse("ical.net/RecurrenceTestCases.txt").stream())
                .filter(c -> c.exception() != null || c.dtstart() != null)
                .filter(c -> c.instances() == null || c.instances().stream().noneMatch(i -> i.startsWith("***")));
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final java.util.Set<String> KNOWN_DEVIATIONS = knownDeviations();

    static String key(Case c) {
        return c.source() + " | " + c.rule() + " | " + c.dtstart() + (c.startAt() == null ? "" : " | " + c.startAt());
    }

    private static java.util.Set<String> knownDeviations() {
        try (var in = RecurrenceCorpusTest.class.getResourceAsStream("/rrule-known-deviations.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("rrule-known-deviations.txt is missing from the test resources", e);
        }
    }

    private static void assertInstances(Case c, List<String> got, List<String> expected) {
        if (KNOWN_DEVIATIONS.contains(key(c))) {
            assertThat(got)
                    .as(
                            "ical4j now agrees with %s here: remove this line from rrule-known-deviations.txt: %s",
                            c.source(), key(c))
                    .isNotEqualTo(expected);
        } else {
            assertThat(got).as(key(c)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRuleGivesTheListedInstances(Case c) {
        try {
            check(c);
        } catch (RuntimeException e) {
            if (KNOWN_DEVIATIONS.contains(key(c))) {
                return; // ical4j refuses this combination outright: still a known deviation
            }
            record(c);
            throw e;
        } catch (AssertionError e) {
            record(c);
            throw e;
        }
    }

    private static void record(Case c) {
        {
            if (System.getProperty("rrule.record") != null) {
                try {
                    Files.writeString(
                            Path.of(System.getProperty("rrule.record")),
                            key(c) + "\n",
                            StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException io) {
                    throw new java.io.UncheckedIOException(io);
                }
            }
        }
    }

    private void check(Case c) {
        if (c.exception() != null) {
            EventValidator v = new EventValidator();
            v.rule(c.rule());
            if (catchProblems(v)) {
                return; // refused before it is stored: the frontend gets a 422 naming recurrenceRule
            }
            // Accepted rules that fail upstream only when evaluated without bounds or past year 9999: the range
            // query always evaluates inside a window of at most 366 days, and must do so without an exception.
            ZonedDateTime seed = c.dtstart() == null
                    ? ZonedDateTime.parse("2024-01-01T09:00:00Z")
                    : LocalDateTime.parse(
                                    c.dtstart().length() == 8
                                            ? c.dtstart() + "T000000"
                                            : c.dtstart().replace("Z", ""),
                                    LOCAL)
                            .atZone(ZoneOffset.UTC);
            assertThat(RecurrenceExpander.ruleStarts(c.rule(), seed, seed.minusSeconds(1), seed.plusDays(366)))
                    .as(key(c))
                    .hasSizeLessThanOrEqualTo(RecurrenceExpander.MAX_OCCURRENCES);
            return;
        }
        if (!RuleWindow.expandable(RuleWindow.parts(c.rule()))) {
            // The contract's Tightenings: SECONDLY and MINUTELY rules are stored but never expanded.
            ZonedDateTime seed = ZonedDateTime.parse("2024-01-01T09:00:00Z");
            assertThat(RecurrenceExpander.ruleStarts(c.rule(), seed, seed.minusSeconds(1), seed.plusDays(366)))
                    .as(key(c))
                    .isEmpty();
            return;
        }
        List<String> expected = c.instances().stream()
                .map(s -> s.endsWith("Z") ? s.substring(0, s.length() - 1) : s)
                .toList();
        if (c.dtstart().length() == 8) {
            LocalDate seed = LocalDate.parse(c.dtstart(), DateTimeFormatter.BASIC_ISO_DATE);
            LocalDate from = c.startAt() == null
                    ? seed
                    : LocalDate.parse(c.startAt().substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
            LocalDate to = expected.isEmpty()
                    ? seed.plusYears(5)
                    : LocalDate.parse(expected.getLast().substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
            List<String> got = RecurrenceExpander.ruleDates(c.rule(), seed, from.minusDays(1), to.plusDays(1)).stream()
                    .filter(d -> !d.isBefore(from) && !d.isAfter(to))
                    .map(DateTimeFormatter.BASIC_ISO_DATE::format)
                    .toList();
            assertInstances(c, got, expected);
            return;
        }
        String start =
                c.dtstart().endsWith("Z") ? c.dtstart().substring(0, c.dtstart().length() - 1) : c.dtstart();
        ZonedDateTime seed = LocalDateTime.parse(start, LOCAL).atZone(ZoneOffset.UTC);
        String startAt = c.startAt() == null ? null : c.startAt().replace("Z", "");
        ZonedDateTime from = startAt == null
                ? seed
                : LocalDateTime.parse(startAt.length() == 8 ? startAt + "T000000" : startAt, LOCAL)
                        .atZone(ZoneOffset.UTC);
        ZonedDateTime to = expected.isEmpty()
                ? seed.plusYears(5)
                : LocalDateTime.parse(expected.getLast(), LOCAL).atZone(ZoneOffset.UTC);
        // The window is widened by a second each way (ical4j treats period bounds as exclusive), then cut exactly.
        List<String> got =
                RecurrenceExpander.ruleStarts(c.rule(), seed, from.minusSeconds(1), to.plusSeconds(1)).stream()
                        .filter(z -> !z.isBefore(from) && !z.isAfter(to))
                        .map(z -> LOCAL.format(z.withZoneSameInstant(ZoneOffset.UTC)))
                        .toList();
        assertInstances(c, got, expected);
    }

    @Test
    void bothTablesAreRead() throws IOException {
        assertThat(parse("libical/icalrecur_test.txt")).hasSizeGreaterThan(100);
        assertThat(parse("ical.net/RecurrenceTestCases.txt")).hasSizeGreaterThan(60);
    }

    private static boolean catchProblems(EventValidator v) {
        try {
            v.throwIfAny();
            return false;
        } catch (io.calsync.gateway.application.ApiException e) {
            return true;
        }
    }
}
