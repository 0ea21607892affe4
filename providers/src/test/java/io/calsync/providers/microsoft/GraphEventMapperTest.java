package io.calsync.providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link GraphEventMapper} against every Graph event payload of the shared corpus (Microsoft's docs and projects that
 * recorded Graph's answers), and against the edge cases the corpus lacks.
 */
class GraphEventMapperTest {

    /** Every event object of the corpus by "file$.path", and what it mapped to. */
    private static final Map<String, JsonNode> RAW = new LinkedHashMap<>();

    private static final Map<String, ProviderEvent> MAPPED = new LinkedHashMap<>();

    @BeforeAll
    static void mapTheCorpus() throws IOException {
        Path graph = Corpus.root().resolve("graph");
        List<Path> files;
        try (Stream<Path> s = Files.walk(graph)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode root = GraphClient.JSON.readTree(Files.readString(f));
            collect(graph.relativize(f).toString(), "$", null, root);
        }
        RAW.forEach((name, json) -> MAPPED.put(name, GraphEventMapper.toProviderEvent(json)));
    }

    /**
     * An event is an object with a start and an end dateTimeTimeZone and an id or subject; free/busy items of
     * getSchedule and an attendee's proposed new time have times too but are not events.
     */
    private static void collect(String file, String path, String parentKey, JsonNode node) {
        if (node.isObject()) {
            boolean times =
                    node.path("start").has("dateTime") && node.path("end").has("dateTime");
            boolean named = node.has("id") || node.has("subject");
            if (times && named && !"scheduleItems".equals(parentKey) && !"proposedNewTime".equals(parentKey)) {
                RAW.put(file + path, node);
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(file, path + "." + e.getKey(), e.getKey(), e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(file, path + "[" + i + "]", parentKey, node.get(i));
            }
        }
    }

    private static ProviderEvent corpus(String name) {
        ProviderEvent e = MAPPED.get(name);
        assertThat(e).as("corpus event " + name + " among " + MAPPED.keySet()).isNotNull();
        return e;
    }

    private static JsonNode corpusFile(String relative) {
        try {
            return GraphClient.JSON.readTree(Files.readString(Corpus.root().resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the corpus

    @Test
    void showAsIsKeptAsAvailabilityAndWrittenBackButBusy() throws Exception {
        MAPPED.forEach((name, e) -> assertThat(e.availability())
                .as(name)
                .isEqualTo(io.calsync.model.domain.Availability.fromGraphShowAs(
                        GraphEventMapper.text(RAW.get(name), "showAs"))));
        for (String showAs : List.of("free", "tentative", "oof", "workingElsewhere", "busy", "unknown")) {
            ProviderEvent e = GraphEventMapper.toProviderEvent(GraphClient.JSON.readTree("""
                    {"id":"A","subject":"s","showAs":"%s","start":{"dateTime":"2026-05-04T09:00:00","timeZone":"UTC"},
                     "end":{"dateTime":"2026-05-04T10:00:00","timeZone":"UTC"}}""".formatted(showAs)));
            String written = GraphEventMapper.text(GraphEventMapper.toGraph(e, false), "showAs");
            assertThat(written)
                    .as(showAs)
                    .isEqualTo(
                            switch (showAs) {
                                case "busy", "unknown" -> null;
                                default -> showAs;
                            });
        }
    }

    @Test
    void everyCorpusEventMapsWithConsistentTimes() {
        // the docs' examples, the Nango and Mattermost recordings: thirty events across twenty files
        assertThat(MAPPED).hasSizeGreaterThanOrEqualTo(30);
        MAPPED.forEach((name, e) -> {
            JsonNode raw = RAW.get(name);
            assertThat(e.startTime()).as(name).isNotNull();
            assertThat(e.endTime()).as(name).isNotNull().isAfterOrEqualTo(e.startTime());
            assertThat(e.providerEventId()).as(name).isEqualTo(GraphEventMapper.text(raw, "id"));
            assertThat(e.title()).as(name).isEqualTo(GraphEventMapper.text(raw, "subject"));
            assertThat(e.status()).as(name).isNotNull();
            if (raw.path("isAllDay").asBoolean(false)) {
                assertThat(e.startDate()).as(name).isNotNull();
            } else {
                assertThat(e.startDate()).as(name).isNull();
            }
            if ("seriesMaster".equals(GraphEventMapper.text(raw, "type"))) {
                assertThat(e.recurrenceRule()).as(name).startsWith("FREQ=");
            }
            if (raw.hasNonNull("seriesMasterId")) {
                assertThat(e.providerRecurringId()).as(name).isEqualTo(GraphEventMapper.text(raw, "seriesMasterId"));
                assertThat(e.originalStartTime()).as(name).isNotNull();
            }
            if (raw.hasNonNull("originalStartTimeZone")) {
                assertThat(e.timezone()).as(name).isNotNull();
            }
        });
    }

    @Test
    void aWindowsZoneReadsAsTheInstantItMeans() {
        ProviderEvent e = corpus("microsoft-graph-docs/event-get__example1.json$");

        // 10:00 in "Pacific Standard Time" in April is 10:00 PDT
        assertThat(e.startTime()).isEqualTo(Instant.parse("2017-04-21T17:00:00Z"));
        assertThat(e.endTime()).isEqualTo(Instant.parse("2017-04-21T19:00:00Z"));
        assertThat(e.timezone()).isEqualTo("America/Los_Angeles");
        assertThat(e.description())
                .isEqualTo(
                        "Dana, this is the time you selected for our orientation. Please bring the notes I sent you.");
        assertThat(e.location()).isEqualTo("Assembly Hall");
        assertThat(e.etag()).isEqualTo("ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==");
        assertThat(e.organizerEmail()).isEqualTo("samanthab@a830edad905084922E17020313.onmicrosoft.com");
        assertThat(e.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee(
                                "samanthab@a830edad905084922E17020313.onmicrosoft.com",
                                "Samantha Booth",
                                RsvpStatus.NEEDS_ACTION,
                                false,
                                true),
                        new ProviderEvent.Attendee(
                                "danas@a830edad905084922E17020313.onmicrosoft.com",
                                "Dana Swope",
                                RsvpStatus.TENTATIVE,
                                false,
                                false));
    }

    @Test
    void aSeriesMasterOfTheDocsReadsAsAnRruleInItsZone() {
        ProviderEvent e = corpus("microsoft-graph-docs/user-post-events__create_event_recurring.json$");

        // endDate 2017-12-31 ends at 23:59:59 Pacific time, 07:59:59 UTC the next day
        assertThat(e.recurrence()).containsExactly("RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU;UNTIL=20180101T075959Z");
        assertThat(e.recurrenceFrequency()).isEqualTo("WEEKLY");
        assertThat(e.timezone()).isEqualTo("America/Los_Angeles");
        assertThat(e.startTime()).isEqualTo(Instant.parse("2017-09-04T19:00:00Z"));
        assertThat(e.isInstance()).isFalse();
        assertThat(e.description()).isEqualTo("Does late morning work for you?");
        assertThat(e.providerUpdatedAt()).isEqualTo(Instant.parse("2017-10-07T04:59:13.8136423Z"));
        assertThat(e.etag()).isEqualTo("+T8RDneHMkKe2BGYEaQZ4wAA5a9Acw==");
        assertThat(e.iCalUid()).startsWith("040000008200E00074C5B7101A82E008");
        assertThat(e.htmlLink()).startsWith("https://outlook.office365.com/owa/?itemid=AAMkADQwMD");
        assertThat(e.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 15));
        assertThat(e.attendees())
                .extracting(ProviderEvent.Attendee::email)
                .containsExactly("AdeleV@contoso.onmicrosoft.com");
    }

    @Test
    void aNumberedSeriesWithAnIanaZoneAndAWindowsRecurrenceZone() {
        ProviderEvent e = corpus("nango-integration-templates/list-calendar-events__get_me-events.json$.value[1]");

        assertThat(e.recurrence()).containsExactly("RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU;COUNT=8");
        assertThat(e.timezone()).isEqualTo("Africa/Nairobi");
        assertThat(e.startTime()).isEqualTo(Instant.parse("2026-05-11T06:00:00Z"));
        // Exchange's HTML around an empty text body is no description
        assertThat(e.description()).isNull();
    }

    @Test
    void otherWindowsZonesOfTheCorpus() {
        assertThat(corpus("microsoft-graph-docs/group-list-calendarview__example1.json$.value[0]")
                        .timezone())
                .isEqualTo("America/New_York");
        ProviderEvent mattermost = corpus("mattermost-plugin-mscalendar/get_calendar_view_response.json$.value[0]");
        assertThat(mattermost.timezone()).isEqualTo("America/Los_Angeles");
        assertThat(mattermost.startTime()).isEqualTo(Instant.parse("2020-04-14T20:30:00Z"));
        assertThat(mattermost.location()).as("an empty displayName").isNull();
        assertThat(corpus("nango-integration-templates/get-event__get_me-events-ID.json$")
                        .timezone())
                .isEqualTo("UTC");
    }

    @Test
    void instancesOfTheDocsPointAtTheirMaster() {
        String file = "microsoft-graph-docs/event-list-instances__get_instances.json$.value";
        ProviderEvent exception = corpus(file + "[0]");
        ProviderEvent occurrence = corpus(file + "[1]");

        assertThat(exception.providerRecurringId()).isEqualTo("AAMkAGUzYRgWAAA=");
        assertThat(exception.recurrence()).isNull();
        assertThat(occurrence.providerRecurringId()).isEqualTo("AAMkAGUzYRgWAAA=");
        assertThat(occurrence.originalStartTime())
                .isEqualTo(occurrence.startTime())
                .isEqualTo(Instant.parse("2019-04-08T20:30:00Z"));
    }

    @Test
    void theDocsRecurrenceFragmentsAllBecomeRrules() throws IOException {
        Path docs = Corpus.root().resolve("graph/microsoft-graph-docs");
        List<Path> fragments;
        try (Stream<Path> s = Files.list(docs)) {
            fragments = s.filter(p -> p.getFileName().toString().startsWith("outlook-schedule-recurring-events"))
                    .sorted()
                    .toList();
        }
        assertThat(fragments).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : fragments) {
            JsonNode j = GraphClient.JSON.readTree(Files.readString(f));
            ObjectNode recurrence = GraphClient.JSON.createObjectNode();
            JsonNode inner = j.has("recurrence") ? j.get("recurrence") : j;
            recurrence.set(
                    "pattern",
                    inner.has("pattern") ? inner.get("pattern") : json("{\"type\":\"daily\",\"interval\":1}"));
            recurrence.set(
                    "range",
                    inner.has("range")
                            ? inner.get("range")
                            : json("{\"type\":\"noEnd\",\"startDate\":\"2017-05-15\"}"));
            String rrule = GraphRecurrence.toRrule(
                    recurrence, LocalDate.of(2017, 5, 15), java.time.ZoneId.of("America/Los_Angeles"), false);
            assertThat(rrule).as(f.getFileName().toString()).startsWith("RRULE:FREQ=");
            // and back: Graph can hold every rule it wrote
            ObjectNode back = GraphRecurrence.toGraph(
                    List.of(rrule),
                    LocalDate.of(2017, 5, 15),
                    java.time.ZoneId.of("America/Los_Angeles"),
                    "Pacific Standard Time");
            assertThat(back.at("/pattern/type").asString())
                    .as(f.getFileName().toString())
                    .isEqualToIgnoringCase(recurrence.at("/pattern/type").asString());
        }
    }

    // ------------------------------------------------------------------ edge cases

    private static JsonNode json(String text) {
        return GraphClient.JSON.readTree(text);
    }

    private static ProviderEvent map(String text) {
        return GraphEventMapper.toProviderEvent(json(text));
    }

    @Test
    void allDayEventsAreTheirDatesWhateverZoneTheyAreRenderedIn() {
        ProviderEvent utc = map("""
                {"id":"a","subject":"Offsite","isAllDay":true,"originalStartTimeZone":"Pacific Standard Time",
                 "start":{"dateTime":"2026-05-10T00:00:00.0000000","timeZone":"UTC"},
                 "end":{"dateTime":"2026-05-12T00:00:00.0000000","timeZone":"UTC"}}""");
        ProviderEvent tokyo = map("""
                {"id":"a","subject":"Offsite","isAllDay":true,"originalStartTimeZone":"Pacific Standard Time",
                 "start":{"dateTime":"2026-05-10T00:00:00.0000000","timeZone":"Tokyo Standard Time"},
                 "end":{"dateTime":"2026-05-12T00:00:00.0000000","timeZone":"Tokyo Standard Time"}}""");

        for (ProviderEvent e : List.of(utc, tokyo)) {
            assertThat(e.allDay()).isTrue();
            assertThat(e.startDate()).isEqualTo(LocalDate.of(2026, 5, 10));
            assertThat(e.endDate()).isEqualTo(LocalDate.of(2026, 5, 12));
            assertThat(e.startTime()).isEqualTo(Instant.parse("2026-05-10T00:00:00Z"));
            assertThat(e.endTime()).isEqualTo(Instant.parse("2026-05-12T00:00:00Z"));
            assertThat(e.timezone()).isEqualTo("America/Los_Angeles");
        }
    }

    @Test
    void anAllDayOccurrenceKeepsItsOriginalDate() {
        ProviderEvent e = map("""
                {"id":"o","seriesMasterId":"m","type":"exception","isAllDay":true,
                 "originalStartTimeZone":"Pacific Standard Time","originalStart":"2026-04-06T07:00:00Z",
                 "start":{"dateTime":"2026-04-08T00:00:00.0000000","timeZone":"UTC"},
                 "end":{"dateTime":"2026-04-09T00:00:00.0000000","timeZone":"UTC"}}""");

        assertThat(e.originalStartDate()).isEqualTo(LocalDate.of(2026, 4, 6));
        assertThat(e.originalStartTime()).isEqualTo(Instant.parse("2026-04-06T00:00:00Z"));
        assertThat(e.startDate()).isEqualTo(LocalDate.of(2026, 4, 8));
    }

    @Test
    void statusComesFromIsCancelledThenShowAs() {
        String times = """
                "start":{"dateTime":"2026-05-10T09:00:00","timeZone":"UTC"},
                "end":{"dateTime":"2026-05-10T10:00:00","timeZone":"UTC"}""";
        assertThat(map("{\"id\":\"a\",\"isCancelled\":true,\"showAs\":\"tentative\"," + times + "}")
                        .status())
                .isEqualTo(EventStatus.CANCELLED);
        assertThat(map("{\"id\":\"a\",\"showAs\":\"tentative\"," + times + "}").status())
                .isEqualTo(EventStatus.TENTATIVE);
        assertThat(map("{\"id\":\"a\",\"showAs\":\"oof\"," + times + "}").status())
                .isEqualTo(EventStatus.CONFIRMED);
    }

    @Test
    void zonesNoTableKnowsKeepTheInstant() {
        ProviderEvent utc = map("""
                {"id":"a","originalStartTimeZone":"tzone://Microsoft/Utc",
                 "start":{"dateTime":"2026-05-10T09:00:00.0000000","timeZone":"UTC"},
                 "end":{"dateTime":"2026-05-10T10:00:00.0000000","timeZone":"UTC"}}""");
        ProviderEvent custom = map("""
                {"id":"a","originalStartTimeZone":"Customized Time Zone",
                 "start":{"dateTime":"2026-05-10T09:00:00.0000000","timeZone":"UTC"},
                 "end":{"dateTime":"2026-05-10T10:00:00.0000000","timeZone":"UTC"}}""");

        assertThat(utc.timezone()).isEqualTo("UTC");
        assertThat(custom.timezone()).as("dropped, not guessed").isNull();
        assertThat(custom.startTime()).isEqualTo(Instant.parse("2026-05-10T09:00:00Z"));
    }

    @Test
    void attendeeAnswersRemindersAndTheOrganizer() {
        ProviderEvent e = map("""
                {"id":"a","isReminderOn":true,"organizer":{"emailAddress":{"address":"boss@contoso.test"}},
                 "start":{"dateTime":"2026-05-10T09:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"2026-05-10T10:00:00","timeZone":"UTC"},
                 "attendees":[
                   {"type":"required","status":{"response":"organizer"},"emailAddress":{"address":"boss@contoso.test"}},
                   {"type":"optional","status":{"response":"accepted"},"emailAddress":{"address":"a@contoso.test","name":"A"}},
                   {"type":"required","status":{"response":"declined"},"emailAddress":{"address":"b@contoso.test"}},
                   {"type":"resource","status":{"response":"notResponded"},"emailAddress":{"address":"room@contoso.test"}},
                   {"type":"required","status":{"response":"tentativelyAccepted"},"emailAddress":{"address":"c@contoso.test"}},
                   {"type":"required","emailAddress":{"name":"No address"}}]}""");

        assertThat(e.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee("boss@contoso.test", null, RsvpStatus.ACCEPTED, false, true),
                        new ProviderEvent.Attendee("a@contoso.test", "A", RsvpStatus.ACCEPTED, true, false),
                        new ProviderEvent.Attendee("b@contoso.test", null, RsvpStatus.DECLINED, false, false),
                        new ProviderEvent.Attendee("room@contoso.test", null, RsvpStatus.NEEDS_ACTION, false, false),
                        new ProviderEvent.Attendee("c@contoso.test", null, RsvpStatus.TENTATIVE, false, false));
        assertThat(e.reminders())
                .as("Outlook's default lead time")
                .containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 15));
        assertThat(map("""
                                {"id":"a","isReminderOn":false,"reminderMinutesBeforeStart":30,
                                 "start":{"dateTime":"2026-05-10T09:00:00","timeZone":"UTC"},
                                 "end":{"dateTime":"2026-05-10T10:00:00","timeZone":"UTC"}}""").reminders()).isEmpty();
    }

    @Test
    void htmlBodiesBecomeText() {
        assertThat(GraphEventMapper.htmlToText("""
                        <html><head><meta charset="utf-8"><style>p { color: red }</style></head>
                        <body><!-- a comment --><p>Line one<br>Line  two</p>
                        <div>Caf&#233; &#x263A; &lt;tag&gt; &amp; &quot;quotes&quot;&nbsp;end</div>
                        <p></p><p>After a gap</p></body></html>"""))
                .isEqualTo("Line one\nLine two\nCafé ☺ <tag> & \"quotes\" end\n\nAfter a gap");
        assertThat(GraphEventMapper.description(json("""
                        {"body":{"contentType":"text","content":"  plain\\r\\ntext  "},"bodyPreview":"ignored"}"""))).isEqualTo("plain\ntext");
        assertThat(GraphEventMapper.description(json("""
                        {"bodyPreview":"only the preview was selected"}"""))).isEqualTo("only the preview was selected");
    }

    @Test
    void anEventWithoutTimesIsRefused() {
        assertThatThrownBy(() -> map("""
                        {"id":"a","subject":"no times"}"""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start");
    }

    // ------------------------------------------------------------------ writing

    private static ProviderEvent event(
            boolean allDay,
            String zone,
            EventStatus status,
            List<String> recurrence,
            String recurringId,
            List<ProviderEvent.Attendee> attendees) {
        return new ProviderEvent(
                "id",
                null,
                "Title",
                "Text",
                "Room",
                Instant.parse("2026-07-01T07:30:00Z"),
                Instant.parse("2026-07-01T08:00:00Z"),
                allDay,
                allDay ? LocalDate.of(2026, 7, 1) : null,
                allDay ? LocalDate.of(2026, 7, 2) : null,
                zone,
                status,
                recurrence,
                recurringId,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                attendees,
                List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, 5)),
                null);
    }

    @Test
    void timesGoOutInTheEventsZoneUnderItsWindowsName() {
        ObjectNode berlin = GraphEventMapper.toGraph(
                event(false, "Europe/Berlin", EventStatus.CONFIRMED, null, null, List.of()), true);
        assertThat(berlin.at("/start/dateTime").asString()).isEqualTo("2026-07-01T09:30:00");
        assertThat(berlin.at("/start/timeZone").asString()).isEqualTo("W. Europe Standard Time");
        assertThat(berlin.at("/end/dateTime").asString()).isEqualTo("2026-07-01T10:00:00");
        assertThat(berlin.get("isAllDay").asBoolean()).isFalse();
        assertThat(berlin.get("isReminderOn").asBoolean()).isTrue();
        assertThat(berlin.get("reminderMinutesBeforeStart").asInt()).isEqualTo(5);
        assertThat(berlin.has("showAs")).isFalse();
        assertThat(berlin.at("/body/contentType").asString()).isEqualTo("text");
        assertThat(berlin.has("recurrence")).isFalse();

        ObjectNode unknown = GraphEventMapper.toGraph(
                event(false, "Mars/Olympus_Mons", EventStatus.TENTATIVE, null, null, List.of()), true);
        assertThat(unknown.at("/start/dateTime").asString()).isEqualTo("2026-07-01T07:30:00");
        assertThat(unknown.at("/start/timeZone").asString()).isEqualTo("UTC");
        assertThat(unknown.get("showAs").asString()).isEqualTo("tentative");
    }

    @Test
    void allDayEventsGoOutAsMidnightDates() {
        ObjectNode j = GraphEventMapper.toGraph(
                event(true, "America/New_York", EventStatus.CONFIRMED, null, null, List.of()), true);

        assertThat(j.get("isAllDay").asBoolean()).isTrue();
        assertThat(j.at("/start/dateTime").asString()).isEqualTo("2026-07-01T00:00:00");
        assertThat(j.at("/end/dateTime").asString()).isEqualTo("2026-07-02T00:00:00");
        assertThat(j.at("/start/timeZone").asString()).isEqualTo("Eastern Standard Time");
    }

    @Test
    void theOrganizerIsNotSentAsAnAttendee() {
        ObjectNode j = GraphEventMapper.toGraph(
                event(
                        false,
                        "UTC",
                        EventStatus.CONFIRMED,
                        null,
                        null,
                        List.of(
                                new ProviderEvent.Attendee("me@contoso.test", "Me", RsvpStatus.ACCEPTED, false, true),
                                new ProviderEvent.Attendee(
                                        "you@contoso.test", "You", RsvpStatus.NEEDS_ACTION, true, false))),
                true);

        assertThat(j.get("attendees")).hasSize(1);
        assertThat(j.at("/attendees/0/emailAddress/address").asString()).isEqualTo("you@contoso.test");
        assertThat(j.at("/attendees/0/type").asString()).isEqualTo("optional");
    }

    @Test
    void aMasterCarriesItsPatternAndAnInstanceNone() {
        List<String> rule = List.of("RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "EXDATE:20260731T073000Z");
        ObjectNode master = GraphEventMapper.toGraph(
                event(false, "Europe/London", EventStatus.CONFIRMED, rule, null, List.of()), true);
        ObjectNode instance = GraphEventMapper.toGraph(
                event(false, "Europe/London", EventStatus.CONFIRMED, rule, "series", List.of()), true);

        assertThat(master.at("/recurrence/pattern/type").asString()).isEqualTo("relativeMonthly");
        assertThat(master.at("/recurrence/pattern/index").asString()).isEqualTo("last");
        assertThat(master.at("/recurrence/pattern/daysOfWeek/0").asString()).isEqualTo("friday");
        assertThat(master.at("/recurrence/range/type").asString()).isEqualTo("numbered");
        assertThat(master.at("/recurrence/range/numberOfOccurrences").asInt()).isEqualTo(6);
        assertThat(master.at("/recurrence/range/startDate").asString()).isEqualTo("2026-07-01");
        assertThat(master.at("/recurrence/range/recurrenceTimeZone").asString()).isEqualTo("GMT Standard Time");
        assertThat(instance.has("recurrence")).isFalse();
    }

    @Test
    void windowsNamesForCommonZones() {
        assertThat(GraphEventMapper.windowsName(java.time.ZoneId.of("America/Los_Angeles")))
                .isEqualTo("Pacific Standard Time");
        assertThat(GraphEventMapper.windowsName(java.time.ZoneId.of("Asia/Kolkata")))
                .isEqualTo("India Standard Time");
        assertThat(GraphEventMapper.windowsName(java.time.ZoneId.of("UTC"))).isEqualTo("UTC");
        assertThat(GraphEventMapper.windowsName(java.time.ZoneOffset.UTC)).isEqualTo("UTC");
    }
}
