package io.calsync.providers.ical;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.fortuna.ical4j.model.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-world {@code .ics} of the shared corpus ({@code ../shared/corpus/ics}): each either parses to a feed or
 * is refused as {@code ICS_INVALID} with a reason, never with another exception; and the event counts that the
 * upstream suites state ({@code EXPECTED.md}) hold.
 */
class IcsCorpusTest {

    final IcsParser parser = new IcsParser();

    static Path corpus() {
        return Corpus.root().resolve("ics");
    }

    static List<String> files() throws IOException {
        Path root = corpus();
        try (Stream<Path> all = Files.walk(root)) {
            List<String> files = all.filter(p -> p.toString().endsWith(".ics"))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
            assertThat(files).as("corpus files").hasSizeGreaterThan(300);
            return files;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parsesOrRefusesWithAReason(String file) throws IOException {
        byte[] content = Files.readAllBytes(corpus().resolve(file));
        try {
            IcsFeed feed = parser.parse(content);
            assertThat(feed.events())
                    .allSatisfy(e -> assertThat(e.getProperty(Property.DTSTART)).isPresent());
            assertThat(feed.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        } catch (InvalidIcsException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception");
            assertThat(e.code()).isEqualTo("ICS_INVALID");
        }
    }

    @ParameterizedTest(name = "{0}: {1} VEVENTs")
    @CsvSource({
        "nylas-sync-engine/multiple_events.ics, 2",
        "icalendar-py/issue_165_missing_event.ics, 1",
        "node-ical/mixed-timezone-handling.ics, 5",
        "ical4android/dst-only-vtimezone.ics, 1",
        "recurring-ical-events/issue_173_only_modifications_error.ics, 677"
    })
    void countsTheEventsTheUpstreamSuitesState(String file, int events) throws IOException {
        IcsFeed feed = parser.parse(Files.readAllBytes(corpus().resolve(file)));
        assertThat(feed.eventCount()).isEqualTo(events);
        assertThat(feed.skipped()).isEmpty();
    }
}
