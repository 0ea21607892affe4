package io.calsync.providers.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the parser reads from a feed, what it repairs, what it skips and what it refuses. */
class IcsParserTest {

    final IcsParser parser = new IcsParser();

    IcsFeed parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static String event(String uid, String... lines) {
        return "BEGIN:VEVENT\r\nUID:" + uid + "\r\n" + String.join("\r\n", lines) + "\r\nEND:VEVENT\r\n";
    }

    static String calendar(String... parts) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + String.join("", parts)
                + "END:VCALENDAR\r\n";
    }

    static String summary(VEvent e) {
        return e.getProperty(Property.SUMMARY).map(Property::getValue).orElse(null);
    }

    @Test
    void readsNameTimezoneRefreshIntervalAndEvents() {
        IcsFeed feed = parse(calendar(
                "X-WR-CALNAME:Team\\, Berlin\r\n",
                "X-WR-TIMEZONE:Europe/Berlin\r\n",
                "REFRESH-INTERVAL;VALUE=DURATION:P1W\r\n",
                "X-PUBLISHED-TTL:PT1H\r\n",
                event("a", "DTSTART:20261124T100000Z", "SUMMARY:One"),
                event("b", "DTSTART;VALUE=DATE:20261125", "SUMMARY:Two")));
        assertThat(feed.calendarName()).isEqualTo("Team, Berlin");
        assertThat(feed.timezone()).isEqualTo("Europe/Berlin");
        assertThat(feed.refreshInterval()).isEqualTo(Duration.ofDays(7));
        assertThat(feed.eventCount()).isEqualTo(2);
        assertThat(feed.events()).map(IcsParserTest::summary).containsExactly("One", "Two");
        assertThat(feed.skipped()).isEmpty();
    }

    @Test
    void fallsBackToNameTheFirstTimeZoneAndThePublishedTtl() throws IOException {
        IcsFeed feed = parse(calendar(
                "NAME:Holidays\r\n",
                "X-PUBLISHED-TTL:PT12H\r\n",
                Files.readString(IcsCorpusTest.corpus().resolve("ical4android/dst-only-vtimezone.ics"))
                        .replaceAll("(?s)^.*?(BEGIN:VTIMEZONE.*END:VTIMEZONE\\r?\\n).*$", "$1"),
                event("a", "DTSTART:20261124T100000Z")));
        assertThat(feed.calendarName()).isEqualTo("Holidays");
        assertThat(feed.timezone()).isEqualTo("Europe/Berlin");
        assertThat(feed.refreshInterval()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void dropsACreatedInYearZeroAndKeepsTheEvent() throws IOException {
        IcsFeed feed = parser.parse(
                Files.readAllBytes(IcsCorpusTest.corpus().resolve("nextcloud-calendar-js/illegal-created.ics")));
        assertThat(feed.eventCount()).isEqualTo(1);
        assertThat(feed.events().getFirst().getProperty(Property.CREATED)).isEmpty();
        assertThat(feed.repairs()).anyMatch(r -> r.contains("CREATED in year 0 dropped"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "DTSTART:20261124T1000Z, 20261124T100000Z",
        "DTSTART:20261124T10000, 20261124T100000",
        "DTSTART:20261124T100000T, 20261124T100000",
        "DTSTART:20261124Z, 20261124",
        "DTSTART:20261124, 20261124",
        "DTSTART;TZID=Europe/Berlin:20261124T::, 20261124"
    })
    void repairsDatesThatProducersGetWrong(String line, String value) {
        IcsFeed feed = parse(calendar(event("a", line, "CREATED:20261101T120000", "DTSTAMP:20261101T1200Z")));
        VEvent e = feed.events().getFirst();
        assertThat(e.getProperty(Property.DTSTART).orElseThrow().getValue()).isEqualTo(value);
        assertThat(e.getProperty(Property.CREATED).orElseThrow().getValue()).isEqualTo("20261101T120000Z");
        assertThat(e.getProperty(Property.DTSTAMP).orElseThrow().getValue()).isEqualTo("20261101T120000Z");
    }

    @Test
    void takesInComponentsOutsideVcalendarAndMergesCalendars() {
        IcsFeed feed = parse(event("outside", "DTSTART:20261124T100000Z")
                + calendar("X-WR-CALNAME:First\r\n", event("a", "DTSTART:20261124T110000Z"))
                + calendar("X-WR-CALNAME:Second\r\n", event("b", "DTSTART:20261124T120000Z"))
                + event("after", "DTSTART:20261124T130000Z"));
        assertThat(feed.calendarName()).isEqualTo("First");
        assertThat(feed.eventCount()).isEqualTo(4);
        assertThat(feed.repairs())
                .contains("2 VCALENDAR blocks merged into one", "2 component(s) outside VCALENDAR taken in");
    }

    @Test
    void removesUnicodeNonCharacters() {
        IcsFeed feed = parse(calendar(event("a", "DTSTART:20261124T100000Z", "SUMMARY:Stand\uFFFEup")));
        assertThat(summary(feed.events().getFirst())).isEqualTo("Standup");
    }

    @Test
    void skipsTheBrokenEventAndKeepsTheOthers() {
        IcsFeed feed = parse(calendar(
                event("good-1", "DTSTART:20261124T100000Z"),
                event("bad", "DTSTART:next tuesday"),
                event("good-2", "this is not a content line", "DTSTART:20261125T100000Z")));
        assertThat(feed.events())
                .map(e -> e.getProperty(Property.UID).orElseThrow().getValue())
                .containsExactly("good-1", "good-2");
        assertThat(feed.skipped()).singleElement().satisfies(s -> {
            assertThat(s.uid()).isEqualTo("bad");
            assertThat(s.component()).isEqualTo("VEVENT");
            assertThat(s.line()).isEqualTo(8);
            assertThat(s.reason()).isEqualTo("no readable DTSTART");
        });
    }

    @Test
    void readsComponentByComponentWhenTheWholeFails() {
        // A VTIMEZONE without offsets makes ical4j fail the whole calendar; the events around it survive.
        IcsFeed feed = parse(calendar(
                "BEGIN:VTIMEZONE\r\nTZID:Broken/Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nEND:STANDARD\r\n"
                        + "END:VTIMEZONE\r\n",
                event("a", "DTSTART:20261124T100000Z"),
                event("b", "DTSTART:20261125T100000Z")));
        assertThat(feed.eventCount()).isEqualTo(2);
        assertThat(feed.skipped())
                .singleElement()
                .satisfies(s -> assertThat(s.component()).isEqualTo("VTIMEZONE"));
        assertThat(feed.timezone()).isNull();
        assertThat(feed.repairs()).anyMatch(r -> r.contains("read component by component"));
    }

    @Test
    void readsLatin1AndUtf16Feeds() throws IOException {
        IcsFeed latin1 = parser.parse(Files.readAllBytes(IcsCorpusTest.corpus().resolve("ical4android/latin1.ics")));
        assertThat(summary(latin1.events().getFirst())).isEqualTo("äöüß");
        IcsFeed utf16 = parser.parse(Files.readAllBytes(IcsCorpusTest.corpus().resolve("ical.net/Bug2912657.ics")));
        assertThat(utf16.eventCount()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "<!DOCTYPE html><html><body>Sign in</body></html>|HTML page",
                "<?xml version=\"1.0\"?><error/>|XML",
                "{\"error\":\"not found\"}|JSON",
                "[1,2,3]|JSON",
                "Not Found|not an iCalendar feed"
            })
    void refusesWhatIsNotICalendar(String content, String reason) {
        assertThatThrownBy(() -> parse(content))
                .isInstanceOf(InvalidIcsException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesAVcard() {
        assertThatThrownBy(() -> parse("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n"))
                .isInstanceOf(InvalidIcsException.class)
                .hasMessageContaining("not an iCalendar feed");
    }

    @Test
    void refusesEmptyContentAndAFeedWhoseEventsAreAllBroken() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessage("the feed is empty");
        assertThatThrownBy(() -> parse("  \r\n\r\n")).hasMessage("the feed is empty");
        assertThatThrownBy(() -> parse(calendar(event("bad", "DTSTART:soon"))))
                .isInstanceOf(InvalidIcsException.class)
                .hasMessageContaining("none of the feed's events could be read");
    }

    @Test
    void acceptsACalendarWithoutEvents() {
        IcsFeed feed = parse(calendar("X-WR-CALNAME:Empty\r\n"));
        assertThat(feed.eventCount()).isZero();
        assertThat(feed.calendarName()).isEqualTo("Empty");
    }
}
