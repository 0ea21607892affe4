package io.calsync.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.calsync.providers.ical.IcsEventMapper;
import io.calsync.providers.ical.IcsFeed;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.ical.InvalidIcsException;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A fuzz pass over the real-world ICS corpus as a hostile feed would mutate it (cut short, doubled, a rule with an
 * enormous COUNT or a sub-hourly FREQ from 1900, components nested hundreds deep, zones that do not exist): every
 * variant is either refused as not iCalendar (the 422 {@code ICS_INVALID} of validate and connect) or parsed and
 * mapped, and every series it holds expands inside a year's window within the budget. Never a hang, never another
 * exception. Seeded: {@code -Dfuzz.seed=N} replays a run.
 */
class IcsCorpusFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final int FILES = Integer.getInteger("fuzz.files", 60);
    static final Duration BUDGET = Duration.ofSeconds(10);
    static final IcsParser PARSER = new IcsParser();
    static final IcsEventMapper MAPPER = new IcsEventMapper();

    @TestFactory
    Stream<DynamicTest> mutatedCorpusFeedsAreMappedOrRefusedAndTheirSeriesExpandInTime() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Corpus.root().resolve("ics"))) {
            files = walk.filter(p -> p.toString().endsWith(".ics"))
                    .filter(p ->
                            p.toFile().length() < 300_000) // the few big feeds cost seconds each; their shapes repeat
                    .sorted()
                    .toList();
        }
        Random random = new Random(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < Math.min(FILES, files.size()); i++) {
            Path file = files.get(random.nextInt(files.size()));
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (Mutation m : Mutation.values()) {
                String mutated = m.apply(text, random);
                tests.add(DynamicTest.dynamicTest(
                        "seed " + SEED + ": " + m + " " + Corpus.root().relativize(file),
                        () -> assertTimeoutPreemptively(BUDGET, () -> check(mutated))));
            }
        }
        return tests.stream();
    }

    static void check(String feed) {
        IcsFeed parsed;
        try {
            parsed = PARSER.parse(feed.getBytes(StandardCharsets.ISO_8859_1));
        } catch (InvalidIcsException refused) {
            assertThat(refused.getMessage()).isNotBlank(); // the reason the 422 carries
            return;
        }
        IcsEventMapper.Mapping mapping = MAPPER.map(parsed);
        assertThat(mapping.events().size() + mapping.skipped().size() + mapping.duplicates())
                .isEqualTo(parsed.events().size());
        RecurrenceExpander expander = new RecurrenceExpander();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2027-01-01T00:00:00Z");
        for (ProviderEvent e : mapping.events()) {
            if (e.recurrence() == null || e.startTime() == null || e.endTime() == null) {
                continue;
            }
            String rule = e.recurrence().stream()
                    .filter(l -> l.regionMatches(true, 0, "RRULE:", 0, 6))
                    .findFirst()
                    .orElse(null);
            if (rule == null) {
                continue;
            }
            List<RecurrenceExpander.Occurrence> occurrences;
            try {
                occurrences = expander.expand(
                        rule,
                        e.recurrence(),
                        e.startTime(),
                        e.endTime(),
                        e.allDay(),
                        e.startDate(),
                        e.endDate(),
                        e.timezone(),
                        from,
                        to,
                        Set.of());
            } catch (RuntimeException unreadable) {
                continue; // the range query shows such a series' first occurrence (EventReader)
            }
            assertThat(occurrences)
                    .isSortedAccordingTo(java.util.Comparator.comparing(RecurrenceExpander.Occurrence::start))
                    .allSatisfy(o -> assertThat(o.start()).isBefore(to))
                    .allSatisfy(o -> assertThat(o.end()).isAfter(from));
        }
    }

    enum Mutation {
        TRUNCATED {
            String apply(String text, Random r) {
                return text.substring(0, r.nextInt(text.length() + 1));
            }
        },
        DOUBLED {
            String apply(String text, Random r) {
                return text + text;
            }
        },
        HUGE_COUNT {
            String apply(String text, Random r) {
                String rule =
                        r.nextBoolean() ? "RRULE:FREQ=SECONDLY;COUNT=2147483647" : "RRULE:FREQ=HOURLY;COUNT=99999999";
                return inject(text, "DTSTART:19000101T000000Z\r\nDTEND:19000101T000001Z\r\n" + rule + "\r\n");
            }
        },
        DEEP_NESTING {
            String apply(String text, Random r) {
                return inject(text, "BEGIN:VEVENT\r\n".repeat(300) + "UID:deep\r\n" + "END:VEVENT\r\n".repeat(150));
            }
        },
        INVALID_ZONES {
            String apply(String text, Random r) {
                return text.replaceAll("TZID=[^:;]+", "TZID=Mars/Olympus_Mons")
                        .replaceAll("(?m)^TZID:.*$", "TZID:Nowhere/Never");
            }
        };

        abstract String apply(String text, Random r);

        /** Adds lines right after the first BEGIN:VEVENT (or the VCALENDAR when there is none). */
        static String inject(String text, String lines) {
            int at = text.indexOf("BEGIN:VEVENT");
            if (at >= 0) {
                int eol = text.indexOf('\n', at);
                return eol < 0 ? text + "\r\n" + lines : text.substring(0, eol + 1) + lines + text.substring(eol + 1);
            }
            int cal = text.indexOf("BEGIN:VCALENDAR");
            int eol = cal < 0 ? -1 : text.indexOf('\n', cal);
            return eol < 0 ? text + "\r\n" + lines : text.substring(0, eol + 1) + lines + text.substring(eol + 1);
        }
    }
}
