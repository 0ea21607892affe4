package io.calsync.providers.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventReminder;
import com.google.api.services.calendar.model.Events;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.google.GoogleEventMapper.CalendarDefaults;
import io.calsync.providers.google.GoogleSandbox.EventSpec;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mapping on real Google payloads (every event of the shared corpus) and on the shapes the corpus lacks: minimal
 * cancelled occurrences, zone fallbacks, default reminders, and the way back to Google.
 */
class GoogleEventMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GsonFactory GSON = GsonFactory.getDefaultInstance();

    /** Every Google event of the corpus, by "file" or "file#name"/"file[index]", mapped with its page's defaults. */
    private static final Map<String, ProviderEvent> CORPUS = new LinkedHashMap<>();

    private static final Map<String, Event> RAW = new LinkedHashMap<>();

    @BeforeAll
    static void mapTheCorpus() throws IOException {
        Path google = Corpus.root().resolve("google");
        List<Path> files;
        try (Stream<Path> s = Files.walk(google)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = google.relativize(file).toString().replace('\\', '/');
            JsonNode root = JSON.readTree(file.toFile());
            String kind = root.path("kind").isString() ? root.get("kind").stringValue() : null;
            if ("calendar#event".equals(kind)) {
                add(name, event(root), CalendarDefaults.NONE);
            } else if ("calendar#events".equals(kind)) {
                Events page = GSON.fromString(root.toString(), Events.class);
                CalendarDefaults defaults = new CalendarDefaults(page.getTimeZone(), page.getDefaultReminders());
                int i = 0;
                for (JsonNode item : root.path("items")) {
                    add(name + "[" + i++ + "]", event(item), defaults);
                }
            } else if (kind == null && root.isObject()) {
                // gdata-provider's fixtures: named events (and tasks) in one object.
                for (Map.Entry<String, JsonNode> e : root.properties()) {
                    if ("calendar#event".equals(e.getValue().path("kind").asString(null))) {
                        add(name + "#" + e.getKey(), event(e.getValue()), CalendarDefaults.NONE);
                    }
                }
            }
        }
    }

    private static Event event(JsonNode node) {
        try {
            return GSON.fromString(node.toString(), Event.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void add(String key, Event e, CalendarDefaults defaults) {
        RAW.put(key, e);
        CORPUS.put(key, GoogleEventMapper.toProviderEvent(e, defaults));
    }

    private static ProviderEvent corpus(String key) {
        assertThat(CORPUS).containsKey(key);
        return CORPUS.get(key);
    }

    private static String toJson(Event e) {
        try {
            return GSON.toString(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Event parse(String json) {
        try {
            return GSON.fromString(json, Event.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the corpus

    @Test
    void transparencyIsKeptAsAvailabilityAndOnlyFreeIsWrittenBack() {
        long free = 0;
        for (Map.Entry<String, Event> raw : RAW.entrySet()) {
            boolean transparent = "transparent".equals(raw.getValue().getTransparency());
            free += transparent ? 1 : 0;
            assertThat(CORPUS.get(raw.getKey()).availability())
                    .as(raw.getKey())
                    .isEqualTo(
                            transparent
                                    ? io.calsync.model.domain.Availability.FREE
                                    : io.calsync.model.domain.Availability.BUSY);
        }
        assertThat(free).as("gdata's fixtures hold transparent events").isPositive();
        ProviderEvent busy = CORPUS.values().stream()
                .filter(e -> e.availability() == io.calsync.model.domain.Availability.BUSY)
                .findFirst()
                .orElseThrow();
        assertThat(GoogleEventMapper.toGooglePatch(busy).getTransparency())
                .as("busy is not sent: a patch keeps what Google holds")
                .isNull();
        ProviderEvent transparent = CORPUS.values().stream()
                .filter(e -> e.availability() == io.calsync.model.domain.Availability.FREE)
                .findFirst()
                .orElseThrow();
        assertThat(GoogleEventMapper.toGoogle(transparent).getTransparency()).isEqualTo("transparent");
    }

    @Test
    void everyGoogleEventOfTheCorpusMaps() {
        // 538 calendar#event objects: single files, list pages (nango's 250-item pages included) and gdata's fixtures.
        assertThat(CORPUS).hasSize(538);
        assertThat(CORPUS.values()).allSatisfy(e -> {
            assertThat(e.providerEventId()).isNotBlank();
            assertThat(e.status()).isNotNull();
            if (e.startTime() != null) {
                assertThat(e.endTime()).isAfterOrEqualTo(e.startTime());
            }
            if (e.allDay()) {
                assertThat(e.endDate()).isAfter(e.startDate());
            }
        });
        // Instances name their series and their original start; masters never do.
        assertThat(CORPUS.values().stream().filter(ProviderEvent::isInstance))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.originalStartTime()).isNotNull());
        assertThat(CORPUS.values().stream().filter(e -> e.recurrence() != null))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.providerRecurringId()).isNull());
    }

    @Test
    void libkgapiAllDayYearlySeries() {
        ProviderEvent e = corpus("libkgapi/event2.json");

        assertThat(e.providerEventId()).isEqualTo("_60o3iopicdhjib9g6ss32b9k70p68b9ocdhm8b9ocphjioj6clh36c9j70");
        assertThat(e.iCalUid()).isEqualTo("009c2cc9-0781-482d-8ccd-8fc9bfeb3138");
        assertThat(e.title()).isEqualTo("KDE PIM Sprint");
        assertThat(e.location()).isEqualTo("Toulouse, France");
        assertThat(e.allDay()).isTrue();
        assertThat(e.startDate()).isEqualTo(LocalDate.parse("2018-04-20"));
        assertThat(e.endDate()).isEqualTo(LocalDate.parse("2018-04-23"));
        assertThat(e.startTime()).isEqualTo(Instant.parse("2018-04-20T00:00:00Z"));
        assertThat(e.endTime()).isEqualTo(Instant.parse("2018-04-23T00:00:00Z"));
        assertThat(e.recurrence()).containsExactly("RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20");
        assertThat(e.recurrenceFrequency()).isEqualTo("YEARLY");
        assertThat(e.status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(e.organizerEmail()).isEqualTo("MockAccount");
        assertThat(e.etag()).isEqualTo("\"3044901139664000\"");
        assertThat(e.providerUpdatedAt()).isEqualTo(Instant.parse("2018-03-30T22:56:09.832Z"));
        assertThat(e.sequence()).isZero();
        assertThat(e.reminders())
                .containsExactly(
                        new ProviderEvent.Reminder(ReminderMethod.EMAIL, 430),
                        new ProviderEvent.Reminder(ReminderMethod.POPUP, 10));
        assertThat(e.attendees())
                .containsExactly(new ProviderEvent.Attendee(
                        "hacker1@kde.test", "KDE Hacker 1", RsvpStatus.NEEDS_ACTION, false, false));
        assertThat(e.timezone())
                .as("neither the event nor a calendar names a zone")
                .isNull();
    }

    @Test
    void libkgapiListPageEventWithOffsetAndZone() {
        ProviderEvent e = corpus("libkgapi/events_fetch_page1_response.json[0]");

        assertThat(e.startTime()).isEqualTo(Instant.parse("2018-04-01T08:30:00Z"));
        assertThat(e.endTime()).isEqualTo(Instant.parse("2018-04-01T09:30:00Z"));
        assertThat(e.allDay()).isFalse();
        assertThat(e.startDate()).isNull();
        assertThat(e.timezone()).isEqualTo("Europe/Prague");
        assertThat(e.organizerEmail()).isEqualTo("konqui@kde.test");
        assertThat(e.reminders()).as("useDefault=false without overrides: none").isEmpty();
        assertThat(e.attendees())
                .extracting(ProviderEvent.Attendee::email, ProviderEvent.Attendee::responseStatus)
                .containsExactly(
                        tuple("attendee1@kde.test", RsvpStatus.NEEDS_ACTION),
                        tuple("attendee2@kde.test", RsvpStatus.NEEDS_ACTION));
    }

    @Test
    void nangoInstanceOfASeries() {
        String key = null;
        for (String k : CORPUS.keySet()) {
            if (k.startsWith("nango-integration-templates/get-event-instances")
                    && CORPUS.get(k).providerEventId().equals("qregmrsft1lsl6bi1p6m5vrgf4_20260322T130000Z")) {
                key = k;
            }
        }
        ProviderEvent e = corpus(key);

        assertThat(e.providerRecurringId()).isEqualTo("qregmrsft1lsl6bi1p6m5vrgf4");
        assertThat(e.originalStartTime()).isEqualTo(Instant.parse("2026-03-22T13:00:00Z"));
        assertThat(e.originalStartDate()).isNull();
        assertThat(e.startTime()).isEqualTo(Instant.parse("2026-03-22T13:00:00Z"));
        assertThat(e.timezone()).isEqualTo("America/Sao_Paulo");
        assertThat(e.recurrence()).isNull();
        assertThat(e.reminders())
                .as("useDefault with the page's empty defaults")
                .isEmpty();
    }

    @Test
    void gdataSeriesKeepsRdateAndExdateAndItsInstanceHasAnOriginalDate() {
        ProviderEvent master = corpus("gdata-provider/gcalItems.json#recur_rrule");
        assertThat(master.recurrence())
                .containsExactly(
                        "RRULE:FREQ=YEARLY;COUNT=5;BYDAY=-1SU,2SA;BYMONTH=6",
                        "RDATE;VALUE=DATE:20060812",
                        "EXDATE;VALUE=DATE:20070609");
        assertThat(master.allDay()).isTrue();

        ProviderEvent instance = corpus("gdata-provider/gcalItems.json#recur_instance");
        assertThat(instance.providerRecurringId()).isEqualTo("osndfnwejrgnejnsdjfwegjdfr");
        assertThat(instance.originalStartDate()).isEqualTo(LocalDate.parse("2006-06-25"));
        assertThat(instance.originalStartTime()).isEqualTo(Instant.parse("2006-06-25T00:00:00Z"));
        assertThat(instance.startDate()).isEqualTo(LocalDate.parse("2006-06-26"));
    }

    @Test
    void gdataEventWithDefaultRemindersTakesTheCalendarsAndKeepsAttendeeAnswers() {
        Event raw = RAW.get("gdata-provider/gcalItems.json#simple_event");
        CalendarDefaults calendar = new CalendarDefaults(
                "Europe/Berlin", List.of(new EventReminder().setMethod("popup").setMinutes(15)));

        ProviderEvent e = GoogleEventMapper.toProviderEvent(raw, calendar);

        // useDefault=true wins over the overrides the fixture also carries, as at Google.
        assertThat(e.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 15));
        assertThat(e.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee(
                                "attendee@example.com", "attendee name", RsvpStatus.TENTATIVE, true, false),
                        new ProviderEvent.Attendee("attendee2@example.com", null, RsvpStatus.TENTATIVE, false, false));
        assertThat(e.timezone()).isEqualTo("Europe/Berlin");
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(e.htmlLink()).isEqualTo("https://example.com/calendar/event?eid=eventhash");
    }

    @Test
    void nangoEventDeletedButStillReadableIsCancelled() {
        ProviderEvent e = corpus(
                "nango-integration-templates/update-attendee-response__get_calendars-primary-events-3jipb4nqt786pa7ma2heehi4ms.json");

        assertThat(e.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(e.isInstance()).isFalse();
        assertThat(e.attendees())
                .extracting(ProviderEvent.Attendee::responseStatus)
                .containsExactly(RsvpStatus.ACCEPTED);
    }

    // ---------------------------------------------------------------- shapes the corpus lacks

    @Test
    void cancelledOccurrenceWithOnlyItsIdsTakesTheOriginalStartFromItsId() {
        Event timed = parse("""
                {"id":"abc123_20261124T100000Z","status":"cancelled","recurringEventId":"abc123"}
                """);
        Event allDay = parse("""
                {"id":"abc123_20261124","status":"cancelled","recurringEventId":"abc123"}
                """);

        ProviderEvent t = GoogleEventMapper.toProviderEvent(timed, new CalendarDefaults("America/New_York", List.of()));
        ProviderEvent d = GoogleEventMapper.toProviderEvent(allDay, null);

        assertThat(t.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(t.providerRecurringId()).isEqualTo("abc123");
        assertThat(t.originalStartTime()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(t.originalStartDate()).isNull();
        assertThat(t.allDay()).isFalse();
        assertThat(t.startTime()).isNull();
        assertThat(t.title()).isNull();
        assertThat(t.attendees()).isEmpty();
        assertThat(t.reminders()).isEmpty();
        assertThat(t.timezone()).isEqualTo("America/New_York");

        assertThat(d.allDay()).isTrue();
        assertThat(d.originalStartDate()).isEqualTo(LocalDate.parse("2026-11-24"));
        assertThat(d.originalStartTime()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void cancelledOccurrenceWithItsOriginalStartUsesIt() {
        Event e = parse("""
                {"id":"abc123_20261124T100000Z","status":"cancelled","recurringEventId":"abc123",
                 "originalStartTime":{"dateTime":"2026-11-24T11:00:00+01:00","timeZone":"Europe/Paris"}}
                """);

        ProviderEvent p = GoogleEventMapper.toProviderEvent(e, CalendarDefaults.NONE);

        assertThat(p.originalStartTime()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(p.timezone()).isEqualTo("Europe/Paris");
    }

    @Test
    void zonesAreIanaWhateverTheEventNamesAndFallBackToTheCalendars() {
        CalendarDefaults calendar = new CalendarDefaults("America/Chicago", List.of());
        String template = """
                {"id":"z1","start":{"dateTime":"2026-01-05T10:00:00Z"%s},"end":{"dateTime":"2026-01-05T11:00:00Z"}}
                """;

        assertThat(GoogleEventMapper.toProviderEvent(
                                parse(template.formatted(",\"timeZone\":\"W. Europe Standard Time\"")), calendar)
                        .timezone())
                .isEqualTo("Europe/Berlin");
        assertThat(GoogleEventMapper.toProviderEvent(
                                parse(template.formatted(",\"timeZone\":\"Mars/Olympus\"")), calendar)
                        .timezone())
                .as("an unknown zone falls back to the calendar's")
                .isEqualTo("America/Chicago");
        assertThat(GoogleEventMapper.toProviderEvent(parse(template.formatted("")), calendar)
                        .timezone())
                .isEqualTo("America/Chicago");
        assertThat(GoogleEventMapper.toProviderEvent(parse(template.formatted("")), CalendarDefaults.NONE)
                        .timezone())
                .isNull();
    }

    @Test
    void allDayWithoutAnEndLastsOneDay() {
        ProviderEvent e = GoogleEventMapper.toProviderEvent(
                parse("{\"id\":\"d1\",\"status\":\"tentative\",\"start\":{\"date\":\"2026-02-28\"}}"), null);

        assertThat(e.allDay()).isTrue();
        assertThat(e.startDate()).isEqualTo(LocalDate.parse("2026-02-28"));
        assertThat(e.endDate()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(e.endTime()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(e.status()).isEqualTo(EventStatus.TENTATIVE);
    }

    @Test
    void attendeesWithoutEmailAreSkippedAndAnswersMap() {
        ProviderEvent e = GoogleEventMapper.toProviderEvent(parse("""
                {"id":"a1","start":{"dateTime":"2026-01-05T10:00:00Z"},"end":{"dateTime":"2026-01-05T11:00:00Z"},
                 "attendees":[
                   {"id":"123456"},
                   {"email":"org@example.test","organizer":true,"responseStatus":"accepted"},
                   {"email":"no@example.test","responseStatus":"declined","optional":false},
                   {"email":"new@example.test","responseStatus":"somethingNew"}]}
                """), null);

        assertThat(e.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee("org@example.test", null, RsvpStatus.ACCEPTED, false, true),
                        new ProviderEvent.Attendee("no@example.test", null, RsvpStatus.DECLINED, false, false),
                        new ProviderEvent.Attendee("new@example.test", null, RsvpStatus.NEEDS_ACTION, false, false));
    }

    @Test
    void defaultRemindersMapEveryMethodAndSkipUnknownOnes() {
        CalendarDefaults calendar = new CalendarDefaults(
                null,
                List.of(
                        new EventReminder().setMethod("email").setMinutes(10),
                        new EventReminder().setMethod("popup").setMinutes(0),
                        new EventReminder().setMethod("sms").setMinutes(5),
                        new EventReminder().setMethod("carrierPigeon").setMinutes(60),
                        new EventReminder().setMethod("popup")));

        ProviderEvent e = GoogleEventMapper.toProviderEvent(parse("""
                {"id":"r1","start":{"dateTime":"2026-01-05T10:00:00Z"},"end":{"dateTime":"2026-01-05T11:00:00Z"},
                 "reminders":{"useDefault":true}}
                """), calendar);

        assertThat(e.reminders())
                .containsExactly(
                        new ProviderEvent.Reminder(ReminderMethod.EMAIL, 10),
                        new ProviderEvent.Reminder(ReminderMethod.POPUP, 0),
                        new ProviderEvent.Reminder(ReminderMethod.SMS, 5));
    }

    @Test
    void exruleAndUnknownRecurrenceLinesAreDropped() {
        ProviderEvent e = GoogleEventMapper.toProviderEvent(parse("""
                {"id":"s1","start":{"dateTime":"2026-01-05T10:00:00Z","timeZone":"UTC"},
                 "end":{"dateTime":"2026-01-05T11:00:00Z"},
                 "recurrence":["RRULE:FREQ=WEEKLY","EXRULE:FREQ=MONTHLY","X-FOO:bar","RRULES:nonsense",
                               "EXDATE:20260112T100000Z"]}
                """), null);

        assertThat(e.recurrence()).containsExactly("RRULE:FREQ=WEEKLY", "EXDATE:20260112T100000Z");
    }

    // ---------------------------------------------------------------- to Google

    @Test
    void timedEventGoesToGoogleWithItsZonesOffsetAndExplicitReminders() {
        EventSpec s = EventSpec.timed("Sprint review", "2026-07-01T08:00:00Z", "2026-07-01T09:00:00Z", "Europe/Berlin");
        s.description = "Demo";
        s.attendees = List.of(new ProviderEvent.Attendee("a@example.test", "A", RsvpStatus.DECLINED, true, true));
        s.reminders = List.of(
                new ProviderEvent.Reminder(ReminderMethod.SMS, 5),
                new ProviderEvent.Reminder(ReminderMethod.POPUP, 1),
                new ProviderEvent.Reminder(ReminderMethod.POPUP, 2),
                new ProviderEvent.Reminder(ReminderMethod.POPUP, 3),
                new ProviderEvent.Reminder(ReminderMethod.EMAIL, 4),
                new ProviderEvent.Reminder(ReminderMethod.EMAIL, 50_000),
                new ProviderEvent.Reminder(ReminderMethod.EMAIL, 6),
                new ProviderEvent.Reminder(ReminderMethod.EMAIL, 7));

        Event g = GoogleEventMapper.toGoogle(s.build());

        assertThat(g.getStart().getDateTime().toStringRfc3339()).isEqualTo("2026-07-01T10:00:00.000+02:00");
        assertThat(g.getStart().getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(g.getEnd().getDateTime().getValue())
                .isEqualTo(Instant.parse("2026-07-01T09:00:00Z").toEpochMilli());
        assertThat(g.getStart().getDate()).isNull();
        assertThat(g.getStatus()).isEqualTo("confirmed");
        assertThat(g.getId()).isNull();
        assertThat(g.getRecurrence()).isNull();
        assertThat(g.getAttendees()).singleElement().satisfies(a -> {
            assertThat(a.getEmail()).isEqualTo("a@example.test");
            assertThat(a.getResponseStatus()).isEqualTo("declined");
            assertThat(a.getOptional()).isTrue();
            assertThat(a.getOrganizer()).as("read-only at Google").isNull();
        });
        assertThat(g.getReminders().getUseDefault()).isFalse();
        // No SMS, nothing beyond four weeks, at most five.
        assertThat(g.getReminders().getOverrides())
                .extracting(EventReminder::getMethod, EventReminder::getMinutes)
                .containsExactly(
                        tuple("popup", 1), tuple("popup", 2), tuple("popup", 3), tuple("email", 4), tuple("email", 6));
    }

    @Test
    void allDayEventGoesToGoogleAsDatesAndAZonelessSeriesAsUtc() {
        EventSpec day = EventSpec.allDay("Trip", "2026-08-10", "2026-08-14");
        Event g = GoogleEventMapper.toGoogle(day.build());
        assertThat(g.getStart().getDate().toStringRfc3339()).isEqualTo("2026-08-10");
        assertThat(g.getEnd().getDate().toStringRfc3339()).isEqualTo("2026-08-14");
        assertThat(g.getStart().getDateTime()).isNull();

        EventSpec series = EventSpec.timed("Daily", "2026-08-10T07:00:00Z", "2026-08-10T07:15:00Z", null);
        series.recurrence = List.of("RRULE:FREQ=DAILY", "EXRULE:FREQ=WEEKLY");
        Event s = GoogleEventMapper.toGoogle(series.build());
        assertThat(s.getStart().getTimeZone()).isEqualTo("UTC");
        assertThat(s.getRecurrence()).containsExactly("RRULE:FREQ=DAILY");
    }

    @Test
    void whatGoesToGoogleComesBackTheSame() {
        EventSpec s = EventSpec.timed("Round trip", "2026-03-29T00:30:00Z", "2026-03-29T02:00:00Z", "Europe/London");
        s.location = "Pub";
        s.status = EventStatus.TENTATIVE;
        s.recurrence = List.of("RRULE:FREQ=MONTHLY;BYDAY=-1SU");
        s.attendees = List.of(new ProviderEvent.Attendee("b@example.test", "B", RsvpStatus.ACCEPTED, false, false));
        s.reminders = List.of(new ProviderEvent.Reminder(ReminderMethod.EMAIL, 30));
        ProviderEvent original = s.build();

        Event g = GoogleEventMapper.toGoogle(original);
        g.setId("rt1");
        ProviderEvent back = GoogleEventMapper.toProviderEvent(parse(toJson(g)), CalendarDefaults.NONE);

        assertThat(back)
                .usingRecursiveComparison()
                .ignoringFields("providerEventId")
                .isEqualTo(original);
    }

    @Test
    void aPatchNamesEveryFieldWeHoldAndSendsJsonNullForTheEmptyOnes() {
        EventSpec s = EventSpec.timed("Standing", "2026-07-01T08:00:00Z", "2026-07-01T09:00:00Z", null);

        JsonNode patch = JSON.readTree(toJson(GoogleEventMapper.toGooglePatch(s.build())));

        assertThat(patch.propertyNames())
                .containsExactlyInAnyOrder(
                        "summary",
                        "description",
                        "location",
                        "status",
                        "start",
                        "end",
                        "recurrence",
                        "attendees",
                        "reminders");
        assertThat(patch.get("summary").stringValue()).isEqualTo("Standing");
        assertThat(patch.get("description").isNull()).isTrue();
        assertThat(patch.get("location").isNull()).isTrue();
        assertThat(patch.get("recurrence").isArray() && patch.get("recurrence").isEmpty())
                .isTrue();
        assertThat(patch.get("attendees").isArray() && patch.get("attendees").isEmpty())
                .isTrue();
        assertThat(patch.get("reminders").get("useDefault").asBoolean()).isFalse();
        assertThat(patch.get("reminders").get("overrides").isEmpty()).isTrue();
        JsonNode start = patch.get("start");
        assertThat(start.get("date").isNull())
                .as("a whole day it may have been is cleared")
                .isTrue();
        assertThat(start.get("timeZone").isNull()).isTrue();
        assertThat(start.get("dateTime").stringValue()).isEqualTo("2026-07-01T08:00:00.000Z");

        // The insert body leaves all of these out instead.
        JsonNode insert = JSON.readTree(toJson(GoogleEventMapper.toGoogle(s.build())));
        assertThat(insert.has("description")).isFalse();
        assertThat(insert.has("attendees")).isFalse();
        assertThat(insert.get("start").has("date")).isFalse();
    }

    @Test
    void aPatchToWholeDaysClearsTheTimeAndAnInstancePatchSendsNoRecurrence() {
        EventSpec day = EventSpec.allDay("Trip", "2026-08-10", "2026-08-14");
        day.timezone = "Europe/Berlin";
        JsonNode dayPatch = JSON.readTree(toJson(GoogleEventMapper.toGooglePatch(day.build())));
        assertThat(dayPatch.get("start").get("date").stringValue()).isEqualTo("2026-08-10");
        assertThat(dayPatch.get("start").get("dateTime").isNull()).isTrue();
        assertThat(dayPatch.get("start").get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
        assertThat(dayPatch.get("end").get("date").stringValue()).isEqualTo("2026-08-14");

        EventSpec override = EventSpec.timed("Moved", "2026-08-11T09:00:00Z", "2026-08-11T10:00:00Z", "Europe/Berlin");
        override.recurringId = "series1";
        override.originalStart = Instant.parse("2026-08-11T07:00:00Z");
        override.recurrence = List.of("RRULE:FREQ=DAILY");
        JsonNode instancePatch = JSON.readTree(toJson(GoogleEventMapper.toGooglePatch(override.build())));
        assertThat(instancePatch.has("recurrence")).isFalse();
        assertThat(instancePatch.get("start").get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
        assertThat(instancePatch.get("start").get("dateTime").stringValue()).isEqualTo("2026-08-11T11:00:00.000+02:00");
    }

    @Test
    void instanceIdsFollowGooglesConvention() {
        EventSpec timed = EventSpec.timed("x", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z", "Europe/Berlin");
        timed.originalStart = Instant.parse("2026-11-24T10:00:00Z");
        EventSpec allDay = EventSpec.allDay("y", "2026-11-25", "2026-11-26");
        allDay.originalStartDate = LocalDate.parse("2026-11-24");

        assertThat(GoogleEventMapper.instanceId("abc", timed.build())).isEqualTo("abc_20261124T100000Z");
        assertThat(GoogleEventMapper.instanceId("abc", allDay.build())).isEqualTo("abc_20261124");
        ProviderEvent withoutOriginal = EventSpec.timed("z", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", null)
                .build();
        assertThatThrownBy(() -> GoogleEventMapper.instanceId("abc", withoutOriginal))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corpusWalkFindsEachKindOfPayload() {
        List<String> sources = new ArrayList<>();
        for (String k : CORPUS.keySet()) {
            sources.add(k.substring(0, k.indexOf('/')));
        }
        assertThat(sources).contains("libkgapi", "nango-integration-templates", "gdata-provider");
    }
}
