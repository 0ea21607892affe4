package io.calsync.providers.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The mapping rules, one hand-written feed each: ids, times and zones, recurrence, people, reminders, duplicates. */
class IcsEventMapperTest {

    static final IcsParser PARSER = new IcsParser();
    final IcsEventMapper mapper = new IcsEventMapper();

    /** A feed of the given VEVENT bodies (each a list of lines), after the calendar-level lines. */
    @SafeVarargs
    static String feed(List<String> calendarLines, List<String>... events) {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"));
        lines.addAll(calendarLines);
        for (List<String> event : events) {
            lines.add("BEGIN:VEVENT");
            lines.addAll(event);
            lines.add("END:VEVENT");
        }
        lines.add("END:VCALENDAR");
        return String.join("\r\n", lines) + "\r\n";
    }

    IcsEventMapper.Mapping mapFeed(String text) {
        return mapper.map(PARSER.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    @SafeVarargs
    final List<ProviderEvent> map(List<String>... events) {
        return mapFeed(feed(List.of(), events)).events();
    }

    ProviderEvent one(String... lines) {
        List<ProviderEvent> events = map(List.of(lines));
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Nested
    class Identity {

        @Test
        void transpTransparentIsFreeAndEverythingElseBusy() {
            assertThat(one("UID:t", "DTSTART:20261124T100000Z", "TRANSP:TRANSPARENT")
                            .availability())
                    .isEqualTo(io.calsync.model.domain.Availability.FREE);
            assertThat(one("UID:o", "DTSTART:20261124T100000Z", "TRANSP:OPAQUE").availability())
                    .isEqualTo(io.calsync.model.domain.Availability.BUSY);
            assertThat(one("UID:n", "DTSTART:20261124T100000Z").availability())
                    .isEqualTo(io.calsync.model.domain.Availability.BUSY);
        }

        @Test
        void aSingleEventIsItsUidAndCarriesItsTextLinkAndVersion() {
            ProviderEvent e = one(
                    "UID:single-1@example.com",
                    "DTSTAMP:20261101T090000Z",
                    "LAST-MODIFIED:20261102T090000Z",
                    "SEQUENCE:3",
                    "DTSTART;TZID=Europe/Berlin:20261124T100000",
                    "DTEND;TZID=Europe/Berlin:20261124T113000",
                    "SUMMARY:Planning\\, with a comma",
                    "DESCRIPTION:Line one\\nLine two",
                    "LOCATION:Room 1",
                    "URL:https://example.com/events/1");
            assertThat(e.providerEventId()).isEqualTo("single-1@example.com");
            assertThat(e.iCalUid()).isEqualTo("single-1@example.com");
            assertThat(e.title()).isEqualTo("Planning, with a comma");
            assertThat(e.description()).isEqualTo("Line one\nLine two");
            assertThat(e.location()).isEqualTo("Room 1");
            assertThat(e.htmlLink()).isEqualTo("https://example.com/events/1");
            assertThat(e.providerUpdatedAt()).isEqualTo(at("2026-11-02T09:00:00Z"));
            assertThat(e.sequence()).isEqualTo(3);
            assertThat(e.etag()).isNull();
            assertThat(e.isInstance()).isFalse();
            assertThat(e.recurrence()).isNull();
        }

        @Test
        void withoutLastModifiedTheVersionIsDtstampAndWithoutSequenceItIsZero() {
            ProviderEvent e = one("UID:a", "DTSTAMP:20261101T090000Z", "DTSTART:20261124T100000Z");
            assertThat(e.providerUpdatedAt()).isEqualTo(at("2026-11-01T09:00:00Z"));
            assertThat(e.sequence()).isZero();
        }

        @Test
        void anOverrideIsUidAndItsOriginalStartInUtcAndPointsAtItsMaster() {
            ProviderEvent e = one(
                    "UID:series-1",
                    "RECURRENCE-ID;TZID=Europe/Berlin:20261124T100000",
                    "DTSTART;TZID=Europe/Berlin:20261124T150000",
                    "DTEND;TZID=Europe/Berlin:20261124T160000",
                    "SUMMARY:Moved");
            assertThat(e.providerEventId()).isEqualTo("series-1_20261124T090000Z");
            assertThat(e.providerRecurringId()).isEqualTo("series-1");
            assertThat(e.iCalUid()).isEqualTo("series-1");
            assertThat(e.originalStartTime()).isEqualTo(at("2026-11-24T09:00:00Z"));
            assertThat(e.originalStartDate()).isNull();
            assertThat(e.startTime()).isEqualTo(at("2026-11-24T14:00:00Z"));
            assertThat(e.status()).isEqualTo(EventStatus.CONFIRMED);
        }

        @Test
        void aDateValuedOverrideIsUidAndTheDate() {
            ProviderEvent e = one(
                    "UID:days",
                    "RECURRENCE-ID;VALUE=DATE:20261124",
                    "DTSTART;VALUE=DATE:20261125",
                    "DTEND;VALUE=DATE:20261126");
            assertThat(e.providerEventId()).isEqualTo("days_20261124");
            assertThat(e.originalStartDate()).isEqualTo(LocalDate.of(2026, 11, 24));
            assertThat(e.originalStartTime()).isEqualTo(at("2026-11-24T00:00:00Z"));
            assertThat(e.startDate()).isEqualTo(LocalDate.of(2026, 11, 25));
        }

        @Test
        void aCancelledOverrideIsACancelledInstance() {
            ProviderEvent e = one(
                    "UID:series-2", "RECURRENCE-ID:20261201T100000Z", "DTSTART:20261201T100000Z", "STATUS:CANCELLED");
            assertThat(e.isInstance()).isTrue();
            assertThat(e.providerEventId()).isEqualTo("series-2_20261201T100000Z");
            assertThat(e.status()).isEqualTo(EventStatus.CANCELLED);
            assertThat(e.recurrence()).isNull();
        }

        @Test
        void anEventWithoutUidGetsAStableIdFromItsStartAndTitle() {
            List<String> event = List.of("DTSTART:20261124T100000Z", "SUMMARY:Yoga");
            ProviderEvent first = map(event).getFirst();
            ProviderEvent again = map(event).getFirst();
            ProviderEvent renamed = one("DTSTART:20261124T100000Z", "SUMMARY:Pilates");
            ProviderEvent moved = one("DTSTART:20261124T110000Z", "SUMMARY:Yoga");
            assertThat(first.providerEventId()).startsWith("nouid-").isEqualTo(again.providerEventId());
            assertThat(renamed.providerEventId()).isNotEqualTo(first.providerEventId());
            assertThat(moved.providerEventId()).isNotEqualTo(first.providerEventId());
            assertThat(first.iCalUid()).isNull();
        }

        @Test
        void anEventWithoutUidIgnoresItsRecurrenceIdForItCanPointAtNoMaster() {
            ProviderEvent e = one("RECURRENCE-ID:20261124T100000Z", "DTSTART:20261124T120000Z", "SUMMARY:Orphan");
            assertThat(e.isInstance()).isFalse();
            assertThat(e.providerEventId()).startsWith("nouid-");
        }

        @Test
        void anIdLongerThanTheColumnIsHashedTheSameWayForTheMasterAndItsOverrides() {
            String uid = "x".repeat(1_100);
            List<ProviderEvent> events = map(
                    List.of("UID:" + uid, "DTSTART:20261124T100000Z", "RRULE:FREQ=DAILY;COUNT=3"),
                    List.of("UID:" + uid, "RECURRENCE-ID:20261125T100000Z", "DTSTART:20261125T120000Z"));
            ProviderEvent master = events.get(0);
            ProviderEvent override = events.get(1);
            assertThat(master.providerEventId()).startsWith("sha256-").hasSizeLessThanOrEqualTo(1024);
            assertThat(override.providerRecurringId()).isEqualTo(master.providerEventId());
            assertThat(override.providerEventId()).startsWith("sha256-").isNotEqualTo(master.providerEventId());
            assertThat(master.iCalUid()).isNull();
        }
    }

    @Nested
    class Times {

        @Test
        void aZoneTheFeedNamesAsItLikesIsTheIanaZoneWithTheSameRules() {
            // Outlook-style: a made-up name, the US Eastern rules; a weekly 09:00 series across the March change.
            List<String> zone = List.of(
                    "BEGIN:VTIMEZONE",
                    "TZID:Customized Time Zone",
                    "BEGIN:STANDARD",
                    "DTSTART:16011104T020000",
                    "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
                    "TZOFFSETFROM:-0400",
                    "TZOFFSETTO:-0500",
                    "END:STANDARD",
                    "BEGIN:DAYLIGHT",
                    "DTSTART:16010311T020000",
                    "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
                    "TZOFFSETFROM:-0500",
                    "TZOFFSETTO:-0400",
                    "END:DAYLIGHT",
                    "END:VTIMEZONE");
            ProviderEvent e = mapFeed(feed(
                            zone,
                            List.of(
                                    "UID:custom-zone",
                                    "DTSTART;TZID=Customized Time Zone:20270301T090000",
                                    "DTEND;TZID=Customized Time Zone:20270301T093000",
                                    "RRULE:FREQ=WEEKLY;COUNT=4")))
                    .events()
                    .getFirst();
            assertThat(e.startTime()).isEqualTo(at("2027-03-01T14:00:00Z"));
            assertThat(e.timezone()).isEqualTo("America/New_York");
        }

        @Test
        void aZoneWithMadeUpRulesKeepsItsInstants() {
            List<String> zone = List.of(
                    "BEGIN:VTIMEZONE",
                    "TZID:Nowhere",
                    "BEGIN:STANDARD",
                    "DTSTART:16010101T000000",
                    "TZOFFSETFROM:+0317",
                    "TZOFFSETTO:+0317",
                    "END:STANDARD",
                    "END:VTIMEZONE");
            ProviderEvent e = mapFeed(feed(
                            zone,
                            List.of(
                                    "UID:nowhere",
                                    "DTSTART;TZID=Nowhere:20270301T090000",
                                    "DTEND;TZID=Nowhere:20270301T100000")))
                    .events()
                    .getFirst();
            assertThat(e.startTime()).isEqualTo(at("2027-03-01T05:43:00Z"));
        }

        @Test
        void aDateStartIsAllDayOnDatesAtUtcMidnightsWithoutAZone() {
            ProviderEvent e = one("UID:a", "DTSTART;VALUE=DATE:20261124", "DTEND;VALUE=DATE:20261126");
            assertThat(e.allDay()).isTrue();
            assertThat(e.startDate()).isEqualTo(LocalDate.of(2026, 11, 24));
            assertThat(e.endDate()).isEqualTo(LocalDate.of(2026, 11, 26));
            assertThat(e.startTime()).isEqualTo(at("2026-11-24T00:00:00Z"));
            assertThat(e.endTime()).isEqualTo(at("2026-11-26T00:00:00Z"));
            assertThat(e.timezone()).isNull();
        }

        @Test
        void aDateStartWithoutEndLastsOneDayAndADateTimeStartLastsNoTime() {
            ProviderEvent day = one("UID:a", "DTSTART;VALUE=DATE:20261124");
            ProviderEvent moment = one("UID:b", "DTSTART:20261124T100000Z");
            assertThat(day.endDate()).isEqualTo(LocalDate.of(2026, 11, 25));
            assertThat(moment.endTime()).isEqualTo(moment.startTime());
        }

        @Test
        void durationCountsFromTheStartInTheStartsZone() {
            ProviderEvent minutes = one("UID:a", "DTSTART:20261124T100000Z", "DURATION:PT90M");
            // 2026-03-29 is the spring-forward day in Berlin: one calendar day later is 23 hours later.
            ProviderEvent acrossDst = one("UID:b", "DTSTART;TZID=Europe/Berlin:20260328T120000", "DURATION:P1D");
            ProviderEvent days = one("UID:c", "DTSTART;VALUE=DATE:20261124", "DURATION:P3D");
            assertThat(minutes.endTime()).isEqualTo(at("2026-11-24T11:30:00Z"));
            assertThat(acrossDst.startTime()).isEqualTo(at("2026-03-28T11:00:00Z"));
            assertThat(acrossDst.endTime()).isEqualTo(at("2026-03-29T10:00:00Z"));
            assertThat(days.endDate()).isEqualTo(LocalDate.of(2026, 11, 27));
        }

        @Test
        void anEndBeforeTheStartIsSwappedExceptForASeriesMaster() {
            ProviderEvent single = one("UID:a", "DTSTART:20261124T103000Z", "DTEND:20261124T100000Z");
            ProviderEvent master =
                    one("UID:b", "DTSTART:20261124T103000Z", "DTEND:20261124T100000Z", "RRULE:FREQ=WEEKLY;COUNT=2");
            assertThat(single.startTime()).isEqualTo(at("2026-11-24T10:00:00Z"));
            assertThat(single.endTime()).isEqualTo(at("2026-11-24T10:30:00Z"));
            assertThat(master.startTime()).isEqualTo(at("2026-11-24T10:30:00Z"));
            assertThat(master.endTime()).isEqualTo(master.startTime());
        }

        @Test
        void aDateTimeEndOfAnAllDayEventEndsOnItsDate() {
            ProviderEvent e = one("UID:a", "DTSTART;VALUE=DATE:20230724", "DTEND:20230817T000000Z");
            assertThat(e.allDay()).isTrue();
            assertThat(e.endDate()).isEqualTo(LocalDate.of(2023, 8, 17));
        }

        @Test
        void floatingTimesAreReadInTheCalendarsZoneElseUtc() {
            String inBerlin = feed(List.of("X-WR-TIMEZONE:Europe/Berlin"), List.of("UID:a", "DTSTART:20260701T100000"));
            ProviderEvent berlin = mapFeed(inBerlin).events().getFirst();
            ProviderEvent utc = one("UID:b", "DTSTART:20260701T100000");
            assertThat(berlin.startTime()).isEqualTo(at("2026-07-01T08:00:00Z"));
            assertThat(berlin.timezone()).isEqualTo("Europe/Berlin");
            assertThat(utc.startTime()).isEqualTo(at("2026-07-01T10:00:00Z"));
            assertThat(utc.timezone()).isEqualTo("UTC");
        }

        @Test
        void aWindowsZoneNameBecomesIana() {
            ProviderEvent e = one(
                    "UID:a",
                    "DTSTART;TZID=W. Europe Standard Time:20260701T100000",
                    "DTEND;TZID=W. Europe Standard Time:20260701T110000");
            assertThat(e.timezone()).isEqualTo("Europe/Berlin");
            assertThat(e.startTime()).isEqualTo(at("2026-07-01T08:00:00Z"));
            assertThat(e.endTime()).isEqualTo(at("2026-07-01T09:00:00Z"));
        }

        @Test
        void aCustomVtimezoneIsTheIanaZoneThatKeepsItsTime() {
            String text = feed(
                    List.of(
                            "BEGIN:VTIMEZONE",
                            "TZID:Customized Time Zone",
                            "BEGIN:STANDARD",
                            "DTSTART:16010101T000000",
                            "TZOFFSETFROM:+0530",
                            "TZOFFSETTO:+0530",
                            "END:STANDARD",
                            "END:VTIMEZONE"),
                    List.of("UID:a", "DTSTART;TZID=Customized Time Zone:20260701T100000"));
            ProviderEvent e = mapFeed(text).events().getFirst();
            assertThat(e.startTime()).isEqualTo(at("2026-07-01T04:30:00Z"));
            assertThat(e.timezone()).as("never \"Customized Time Zone\"").isEqualTo("Asia/Kolkata");
        }

        @Test
        void anUnknownTzidWithoutVtimezoneIsReadAsFloating() {
            String text = feed(
                    List.of("X-WR-TIMEZONE:America/New_York"),
                    List.of("UID:a", "DTSTART;TZID=Mars/Olympus:20260701T100000"));
            ProviderEvent e = mapFeed(text).events().getFirst();
            assertThat(e.startTime()).isEqualTo(at("2026-07-01T14:00:00Z"));
            assertThat(e.timezone()).isEqualTo("America/New_York");
        }

        @Test
        void aLibicalPathZoneIdIsReadByItsTail() {
            ProviderEvent e =
                    one("UID:a", "DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Vienna:20131009T170000");
            assertThat(e.timezone()).isEqualTo("Europe/Vienna");
            assertThat(e.startTime()).isEqualTo(at("2013-10-09T15:00:00Z"));
        }

        @Test
        void anUnquotedOutlookUtcZoneThatThePareserSplitsStillGivesAStart() {
            // TZID=tzone://Microsoft/Utc without quotes: the parameter ends at the first colon.
            ProviderEvent e = one("UID:a", "DTSTART;TZID=tzone://Microsoft/Utc:20260701T100000");
            assertThat(e.startTime()).isEqualTo(at("2026-07-01T10:00:00Z"));
            assertThat(e.timezone()).isEqualTo("UTC");
        }

        @Test
        void anEventWhoseStartCannotBeReadIsSkippedAndCountedAndTheOthersMap() {
            // ical4j reads dates lazily: this one passes the parser and fails only when read.
            IcsEventMapper.Mapping m = mapFeed(feed(
                    List.of(),
                    List.of("UID:broken", "DTSTART;TZID=tzone://x:sometime"),
                    List.of("UID:fine", "DTSTART:20260101T100000Z")));
            assertThat(m.events()).extracting(ProviderEvent::providerEventId).containsExactly("fine");
            assertThat(m.skipped()).singleElement().satisfies(s -> {
                assertThat(s.uid()).isEqualTo("broken");
                assertThat(s.reason()).contains("DTSTART").doesNotContain("Exception");
            });
        }
    }

    @Nested
    class Status {

        @Test
        void statusValuesMapAndUnknownOnesAreConfirmed() {
            assertThat(one("UID:a", "DTSTART:20260101T100000Z", "STATUS:TENTATIVE")
                            .status())
                    .isEqualTo(EventStatus.TENTATIVE);
            assertThat(one("UID:a", "DTSTART:20260101T100000Z", "STATUS:cancelled")
                            .status())
                    .isEqualTo(EventStatus.CANCELLED);
            assertThat(one("UID:a", "DTSTART:20260101T100000Z", "STATUS:CONFIRMED")
                            .status())
                    .isEqualTo(EventStatus.CONFIRMED);
            assertThat(one("UID:a", "DTSTART:20260101T100000Z", "STATUS:NEEDS-ACTION")
                            .status())
                    .isEqualTo(EventStatus.CONFIRMED);
            assertThat(one("UID:a", "DTSTART:20260101T100000Z").status()).isEqualTo(EventStatus.CONFIRMED);
        }
    }

    @Nested
    class Recurrence {

        @Test
        void aSeriesOfRdatesAloneIsASeriesAndTzidUtcIsUtc() {
            ProviderEvent e = one(
                    "UID:rdates-only",
                    "DTSTART;TZID=UTC:20261102T090000",
                    "DTEND;TZID=UTC:20261102T100000",
                    "RDATE;TZID=UTC:20261110T090000,20261125T150000");
            assertThat(e.startTime())
                    .as("TZID=UTC is UTC, not floating")
                    .isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
            assertThat(e.recurrenceRule()).isEqualTo(ProviderEvent.RDATES_ONLY);
            assertThat(e.recurrence()).anyMatch(l -> l.startsWith("RDATE") && l.contains("20261125T150000Z"));
        }

        @Test
        void exdatesAndRdatesOfATimedSeriesBecomeUtcValues() {
            ProviderEvent e = one(
                    "UID:weekly",
                    "DTSTART;TZID=Europe/Berlin:20261102T090000",
                    "DTEND;TZID=Europe/Berlin:20261102T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=6",
                    "EXDATE;TZID=Europe/Berlin:20261109T090000,20261116T090000",
                    "RDATE;VALUE=DATE:20261104",
                    "RDATE;VALUE=PERIOD:20261105T120000Z/PT1H",
                    "EXRULE:FREQ=MONTHLY");
            assertThat(e.recurrence())
                    .containsExactly(
                            "RRULE:FREQ=WEEKLY;COUNT=6",
                            "RDATE:20261104T080000Z",
                            "RDATE:20261105T120000Z",
                            "EXDATE:20261109T080000Z,20261116T080000Z");
            assertThat(e.recurrenceRule()).isEqualTo("FREQ=WEEKLY;COUNT=6");
            assertThat(e.timezone()).isEqualTo("Europe/Berlin");
        }

        @Test
        void theNormalisedLinesExpandWithoutTheFeedsZoneAsTheGatewayDoes() {
            // A feed zone named only in the feed: the gateway never sees the VTIMEZONE, only our lines.
            String text = feed(
                    List.of(
                            "BEGIN:VTIMEZONE",
                            "TZID:Office Zone",
                            "BEGIN:STANDARD",
                            "DTSTART:16010101T000000",
                            "TZOFFSETFROM:-0500",
                            "TZOFFSETTO:-0500",
                            "END:STANDARD",
                            "END:VTIMEZONE"),
                    List.of(
                            "UID:daily",
                            "DTSTART;TZID=Office Zone:20260105T090000",
                            "RRULE:FREQ=DAILY;UNTIL=20260109T090000",
                            "EXDATE;TZID=Office Zone:20260107T090000"));
            ProviderEvent e = mapFeed(text).events().getFirst();
            assertThat(java.time.ZoneId.of(e.timezone()).getRules().getOffset(at("2026-07-01T00:00:00Z")))
                    .as("a zone that keeps -05:00 all year, as the feed's does")
                    .isEqualTo(java.time.ZoneOffset.ofHours(-5));
            assertThat(expand(e))
                    .containsExactly(
                            at("2026-01-05T14:00:00Z"),
                            at("2026-01-06T14:00:00Z"),
                            at("2026-01-08T14:00:00Z"),
                            at("2026-01-09T14:00:00Z"));
        }

        @Test
        void aDateOnlyUntilOfATimedSeriesIncludesThatDay() {
            ProviderEvent e =
                    one("UID:a", "DTSTART;TZID=America/Boise:20210929T130000", "RRULE:FREQ=DAILY;UNTIL=20211001");
            assertThat(e.recurrenceRule()).isEqualTo("FREQ=DAILY;UNTIL=20211002T055959Z");
            assertThat(expand(e)).hasSize(3);
        }

        @Test
        void anAllDaySeriesKeepsDatesAndExcludesTheWrittenDayOfADateTimeExdate() {
            ProviderEvent e = one(
                    "UID:fridays",
                    "DTSTART;VALUE=DATE:20210402",
                    "DTEND;VALUE=DATE:20210403",
                    "RRULE:FREQ=WEEKLY;UNTIL=20210502T220000Z;BYDAY=FR",
                    "EXDATE;TZID=W. Europe Standard Time:20210430T000000");
            assertThat(e.recurrence())
                    .containsExactly("RRULE:FREQ=WEEKLY;UNTIL=20210502;BYDAY=FR", "EXDATE;VALUE=DATE:20210430");
            assertThat(expand(e))
                    .containsExactly(
                            at("2021-04-02T00:00:00Z"),
                            at("2021-04-09T00:00:00Z"),
                            at("2021-04-16T00:00:00Z"),
                            at("2021-04-23T00:00:00Z"));
        }

        @Test
        void anAllDayUntilWrittenAsLocalMidnightInUtcIsTheDateInTheCalendarsZone() {
            // Exchange: the last Tuesday, 2020-12-22, as local midnight in Berlin, in UTC.
            String text = feed(
                    List.of("X-WR-TIMEZONE:Europe/Berlin"),
                    List.of(
                            "UID:tuesdays",
                            "DTSTART;VALUE=DATE:20201215",
                            "RRULE:FREQ=WEEKLY;UNTIL=20201221T230000Z;BYDAY=TU"));
            ProviderEvent e = mapFeed(text).events().getFirst();
            assertThat(e.recurrenceRule()).isEqualTo("FREQ=WEEKLY;UNTIL=20201222;BYDAY=TU");
            assertThat(expand(e)).containsExactly(at("2020-12-15T00:00:00Z"), at("2020-12-22T00:00:00Z"));
        }

        @Test
        void anOverrideIsReadInItsMastersValueType() {
            IcsEventMapper.Mapping m = mapFeed(feed(
                    List.of(),
                    List.of("UID:days", "DTSTART;VALUE=DATE:20210407", "RRULE:FREQ=WEEKLY;COUNT=3"),
                    List.of(
                            "UID:days",
                            "RECURRENCE-ID;TZID=Europe/Berlin:20210414T000000",
                            "DTSTART;VALUE=DATE:20210415"),
                    List.of("UID:timed", "DTSTART;TZID=Europe/Berlin:20210407T093000", "RRULE:FREQ=DAILY;COUNT=3"),
                    List.of(
                            "UID:timed",
                            "RECURRENCE-ID;VALUE=DATE:20210408",
                            "DTSTART;TZID=Europe/Berlin:20210408T120000")));
            ProviderEvent day = m.events().get(1);
            ProviderEvent time = m.events().get(3);
            assertThat(day.providerEventId()).isEqualTo("days_20210414");
            assertThat(day.originalStartDate()).isEqualTo(LocalDate.of(2021, 4, 14));
            assertThat(day.originalStartTime()).isEqualTo(at("2021-04-14T00:00:00Z"));
            assertThat(time.providerEventId()).isEqualTo("timed_20210408T073000Z");
            assertThat(time.originalStartTime()).isEqualTo(at("2021-04-08T07:30:00Z"));
            assertThat(time.originalStartDate()).isNull();
        }

        @Test
        void anOverrideOfAnOccurrenceTheMasterExcludesIsCancelled() {
            IcsEventMapper.Mapping m = mapFeed(feed(
                    List.of(),
                    List.of("UID:s", "SEQUENCE:1", "DTSTART:20260101T100000Z", "RRULE:FREQ=DAILY;COUNT=5"),
                    List.of("UID:s", "RECURRENCE-ID:20260102T100000Z", "DTSTART:20260102T120000Z", "SUMMARY:edited"),
                    List.of(
                            "UID:s",
                            "SEQUENCE:2",
                            "DTSTART:20260101T100000Z",
                            "RRULE:FREQ=DAILY;COUNT=5",
                            "EXDATE:20260102T100000Z"),
                    List.of("UID:s", "RECURRENCE-ID:20260103T100000Z", "DTSTART:20260103T120000Z", "SUMMARY:kept")));
            assertThat(m.events())
                    .extracting(ProviderEvent::providerEventId, ProviderEvent::status)
                    .containsExactly(
                            tuple("s", EventStatus.CONFIRMED),
                            tuple("s_20260102T100000Z", EventStatus.CANCELLED),
                            tuple("s_20260103T100000Z", EventStatus.CONFIRMED));
            assertThat(m.duplicates()).isEqualTo(1);
        }

        @Test
        void exdatesWithoutARuleMeanNothingAndOverridesCarryNoRecurrence() {
            ProviderEvent single = one("UID:a", "DTSTART:20260101T100000Z", "EXDATE:20260101T100000Z");
            ProviderEvent override = one(
                    "UID:b", "RECURRENCE-ID:20260101T100000Z", "DTSTART:20260101T110000Z", "RRULE:FREQ=DAILY;COUNT=2");
            assertThat(single.recurrence()).isNull();
            assertThat(override.recurrence()).isNull();
        }
    }

    @Nested
    class People {

        @Test
        void organizerAndAttendeesByMailtoWithNameAnswerAndRole() {
            ProviderEvent e = one(
                    "UID:a",
                    "DTSTART:20260101T100000Z",
                    "ORGANIZER;CN=Ann:MAILTO:ann@example.com",
                    "ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.com",
                    "ATTENDEE;CN=\"Doe, Bob\";PARTSTAT=DECLINED;ROLE=OPT-PARTICIPANT:mailto:bob@example.com",
                    "ATTENDEE;PARTSTAT=TENTATIVE:mailto:cy@example.com",
                    "ATTENDEE;PARTSTAT=DELEGATED:mailto:dee@example.com",
                    "ATTENDEE:mailto:BOB@example.com",
                    "ATTENDEE;CN=Room:urn:uuid:1234",
                    "ATTENDEE;EMAIL=real@example.com:mailto:opaque-token@example.com");
            assertThat(e.organizerEmail()).isEqualTo("ann@example.com");
            assertThat(e.attendees())
                    .extracting(
                            ProviderEvent.Attendee::email,
                            ProviderEvent.Attendee::displayName,
                            ProviderEvent.Attendee::responseStatus,
                            ProviderEvent.Attendee::optional,
                            ProviderEvent.Attendee::organizer)
                    .containsExactly(
                            tuple("ann@example.com", "Ann", RsvpStatus.ACCEPTED, false, true),
                            tuple("bob@example.com", "Doe, Bob", RsvpStatus.DECLINED, true, false),
                            tuple("cy@example.com", null, RsvpStatus.TENTATIVE, false, false),
                            tuple("dee@example.com", null, RsvpStatus.NEEDS_ACTION, false, false),
                            tuple("real@example.com", null, RsvpStatus.NEEDS_ACTION, false, false));
        }

        @Test
        void anOrganizerWithoutAnAddressIsNone() {
            assertThat(one("UID:a", "DTSTART:20260101T100000Z", "ORGANIZER;CN=Someone:urn:uuid:1")
                            .organizerEmail())
                    .isNull();
        }
    }

    @Nested
    class Reminders {

        @Test
        void relativeTriggersBeforeTheStartAreRemindersAndTheRestAreNot() {
            ProviderEvent e = one(
                    "UID:a",
                    "DTSTART:20260101T100000Z",
                    alarm("DISPLAY", "TRIGGER:-PT15M"),
                    alarm("EMAIL", "TRIGGER:-P1D"),
                    alarm("AUDIO", "TRIGGER;RELATED=START:-P1W"),
                    alarm("DISPLAY", "TRIGGER:PT0S"),
                    alarm("DISPLAY", "TRIGGER:PT10M"),
                    alarm("DISPLAY", "TRIGGER;RELATED=END:-PT5M"),
                    alarm("DISPLAY", "TRIGGER;VALUE=DATE-TIME:20260101T090000Z"),
                    alarm("DISPLAY", "TRIGGER:-PT15M"));
            assertThat(e.reminders())
                    .extracting(ProviderEvent.Reminder::method, ProviderEvent.Reminder::minutesBefore)
                    .containsExactly(
                            tuple(ReminderMethod.POPUP, 15),
                            tuple(ReminderMethod.EMAIL, 1440),
                            tuple(ReminderMethod.POPUP, 10080),
                            tuple(ReminderMethod.POPUP, 0));
        }

        static String alarm(String action, String trigger) {
            return String.join("\r\n", "BEGIN:VALARM", "ACTION:" + action, trigger, "END:VALARM");
        }
    }

    @Nested
    class Duplicates {

        @Test
        void theHighestSequenceWinsWhereverItStands() {
            IcsEventMapper.Mapping m = mapFeed(feed(
                    List.of(),
                    List.of("UID:d", "SEQUENCE:2", "DTSTART:20260101T100000Z", "SUMMARY:newest"),
                    List.of(
                            "UID:d",
                            "SEQUENCE:1",
                            "LAST-MODIFIED:20270101T000000Z",
                            "DTSTART:20260101T100000Z",
                            "SUMMARY:older")));
            assertThat(m.events()).extracting(ProviderEvent::title).containsExactly("newest");
            assertThat(m.duplicates()).isEqualTo(1);
        }

        @Test
        void thenTheLatestLastModifiedThenTheLaterInTheFeed() {
            IcsEventMapper.Mapping byModified = mapFeed(feed(
                    List.of(),
                    List.of("UID:d", "LAST-MODIFIED:20260301T000000Z", "DTSTART:20260101T100000Z", "SUMMARY:March"),
                    List.of("UID:d", "LAST-MODIFIED:20260201T000000Z", "DTSTART:20260101T100000Z", "SUMMARY:Feb")));
            IcsEventMapper.Mapping byPosition = mapFeed(feed(
                    List.of(),
                    List.of("UID:d", "DTSTART:20260101T100000Z", "SUMMARY:first"),
                    List.of("UID:d", "DTSTART:20260102T100000Z", "SUMMARY:second")));
            assertThat(byModified.events()).extracting(ProviderEvent::title).containsExactly("March");
            assertThat(byPosition.events()).extracting(ProviderEvent::title).containsExactly("second");
            assertThat(byPosition.duplicates()).isEqualTo(1);
        }

        @Test
        void aRepeatedOverrideKeepsItsNewestVersionBesideItsMaster() {
            IcsEventMapper.Mapping m = mapFeed(feed(
                    List.of(),
                    List.of("UID:s", "DTSTART:20260101T100000Z", "RRULE:FREQ=DAILY;COUNT=5"),
                    List.of(
                            "UID:s",
                            "RECURRENCE-ID:20260102T100000Z",
                            "SEQUENCE:1",
                            "DTSTART:20260102T120000Z",
                            "SUMMARY:v1"),
                    List.of("UID:s", "RECURRENCE-ID:20260102T100000Z", "DTSTART:20260102T110000Z", "SUMMARY:v0")));
            assertThat(m.events())
                    .extracting(ProviderEvent::providerEventId, ProviderEvent::title)
                    .containsExactly(tuple("s", null), tuple("s_20260102T100000Z", "v1"));
            assertThat(m.duplicates()).isEqualTo(1);
        }
    }

    @Nested
    class Text {

        @Test
        void severalSummariesAreJoinedAndALongTitleIsCutToTheColumn() {
            ProviderEvent joined =
                    one("UID:a", "DTSTART:20260101T100000Z", "SUMMARY:The Strokes", "SUMMARY:Is this it?");
            ProviderEvent longOne = one("UID:b", "DTSTART:20260101T100000Z", "SUMMARY:" + "t".repeat(1500));
            assertThat(joined.title()).isEqualTo("The Strokes - Is this it?");
            assertThat(longOne.title()).hasSize(IcsEventMapper.MAX_TITLE);
        }

        @Test
        void cuttingNeverSplitsASurrogatePair() {
            String s = "a".repeat(9) + "\uD83D\uDE49";
            assertThat(IcsEventMapper.cut(s, 10)).isEqualTo("a".repeat(9));
            assertThat(IcsEventMapper.cut(s, 11)).isEqualTo(s);
        }
    }

    @Nested
    class Robustness {

        static final List<String> SOURCE = List.of(
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "X-WR-TIMEZONE:Europe/Berlin",
                "BEGIN:VTIMEZONE",
                "TZID:Custom",
                "BEGIN:STANDARD",
                "DTSTART:16010101T000000",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
                "UID:m",
                "DTSTART;TZID=Custom:20260105T090000",
                "DTEND;TZID=Custom:20260105T100000",
                "RRULE:FREQ=WEEKLY;UNTIL=20260301;BYDAY=MO",
                "EXDATE;TZID=Custom:20260112T090000",
                "RDATE;VALUE=PERIOD:20260120T080000Z/PT1H",
                "ORGANIZER;CN=A:mailto:a@example.com",
                "ATTENDEE;PARTSTAT=ACCEPTED;ROLE=OPT-PARTICIPANT:mailto:b@example.com",
                "BEGIN:VALARM",
                "ACTION:EMAIL",
                "TRIGGER:-PT30M",
                "END:VALARM",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "UID:m",
                "RECURRENCE-ID;VALUE=DATE:20260119",
                "DTSTART;VALUE=DATE:20260120",
                "DURATION:P1D",
                "STATUS:CANCELLED",
                "END:VEVENT",
                "BEGIN:VEVENT",
                "DTSTART:20260110",
                "SUMMARY:no uid",
                "LAST-MODIFIED:20260101T000000Z",
                "SEQUENCE:x",
                "END:VEVENT",
                "END:VCALENDAR");

        /**
         * Hundreds of broken variants of one feed (lines dropped, doubled, cut, or their value or parameters
         * garbled), with a fixed seed: each is refused by the parser with its reason or mapped, every VEVENT read
         * accounted for, never another exception.
         */
        @Test
        void mutatedFeedsAreMappedOrRefusedNeverThrown() {
            java.util.Random random = new java.util.Random(20261124);
            int mapped = 0;
            for (int variant = 0; variant < 400; variant++) {
                List<String> lines = new ArrayList<>(SOURCE);
                for (int change = 0; change < 1 + random.nextInt(4); change++) {
                    int at = random.nextInt(lines.size());
                    String line = lines.get(at);
                    switch (random.nextInt(5)) {
                        case 0 -> lines.remove(at);
                        case 1 -> lines.add(at, line);
                        case 2 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
                        case 3 -> lines.set(at, line.replaceAll("\\d", String.valueOf(random.nextInt(10))));
                        default -> lines.set(at, line.replace(':', random.nextBoolean() ? ';' : '='));
                    }
                }
                byte[] bytes = (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
                io.calsync.providers.ical.IcsFeed feed;
                try {
                    feed = PARSER.parse(bytes);
                } catch (io.calsync.providers.ical.InvalidIcsException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                    continue;
                }
                IcsEventMapper.Mapping m = mapper.map(feed);
                assertThat(m.events().size() + m.skipped().size() + m.duplicates())
                        .as(String.join("\n", lines))
                        .isEqualTo(feed.events().size());
                assertThat(m.events()).allSatisfy(IcsFeedCorpusTest::wellFormed);
                mapped++;
            }
            assertThat(mapped).as("variants that parsed").isGreaterThan(100);
        }
    }

    /** The occurrence starts of a master from 2000 to 2100, read from its lines only, as the gateway would. */
    static List<Instant> expand(ProviderEvent master) {
        return WindowReader.read(List.of(master), at("2000-01-01T00:00:00Z"), at("2100-01-01T00:00:00Z")).stream()
                .map(WindowReader.Shown::start)
                .toList();
    }

    @Test
    void theTestExpanderItselfHonoursRdatesAndExdates() {
        ProviderEvent e = one(
                "UID:x",
                "DTSTART:20260101T100000Z",
                "RRULE:FREQ=DAILY;COUNT=3",
                "EXDATE:20260102T100000Z",
                "RDATE:20260110T100000Z");
        assertThat(expand(e))
                .containsExactlyElementsOf(Arrays.asList(
                        at("2026-01-01T10:00:00Z"), at("2026-01-03T10:00:00Z"), at("2026-01-10T10:00:00Z")));
    }
}
