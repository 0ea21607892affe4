package io.calsync.providers.google;

import static io.calsync.providers.google.GoogleSandbox.deleteAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.fault;
import static io.calsync.providers.google.GoogleSandbox.patchAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.seed;
import static io.calsync.providers.google.GoogleSandbox.seedId;
import static io.calsync.providers.google.GoogleSandbox.storedEvents;
import static io.calsync.providers.google.GoogleSandbox.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.google.GoogleSandbox.Account;
import io.calsync.providers.google.GoogleSandbox.Calls;
import io.calsync.providers.google.GoogleSandbox.EventSpec;
import io.calsync.providers.google.GoogleSandbox.Tokens;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderWriter.Written;
import io.calsync.providers.port.SyncTarget;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Write-back of the Google adapter against the sandbox's Calendar v3, over HTTP. */
class GoogleCalendarWriterTest {

    private Account account;
    private String calendarId;
    private Tokens tokens;
    private Calls calls;
    private GoogleCalendarWriter writer;
    private SyncTarget target;

    @BeforeEach
    void newAccount() {
        account = GoogleSandbox.newAccount();
        calendarId = account.email();
        tokens = new Tokens(account);
        calls = Calls.recording();
        writer = new GoogleCalendarWriter(GoogleSandbox.endpoints(), calls.calls());
        target = target(calendarId, null, null, null, tokens);
    }

    private static ProviderEvent meeting(String title) {
        return EventSpec.timed(title, "2026-09-01T08:00:00Z", "2026-09-01T09:00:00Z", "Europe/Berlin")
                .build();
    }

    private static ProviderEvent withId(ProviderEvent e, String id) {
        EventSpec s =
                EventSpec.timed(e.title(), e.startTime().toString(), e.endTime().toString(), e.timezone());
        s.id = id;
        s.description = e.description();
        return s.build();
    }

    private List<JsonNode> storedWithId(String id) {
        return storedEvents(calendarId).stream()
                .filter(n -> id.equals(n.get("id").stringValue()))
                .toList();
    }

    @Test
    void createUnderTheSameLocalIdTwiceMakesOneEventAndAnswersItBothTimes() {
        UUID localId = UUID.randomUUID();

        Written first = writer.create(target, localId, meeting("Planning"));
        Written again = writer.create(target, localId, meeting("Planning"));

        assertThat(first.providerEventId())
                .isEqualTo(localId.toString().replace("-", ""))
                .matches("[a-v0-9]{5,1024}");
        assertThat(again.providerEventId()).isEqualTo(first.providerEventId());
        assertThat(again.etag()).isNotBlank().isEqualTo(first.etag());
        assertThat(again.htmlLink()).isEqualTo(first.htmlLink());
        assertThat(again.iCalUid()).isNotBlank().isEqualTo(first.iCalUid());
        assertThat(first.providerUpdatedAt()).isNotNull();
        assertThat(storedWithId(first.providerEventId())).hasSize(1);
        assertThat(storedEvents(calendarId)).hasSize(1);
    }

    @Test
    void createdEventReadsBackWithItsFields() {
        EventSpec s = EventSpec.timed("Review", "2026-09-01T08:00:00Z", "2026-09-01T09:30:00Z", "Europe/Berlin");
        s.description = "Quarterly numbers";
        s.location = "Room 4";
        s.recurrence = List.of(
                "RRULE:FREQ=WEEKLY;COUNT=3", "EXRULE:FREQ=MONTHLY", "EXDATE;TZID=Europe/Berlin:20260908T100000");
        s.attendees = List.of(
                new ProviderEvent.Attendee("ana@example.test", "Ana", RsvpStatus.ACCEPTED, false, false),
                new ProviderEvent.Attendee("bo@example.test", null, RsvpStatus.TENTATIVE, true, false));
        s.reminders = List.of(
                new ProviderEvent.Reminder(ReminderMethod.EMAIL, 60),
                new ProviderEvent.Reminder(ReminderMethod.SMS, 5),
                new ProviderEvent.Reminder(ReminderMethod.POPUP, 10));

        Written w = writer.create(target, UUID.randomUUID(), s.build());
        ProviderEvent read = writer.get(target, w.providerEventId());

        assertThat(read.providerEventId()).isEqualTo(w.providerEventId());
        assertThat(read.etag()).isEqualTo(w.etag());
        assertThat(read.title()).isEqualTo("Review");
        assertThat(read.description()).isEqualTo("Quarterly numbers");
        assertThat(read.location()).isEqualTo("Room 4");
        assertThat(read.startTime()).isEqualTo(Instant.parse("2026-09-01T08:00:00Z"));
        assertThat(read.endTime()).isEqualTo(Instant.parse("2026-09-01T09:30:00Z"));
        assertThat(read.timezone()).isEqualTo("Europe/Berlin");
        assertThat(read.allDay()).isFalse();
        assertThat(read.recurrence())
                .containsExactly("RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE;TZID=Europe/Berlin:20260908T100000");
        assertThat(read.attendees())
                .extracting(
                        ProviderEvent.Attendee::email,
                        ProviderEvent.Attendee::responseStatus,
                        ProviderEvent.Attendee::optional)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ana@example.test", RsvpStatus.ACCEPTED, false),
                        org.assertj.core.groups.Tuple.tuple("bo@example.test", RsvpStatus.TENTATIVE, true));
        // Google takes no SMS reminders any more: the others arrive as explicit overrides.
        assertThat(read.reminders())
                .containsExactly(
                        new ProviderEvent.Reminder(ReminderMethod.EMAIL, 60),
                        new ProviderEvent.Reminder(ReminderMethod.POPUP, 10));
        assertThat(read.organizerEmail()).isEqualTo(account.email());
    }

    @Test
    void allDayEventIsWrittenAsDates() {
        Written w = writer.create(
                target,
                UUID.randomUUID(),
                EventSpec.allDay("Holiday", "2026-12-24", "2026-12-27").build());

        JsonNode stored = storedWithId(w.providerEventId()).getFirst();
        assertThat(stored.get("start").get("date").stringValue()).isEqualTo("2026-12-24");
        assertThat(stored.get("end").get("date").stringValue()).isEqualTo("2026-12-27");
        assertThat(stored.get("start").has("dateTime")).isFalse();
        ProviderEvent read = writer.get(target, w.providerEventId());
        assertThat(read.allDay()).isTrue();
        assertThat(read.startDate()).isEqualTo(LocalDate.parse("2026-12-24"));
        assertThat(read.endDate()).isEqualTo(LocalDate.parse("2026-12-27"));
    }

    @Test
    void updateWithTheCurrentEtagWritesEveryFieldWeHoldAndClearsTheNullOnes() {
        EventSpec s = EventSpec.timed("Draft", "2026-09-01T08:00:00Z", "2026-09-01T09:00:00Z", "UTC");
        s.description = "to be dropped";
        Written created = writer.create(target, UUID.randomUUID(), s.build());

        Written updated = writer.update(
                target,
                withId(
                        EventSpec.timed("Final", "2026-09-02T08:00:00Z", "2026-09-02T10:00:00Z", "UTC")
                                .build(),
                        created.providerEventId()),
                created.etag());

        assertThat(updated.providerEventId()).isEqualTo(created.providerEventId());
        assertThat(updated.etag()).isNotEqualTo(created.etag());
        ProviderEvent read = writer.get(target, created.providerEventId());
        assertThat(read.title()).isEqualTo("Final");
        assertThat(read.description()).as("held as null, so cleared at Google").isNull();
        assertThat(read.endTime()).isEqualTo(Instant.parse("2026-09-02T10:00:00Z"));
    }

    @Test
    void updateWithAStaleEtagIsPreconditionFailedAndChangesNothing() {
        Written created = writer.create(target, UUID.randomUUID(), meeting("v1"));
        Written second = writer.update(target, withId(meeting("v2"), created.providerEventId()), created.etag());

        ProviderException e = catchThrowableOfType(
                ProviderException.class,
                () -> writer.update(target, withId(meeting("v3"), created.providerEventId()), created.etag()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(e.status()).isEqualTo(412);
        assertThat(calls.sleeps()).isEmpty();
        ProviderEvent current = writer.get(target, created.providerEventId());
        assertThat(current.title()).isEqualTo("v2");
        assertThat(current.etag()).isEqualTo(second.etag());
    }

    @Test
    void updateOfAnEventGoogleDoesNotKnowIsNotFound() {
        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> writer.update(target, withId(meeting("late"), "unknown12345"), null));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.status()).isEqualTo(404);
    }

    @Test
    void updateOfAnEventDeletedAtGoogleWithItsOldEtagIsPreconditionFailed() {
        // Google keeps a deleted event (cancelled) and lets an update restore it; the etag we hold is stale, though.
        Written created = writer.create(target, UUID.randomUUID(), meeting("short-lived"));
        deleteAtGoogle(calendarId, created.providerEventId());

        ProviderException e = catchThrowableOfType(
                ProviderException.class,
                () -> writer.update(target, withId(meeting("late"), created.providerEventId()), created.etag()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(writer.get(target, created.providerEventId())).isNull();
    }

    @Test
    void deleteOfAnEventAlreadyGoneSucceeds() {
        Written created = writer.create(target, UUID.randomUUID(), meeting("bye"));

        writer.delete(target, created.providerEventId(), created.etag());
        writer.delete(target, created.providerEventId(), created.etag());
        writer.delete(target, "neverexisted12345", null);

        assertThat(writer.get(target, created.providerEventId())).isNull();
        assertThat(writer.get(target, "neverexisted12345")).isNull();
        assertThat(storedWithId(created.providerEventId()))
                .singleElement()
                .satisfies(n -> assertThat(n.get("status").stringValue()).isEqualTo("cancelled"));
    }

    @Test
    void deleteWithAStaleEtagIsPreconditionFailed() {
        Written created = writer.create(target, UUID.randomUUID(), meeting("v1"));
        writer.update(target, withId(meeting("v2"), created.providerEventId()), created.etag());

        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> writer.delete(target, created.providerEventId(), created.etag()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(writer.get(target, created.providerEventId())).isNotNull();
    }

    @Test
    void recreatingAnEventDeletedAtGoogleIsNotFound() {
        UUID localId = UUID.randomUUID();
        Written created = writer.create(target, localId, meeting("gone"));
        deleteAtGoogle(calendarId, created.providerEventId());

        ProviderException e =
                catchThrowableOfType(ProviderException.class, () -> writer.create(target, localId, meeting("gone")));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(storedWithId(created.providerEventId())).hasSize(1);
    }

    @Test
    void createOfAnOverrideWritesTheSeriesInstance() {
        String master = seedId(calendarId, """
                {"summary":"Stand-up",
                 "start":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-03-02T09:15:00+01:00","timeZone":"Europe/Berlin"},
                 "recurrence":["RRULE:FREQ=DAILY;COUNT=5"]}
                """);
        EventSpec s =
                EventSpec.timed("Stand-up, later", "2026-03-03T12:00:00Z", "2026-03-03T12:15:00Z", "Europe/Berlin");
        s.recurringId = master;
        s.originalStart = Instant.parse("2026-03-03T08:00:00Z");

        Written w = writer.create(target, UUID.randomUUID(), s.build());

        assertThat(w.providerEventId()).isEqualTo(master + "_20260303T080000Z");
        ProviderEvent read = writer.get(target, w.providerEventId());
        assertThat(read.providerRecurringId()).isEqualTo(master);
        assertThat(read.originalStartTime()).isEqualTo(Instant.parse("2026-03-03T08:00:00Z"));
        assertThat(read.startTime()).isEqualTo(Instant.parse("2026-03-03T12:00:00Z"));
        assertThat(read.title()).isEqualTo("Stand-up, later");
        assertThat(read.status()).isEqualTo(EventStatus.CONFIRMED);
    }

    @Test
    void rateLimitedInsertIsRetriedWithoutMakingTwoEvents() {
        fault("POST", account.localPart() + ".*/events", "RATE_LIMIT", 403, 1, 1);

        Written w = writer.create(target, UUID.randomUUID(), meeting("busy day"));

        assertThat(calls.sleeps()).hasSize(1);
        assertThat(storedWithId(w.providerEventId())).hasSize(1);
    }

    @Test
    void getOfAnEventUsingDefaultRemindersAsksTheCalendarForThem() {
        String id = seedId(calendarId, """
                {"summary":"Defaults","start":{"date":"2026-10-01"},"end":{"date":"2026-10-02"}}
                """);

        ProviderEvent read = writer.get(target, id);

        assertThat(read.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30));
        assertThat(read.timezone()).isEqualTo("UTC");
    }

    // ---------------------------------------------------------------- updates are patches

    /** An event made at Google with fields our rows do not hold. */
    private JsonNode seedRichEvent() {
        return seed(calendarId, """
                {"summary":"Board meeting","description":"Agenda: budget","location":"Room 1",
                 "start":{"dateTime":"2026-09-01T10:00:00+02:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-09-01T11:00:00+02:00","timeZone":"Europe/Berlin"},
                 "colorId":"5",
                 "extendedProperties":{"private":{"crmId":"42"},"shared":{"room":"east"}},
                 "guestsCanModify":true,
                 "guestsCanInviteOthers":false,
                 "conferenceData":{"conferenceId":"abc-defg-hij",
                   "entryPoints":[{"entryPointType":"video","uri":"https://meet.google.com/abc-defg-hij"}]},
                 "attachments":[{"fileUrl":"https://drive.google.com/file/d/1x","title":"Budget.pdf"}],
                 "attendees":[{"email":"ana@example.test","responseStatus":"accepted"}]}
                """);
    }

    private static ProviderEvent edit(String id, String title, String description, String location) {
        EventSpec s = EventSpec.timed(title, "2026-09-01T09:00:00Z", "2026-09-01T10:30:00Z", "Europe/Berlin");
        s.id = id;
        s.description = description;
        s.location = location;
        s.attendees = List.of(new ProviderEvent.Attendee("ana@example.test", null, RsvpStatus.ACCEPTED, false, false));
        return s.build();
    }

    private JsonNode stored(String id) {
        return storedWithId(id).getFirst();
    }

    @Test
    void updateKeepsWhatOnlyGoogleHoldsAndClearsADescriptionClearedHere() {
        JsonNode seeded = seedRichEvent();
        String id = seeded.get("id").stringValue();
        String etag = writer.get(target, id).etag();

        Written w = writer.update(target, edit(id, "Board meeting (moved)", null, "Room 7"), etag);

        assertThat(w.etag()).isNotEqualTo(etag);
        JsonNode after = stored(id);
        assertThat(after.get("summary").stringValue()).isEqualTo("Board meeting (moved)");
        assertThat(after.get("location").stringValue()).isEqualTo("Room 7");
        assertThat(after.has("description"))
                .as("cleared here, so cleared at Google")
                .isFalse();
        assertThat(after.get("colorId").stringValue()).isEqualTo("5");
        assertThat(after.get("extendedProperties")).isEqualTo(seeded.get("extendedProperties"));
        assertThat(after.get("guestsCanModify").asBoolean()).isTrue();
        assertThat(after.get("guestsCanInviteOthers").asBoolean()).isFalse();
        assertThat(after.get("conferenceData")).isEqualTo(seeded.get("conferenceData"));
        assertThat(after.get("attachments")).isEqualTo(seeded.get("attachments"));
        ProviderEvent read = writer.get(target, id);
        assertThat(read.description()).isNull();
        assertThat(read.startTime()).isEqualTo(Instant.parse("2026-09-01T09:00:00Z"));
        assertThat(read.endTime()).isEqualTo(Instant.parse("2026-09-01T10:30:00Z"));
        assertThat(read.attendees()).extracting(ProviderEvent.Attendee::email).containsExactly("ana@example.test");
    }

    @Test
    void updateWithAnEtagStaleSinceAChangeAtGoogleIsPreconditionFailedAndKeepsThatChange() {
        String id = seedRichEvent().get("id").stringValue();
        String etag = writer.get(target, id).etag();
        patchAtGoogle(calendarId, id, """
                {"colorId":"7","description":"Agenda: budget, hiring"}
                """);

        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> writer.update(target, edit(id, "Ours", null, null), etag));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(e.status()).isEqualTo(412);
        JsonNode after = stored(id);
        assertThat(after.get("summary").stringValue()).isEqualTo("Board meeting");
        assertThat(after.get("description").stringValue()).isEqualTo("Agenda: budget, hiring");
        assertThat(after.get("colorId").stringValue()).isEqualTo("7");
    }

    @Test
    void updateMovesATimedEventToWholeDaysAndBack() {
        Written created = writer.create(target, UUID.randomUUID(), meeting("Offsite"));
        EventSpec days = EventSpec.allDay("Offsite", "2026-09-03", "2026-09-05");
        days.id = created.providerEventId();

        Written toDays = writer.update(target, days.build(), created.etag());

        JsonNode dayStart = stored(created.providerEventId()).get("start");
        assertThat(dayStart.get("date").stringValue()).isEqualTo("2026-09-03");
        assertThat(dayStart.has("dateTime"))
                .as("the old time must not stay beside the date")
                .isFalse();
        ProviderEvent read = writer.get(target, created.providerEventId());
        assertThat(read.allDay()).isTrue();
        assertThat(read.endDate()).isEqualTo(LocalDate.parse("2026-09-05"));

        EventSpec timed = EventSpec.timed("Offsite", "2026-09-03T07:00:00Z", "2026-09-03T15:00:00Z", "Europe/Berlin");
        timed.id = created.providerEventId();
        writer.update(target, timed.build(), toDays.etag());

        JsonNode timedStart = stored(created.providerEventId()).get("start");
        assertThat(timedStart.has("date")).isFalse();
        assertThat(timedStart.get("timeZone").stringValue()).isEqualTo("Europe/Berlin");
        read = writer.get(target, created.providerEventId());
        assertThat(read.allDay()).isFalse();
        assertThat(read.startTime()).isEqualTo(Instant.parse("2026-09-03T07:00:00Z"));
        assertThat(read.endTime()).isEqualTo(Instant.parse("2026-09-03T15:00:00Z"));
    }

    @Test
    void updateClearsLocationAttendeesAndRemindersAndEndsASeriesHeldWithoutThem() {
        EventSpec s = EventSpec.timed("Weekly", "2026-09-01T08:00:00Z", "2026-09-01T09:00:00Z", "Europe/Berlin");
        s.location = "Room 4";
        s.recurrence = List.of("RRULE:FREQ=WEEKLY;COUNT=4");
        s.attendees = List.of(new ProviderEvent.Attendee("bo@example.test", "Bo", RsvpStatus.TENTATIVE, true, false));
        s.reminders = List.of(new ProviderEvent.Reminder(ReminderMethod.EMAIL, 30));
        Written created = writer.create(target, UUID.randomUUID(), s.build());
        EventSpec bare = EventSpec.timed("Weekly", "2026-09-01T08:00:00Z", "2026-09-01T09:00:00Z", "Europe/Berlin");
        bare.id = created.providerEventId();

        writer.update(target, bare.build(), created.etag());

        JsonNode after = stored(created.providerEventId());
        assertThat(after.has("location")).isFalse();
        assertThat(after.has("attendees")).isFalse();
        assertThat(after.has("recurrence")).isFalse();
        ProviderEvent read = writer.get(target, created.providerEventId());
        assertThat(read.recurrence()).isNull();
        assertThat(read.attendees()).isEmpty();
        assertThat(read.reminders()).isEmpty();
        assertThat(read.title()).isEqualTo("Weekly");
    }

    @Test
    void overrideOfASeriesKeepsWhatTheSeriesHasBeyondOurFields() {
        String master = seedId(calendarId, """
                {"summary":"Stand-up",
                 "start":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-03-02T09:15:00+01:00","timeZone":"Europe/Berlin"},
                 "recurrence":["RRULE:FREQ=DAILY;COUNT=5"],
                 "colorId":"3","extendedProperties":{"private":{"team":"core"}}}
                """);
        EventSpec s =
                EventSpec.timed("Stand-up, later", "2026-03-04T12:00:00Z", "2026-03-04T12:15:00Z", "Europe/Berlin");
        s.recurringId = master;
        s.originalStart = Instant.parse("2026-03-04T08:00:00Z");

        Written w = writer.create(target, UUID.randomUUID(), s.build());

        JsonNode override = stored(w.providerEventId());
        assertThat(override.get("summary").stringValue()).isEqualTo("Stand-up, later");
        assertThat(override.get("colorId").stringValue()).isEqualTo("3");
        assertThat(override.path("extendedProperties")
                        .path("private")
                        .path("team")
                        .stringValue())
                .isEqualTo("core");
        assertThat(override.has("recurrence")).isFalse();
    }
}
