package io.calsync.providers.ical;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing a stored calendar object line by line: what we write, what we keep, and that it reads back the same. */
class IcsResourceTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    static final String STORED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//App//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261207T090000Z\r\n"
            + "DTEND:20261207T100000Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:Old\r\nSEQUENCE:4\r\nCATEGORIES:Work\r\n"
            + "X-OTHER-APP;X-P=1:keep me\r\nATTENDEE;CN=Bo;RSVP=TRUE;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION:mailto:BO@x.com\r\n"
            + "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT1H\r\nDESCRIPTION:x\r\nEND:VALARM\r\nEND:VEVENT\r\n"
            + "BEGIN:VEVENT\r\nUID:u1\r\nRECURRENCE-ID:20261208T090000Z\r\nDTSTART:20261208T110000Z\r\n"
            + "DTEND:20261208T120000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    @Test
    void aMasterWriteReplacesOurPropertiesAndKeepsTheRest() {
        IcsResource r = IcsResource.parse(STORED);
        r.putMaster(event("New; title, with\\ escapes\nand a line", RsvpStatus.ACCEPTED), "ignored", NOW);
        String text = r.toText();
        assertThat(text)
                .contains("UID:u1", "SUMMARY:New\\; title\\, with\\\\ escapes\\nand a line", "SEQUENCE:5")
                .contains("CATEGORIES:Work", "X-OTHER-APP;X-P=1:keep me", "SUMMARY:Moved")
                .contains("DTSTART;TZID=Europe/Berlin:20261207T100000", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin")
                .contains("TRIGGER:-PT30M")
                .doesNotContain("SUMMARY:Old", "TRIGGER:-PT1H");
        // The attendee keeps the parameters we do not model, with our answer.
        String attendee = IcsResource.unfold(text).stream()
                .filter(l -> l.startsWith("ATTENDEE"))
                .findFirst()
                .orElseThrow();
        assertThat(attendee).contains("RSVP=TRUE", "CUTYPE=INDIVIDUAL", "PARTSTAT=ACCEPTED", "mailto:bo@x.com");
        // It reads back as what was written.
        IcsFeed feed = new IcsParser().parse(text.getBytes(StandardCharsets.UTF_8));
        List<ProviderEvent> events = new IcsEventMapper().map(feed).events();
        ProviderEvent master = events.stream()
                .filter(e -> e.providerRecurringId() == null)
                .findFirst()
                .orElseThrow();
        assertThat(master.title()).isEqualTo("New; title, with\\ escapes\nand a line");
        assertThat(master.startTime()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
        assertThat(master.timezone()).isEqualTo("Europe/Berlin");
        assertThat(master.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30));
    }

    @Test
    void occurrencesAreReplacedAddedAndCancelled() {
        IcsResource r = IcsResource.parse(STORED);
        r.putOccurrence(
                occurrence(Instant.parse("2026-12-08T09:00:00Z"), "Moved again", EventStatus.CONFIRMED), "u1", NOW);
        r.putOccurrence(occurrence(Instant.parse("2026-12-09T09:00:00Z"), "Added", EventStatus.CONFIRMED), "u1", NOW);
        r.putOccurrence(occurrence(Instant.parse("2026-12-10T09:00:00Z"), "x", EventStatus.CANCELLED), "u1", NOW);
        r.cancelOccurrence("20261210T090000Z"); // twice: one EXDATE
        String text = r.toText();
        assertThat(text).contains("SUMMARY:Moved again", "SUMMARY:Added", "RECURRENCE-ID:20261209T090000Z");
        assertThat(text).doesNotContain("SUMMARY:Moved\r\n");
        assertThat(text.split("EXDATE:20261210T090000Z", -1)).hasSize(2);
        assertThat(r.eventCount()).isEqualTo(3);
        assertThat(r.hasOverride("20261208T090000Z")).isTrue();
        assertThat(r.hasSeries()).isTrue();
    }

    @Test
    void anOverrideWrittenInItsZoneIsFoundByItsInstant() {
        String zoned =
                STORED.replace("RECURRENCE-ID:20261208T090000Z", "RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000");
        assertThat(IcsResource.parse(zoned).hasOverride("20261208T090000Z")).isTrue();
    }

    @Test
    void longLinesAreFoldedAt75OctetsNeverInsideACharacter() {
        IcsResource r = IcsResource.empty();
        String title = "Ü".repeat(100);
        r.putMaster(event(title, RsvpStatus.NEEDS_ACTION), "new-uid", NOW);
        String text = r.toText();
        for (String line : text.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75);
        }
        assertThat(IcsResource.unfold(text)).anyMatch(l -> l.equals("SUMMARY:" + title));
        assertThat(text).startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n").endsWith("END:VCALENDAR\r\n");
    }

    @Test
    void allDayEventsAreDatesAndUtcZonesAreUtcTimes() {
        IcsResource r = IcsResource.empty();
        ProviderEvent allDay = new ProviderEvent(
                null,
                null,
                "Trip",
                null,
                null,
                Instant.parse("2026-12-24T00:00:00Z"),
                Instant.parse("2026-12-27T00:00:00Z"),
                true,
                LocalDate.of(2026, 12, 24),
                LocalDate.of(2026, 12, 27),
                null,
                EventStatus.CONFIRMED,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                Availability.FREE);
        r.putMaster(allDay, "trip", NOW);
        assertThat(r.toText())
                .contains("DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227", "TRANSP:TRANSPARENT")
                .doesNotContain("VTIMEZONE");
    }

    static ProviderEvent event(String title, RsvpStatus bo) {
        Instant start = Instant.parse("2026-12-07T09:00:00Z");
        return new ProviderEvent(
                "u1",
                "u1",
                title,
                null,
                null,
                start,
                start.plus(Duration.ofHours(1)),
                false,
                null,
                null,
                "Europe/Berlin",
                EventStatus.CONFIRMED,
                List.of("RRULE:FREQ=DAILY;COUNT=5"),
                null,
                null,
                null,
                "me@x.com",
                null,
                null,
                null,
                null,
                List.of(new ProviderEvent.Attendee("bo@x.com", "Bo", bo, false, false)),
                List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30)),
                Availability.BUSY);
    }

    static ProviderEvent occurrence(Instant original, String title, EventStatus status) {
        return new ProviderEvent(
                null,
                "u1",
                title,
                null,
                null,
                original.plus(Duration.ofHours(2)),
                original.plus(Duration.ofHours(3)),
                false,
                null,
                null,
                null,
                status,
                null,
                "u1",
                original,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                Availability.BUSY);
    }
}
