package io.calsync.providers.microsoft;

import static io.calsync.providers.microsoft.GraphSandbox.makeException;
import static io.calsync.providers.microsoft.GraphSandbox.newAccount;
import static io.calsync.providers.microsoft.GraphSandbox.patchInOutlook;
import static io.calsync.providers.microsoft.GraphSandbox.seed;
import static io.calsync.providers.microsoft.GraphSandbox.storedEvent;
import static io.calsync.providers.microsoft.GraphSandbox.storedEvents;
import static io.calsync.providers.microsoft.GraphSandbox.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.microsoft.GraphSandbox.Account;
import io.calsync.providers.microsoft.GraphSandbox.Calls;
import io.calsync.providers.microsoft.GraphSandbox.Tokens;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderWriter.Written;
import io.calsync.providers.port.SyncTarget;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@link GraphCalendarWriter} against the sandbox's Graph: what it writes, and how writes stay safe to retry. */
class GraphCalendarWriterTest {

    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-07-01T00:00:00Z");

    private final Calls calls = Calls.recording();
    private GraphCalendarWriter writer;
    private Account account;
    private Tokens tokens;
    private SyncTarget target;

    @BeforeEach
    void setUp() {
        writer = new GraphCalendarWriter(GraphSandbox.endpoints(), calls.calls());
        account = newAccount();
        tokens = new Tokens(account);
        target = target(account, null, FROM, TO, tokens);
    }

    @AfterEach
    void clearFaults() {
        GraphSandbox.clearFaults();
    }

    private static ProviderEvent timed(String title, String start, String end, String zone, List<String> recurrence) {
        return new ProviderEvent(
                null,
                null,
                title,
                "Bring the numbers.\nAnd the slides.",
                "Room 4",
                Instant.parse(start),
                Instant.parse(end),
                false,
                null,
                null,
                zone,
                EventStatus.CONFIRMED,
                recurrence,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(
                        new ProviderEvent.Attendee("dana@contoso.test", "Dana", RsvpStatus.NEEDS_ACTION, false, false),
                        new ProviderEvent.Attendee("sam@contoso.test", null, RsvpStatus.NEEDS_ACTION, true, false)),
                List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30)),
                null);
    }

    private static ProviderEvent withId(ProviderEvent e, String id, String title) {
        return new ProviderEvent(
                id,
                e.iCalUid(),
                title,
                e.description(),
                e.location(),
                e.startTime(),
                e.endTime(),
                e.allDay(),
                e.startDate(),
                e.endDate(),
                e.timezone(),
                e.status(),
                e.recurrence(),
                e.providerRecurringId(),
                e.originalStartTime(),
                e.originalStartDate(),
                e.organizerEmail(),
                e.htmlLink(),
                e.etag(),
                e.providerUpdatedAt(),
                e.sequence(),
                e.attendees(),
                e.reminders(),
                null);
    }

    @Test
    void aCreateSentTwiceWithTheSameLocalIdMakesOneEvent() {
        UUID localId = UUID.randomUUID();
        ProviderEvent e = timed("Budget review", "2026-05-04T07:00:00Z", "2026-05-04T08:00:00Z", "Europe/Berlin", null);

        Written first = writer.create(target, localId, e);
        Written retry = writer.create(target, localId, e);

        assertThat(retry.providerEventId()).isEqualTo(first.providerEventId());
        assertThat(storedEvents(account)).hasSize(1);
        assertThat(storedEvent(first.providerEventId()).get("transactionId").stringValue())
                .isEqualTo(localId.toString());

        writer.create(target, UUID.randomUUID(), e);
        assertThat(storedEvents(account))
                .as("another local event is another create")
                .hasSize(2);
    }

    @Test
    void aCreateWritesTheEventInItsZoneAndReadsBackTheSame() {
        ProviderEvent e = timed("Budget review", "2026-05-04T07:00:00Z", "2026-05-04T08:30:00Z", "Europe/Berlin", null);

        Written w = writer.create(target, UUID.randomUUID(), e);

        assertThat(w.providerEventId()).isNotBlank();
        assertThat(w.etag()).isNotBlank();
        assertThat(w.providerUpdatedAt()).isNotNull();
        assertThat(w.htmlLink()).startsWith("https://");
        assertThat(w.iCalUid()).isNotBlank();
        JsonNode stored = storedEvent(w.providerEventId());
        assertThat(stored.get("originalStartTimeZone").stringValue()).isEqualTo("W. Europe Standard Time");
        assertThat(stored.at("/body/contentType").stringValue()).isEqualTo("text");

        ProviderEvent read = writer.get(target, w.providerEventId());
        assertThat(read.title()).isEqualTo("Budget review");
        assertThat(read.description()).isEqualTo("Bring the numbers.\nAnd the slides.");
        assertThat(read.location()).isEqualTo("Room 4");
        assertThat(read.startTime()).isEqualTo(e.startTime());
        assertThat(read.endTime()).isEqualTo(e.endTime());
        assertThat(read.timezone()).isEqualTo("Europe/Berlin");
        assertThat(read.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30));
        assertThat(read.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee("dana@contoso.test", "Dana", RsvpStatus.NEEDS_ACTION, false, false),
                        new ProviderEvent.Attendee(
                                "sam@contoso.test", "sam@contoso.test", RsvpStatus.NEEDS_ACTION, true, false));
        assertThat(read.etag()).isEqualTo(w.etag());
    }

    @Test
    void anAllDayEventIsWrittenAsMidnightDates() {
        ProviderEvent e = new ProviderEvent(
                null,
                null,
                "Offsite",
                null,
                null,
                Instant.parse("2026-06-01T00:00:00Z"),
                Instant.parse("2026-06-03T00:00:00Z"),
                true,
                LocalDate.of(2026, 6, 1),
                LocalDate.of(2026, 6, 3),
                "America/New_York",
                EventStatus.TENTATIVE,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        Written w = writer.create(target, UUID.randomUUID(), e);

        JsonNode stored = storedEvent(w.providerEventId());
        assertThat(stored.get("isAllDay").booleanValue()).isTrue();
        assertThat(stored.get("showAs").stringValue()).isEqualTo("tentative");
        assertThat(stored.get("isReminderOn").booleanValue()).isFalse();
        ProviderEvent read = writer.get(target, w.providerEventId());
        assertThat(read.allDay()).isTrue();
        assertThat(read.startDate()).isEqualTo(LocalDate.of(2026, 6, 1));
        assertThat(read.endDate()).isEqualTo(LocalDate.of(2026, 6, 3));
        assertThat(read.status()).isEqualTo(EventStatus.TENTATIVE);
        assertThat(read.timezone()).isEqualTo("America/New_York");
    }

    @Test
    void aSeriesIsWrittenAsGraphsPatternAndReadsBackAsTheSameRule() {
        ProviderEvent e = timed(
                "Standup",
                "2026-03-02T17:00:00Z",
                "2026-03-02T17:15:00Z",
                "America/Los_Angeles",
                List.of("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20260630T000000Z"));

        Written w = writer.create(target, UUID.randomUUID(), e);

        JsonNode recurrence = storedEvent(w.providerEventId()).get("recurrence");
        assertThat(recurrence.at("/pattern/type").stringValue()).isEqualTo("weekly");
        assertThat(recurrence.at("/pattern/interval").intValue()).isEqualTo(2);
        assertThat(recurrence.at("/pattern/firstDayOfWeek").stringValue()).isEqualTo("monday");
        assertThat(recurrence.at("/range/type").stringValue()).isEqualTo("endDate");
        // 2026-06-30T00:00Z is still the 29th in Los Angeles
        assertThat(recurrence.at("/range/endDate").stringValue()).isEqualTo("2026-06-29");
        assertThat(recurrence.at("/range/startDate").stringValue()).isEqualTo("2026-03-02");
        assertThat(recurrence.at("/range/recurrenceTimeZone").stringValue()).isEqualTo("Pacific Standard Time");

        ProviderEvent read = writer.get(target, w.providerEventId());
        assertThat(read.recurrence())
                .containsExactly("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20260630T065959Z");
        assertThat(read.startTime()).isEqualTo(e.startTime());
    }

    @Test
    void aRuleGraphCannotHoldIsPermanentAndWritesNothing() {
        ProviderEvent e = timed(
                "Every hour",
                "2026-03-02T17:00:00Z",
                "2026-03-02T17:15:00Z",
                "UTC",
                List.of("RRULE:FREQ=HOURLY;COUNT=5"));

        ProviderException ex =
                catchThrowableOfType(ProviderException.class, () -> writer.create(target, UUID.randomUUID(), e));

        assertThat(ex.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(ex.getMessage()).contains("FREQ=HOURLY");
        assertThat(storedEvents(account)).isEmpty();
    }

    @Test
    void anUpdateWithAStaleChangeKeyIsPreconditionFailed() {
        Written w = writer.create(
                target,
                UUID.randomUUID(),
                timed("Budget review", "2026-05-04T07:00:00Z", "2026-05-04T08:00:00Z", "Europe/Berlin", null));
        patchInOutlook(w.providerEventId(), """
                {"subject":"Renamed in Outlook"}""");
        ProviderEvent mine = withId(
                timed("Mine", "2026-05-04T07:00:00Z", "2026-05-04T08:00:00Z", "Europe/Berlin", null),
                w.providerEventId(),
                "Mine");

        ProviderException ex =
                catchThrowableOfType(ProviderException.class, () -> writer.update(target, mine, w.etag()));

        assertThat(ex.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(ex.status()).isEqualTo(412);
        assertThat(storedEvent(w.providerEventId()).get("subject").stringValue())
                .isEqualTo("Renamed in Outlook");

        ProviderEvent current = writer.get(target, w.providerEventId());
        Written updated = writer.update(target, mine, current.etag());
        assertThat(updated.etag()).isNotEqualTo(current.etag());
        assertThat(storedEvent(w.providerEventId()).get("subject").stringValue())
                .isEqualTo("Mine");
    }

    @Test
    void renamingASeriesKeepsItsExceptions() {
        String series = seed(account, """
                        {"subject":"1:1","start":{"dateTime":"2026-03-03T10:00:00","timeZone":"America/Los_Angeles"},
                         "end":{"dateTime":"2026-03-03T10:30:00","timeZone":"America/Los_Angeles"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                                       "range":{"type":"noEnd","startDate":"2026-03-03"}}}""").get("id").stringValue();
        makeException(series, "2026-03-10T17:00:00Z", """
                {"start":{"dateTime":"2026-03-11T11:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2026-03-11T11:30:00","timeZone":"Pacific Standard Time"}}""");
        // made by a client that names zones the IANA way: writing its start back under the Windows name would
        // count as a new schedule, and Exchange drops a series' exceptions when its schedule is rewritten
        ProviderEvent master = writer.get(target, series);

        writer.update(target, withId(master, series, "1:1 (renamed)"), master.etag());

        JsonNode instances = GraphSandbox.graph(
                "GET",
                "/me/events/" + GraphSandbox.enc(series)
                        + "/instances?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-16T00:00:00Z",
                tokens.current());
        assertThat(instances.get("value")).singleElement().satisfies(i -> {
            assertThat(i.get("type").stringValue()).isEqualTo("exception");
            assertThat(i.get("subject").stringValue()).isEqualTo("1:1 (renamed)");
        });
    }

    @Test
    void movingASeriesRewritesItsSchedule() {
        String series = seed(account, """
                        {"subject":"1:1","start":{"dateTime":"2026-03-03T10:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-03-03T10:30:00","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                                       "range":{"type":"noEnd","startDate":"2026-03-03"}}}""").get("id").stringValue();
        ProviderEvent master = writer.get(target, series);
        ProviderEvent later = new ProviderEvent(
                series,
                master.iCalUid(),
                master.title(),
                master.description(),
                master.location(),
                master.startTime().plusSeconds(3600),
                master.endTime().plusSeconds(3600),
                false,
                null,
                null,
                master.timezone(),
                master.status(),
                List.of("RRULE:FREQ=WEEKLY;BYDAY=TU,TH;WKST=SU"),
                null,
                null,
                null,
                null,
                null,
                master.etag(),
                null,
                null,
                List.of(),
                List.of(),
                null);

        writer.update(target, later, master.etag());

        JsonNode stored = storedEvent(series);
        assertThat(stored.at("/start/dateTime").stringValue()).startsWith("2026-03-03T19:00:00"); // 11:00 PST
        assertThat(stored.get("originalStartTimeZone").stringValue()).isEqualTo("Pacific Standard Time");
        assertThat(stored.at("/recurrence/pattern/daysOfWeek"))
                .extracting(JsonNode::stringValue)
                .containsExactly("tuesday", "thursday");
    }

    @Test
    void aSeriesMadeASingleEventStopsRecurring() {
        ProviderEvent series = timed(
                "Standup",
                "2026-03-02T17:00:00Z",
                "2026-03-02T17:15:00Z",
                "America/Los_Angeles",
                List.of("RRULE:FREQ=DAILY;COUNT=5"));
        Written w = writer.create(target, UUID.randomUUID(), series);
        ProviderEvent single = withId(
                timed("Standup", "2026-03-02T17:00:00Z", "2026-03-02T17:15:00Z", "America/Los_Angeles", null),
                w.providerEventId(),
                "Standup, once");

        writer.update(target, single, w.etag());

        JsonNode stored = storedEvent(w.providerEventId());
        assertThat(stored.get("type").stringValue()).isEqualTo("singleInstance");
        assertThat(stored.get("recurrence").isNull()).isTrue();
        assertThat(writer.get(target, w.providerEventId()).recurrence()).isNull();
    }

    @Test
    void anOverrideOfAnOccurrenceWithoutAnIdIsWrittenToThatOccurrence() {
        String series = seed(account, """
                        {"subject":"1:1","start":{"dateTime":"2026-03-03T10:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-03-03T10:30:00","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                                       "range":{"type":"noEnd","startDate":"2026-03-03"}}}""").get("id").stringValue();
        ProviderEvent override = new ProviderEvent(
                null,
                null,
                "1:1 (later)",
                null,
                null,
                Instant.parse("2026-03-24T19:00:00Z"),
                Instant.parse("2026-03-24T19:30:00Z"),
                false,
                null,
                null,
                "America/Los_Angeles",
                EventStatus.CONFIRMED,
                null,
                series,
                Instant.parse("2026-03-24T17:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        ProviderEvent cancelled = new ProviderEvent(
                null,
                null,
                "1:1",
                null,
                null,
                Instant.parse("2026-03-31T17:00:00Z"),
                Instant.parse("2026-03-31T17:30:00Z"),
                false,
                null,
                null,
                "America/Los_Angeles",
                EventStatus.CANCELLED,
                null,
                series,
                Instant.parse("2026-03-31T17:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        Written moved = writer.create(target, UUID.randomUUID(), override);
        writer.create(target, UUID.randomUUID(), cancelled);
        writer.create(target, UUID.randomUUID(), cancelled); // a retry finds nothing left to cancel

        JsonNode instances = GraphSandbox.graph(
                "GET",
                "/me/events/" + GraphSandbox.enc(series)
                        + "/instances?startDateTime=2026-03-23T00:00:00Z&endDateTime=2026-04-06T00:00:00Z",
                tokens.current());
        assertThat(instances.get("value")).singleElement().satisfies(i -> {
            assertThat(i.get("id").stringValue()).isEqualTo(moved.providerEventId());
            assertThat(i.get("type").stringValue()).isEqualTo("exception");
            assertThat(i.at("/start/dateTime").stringValue()).startsWith("2026-03-24T19:00:00");
        });
        assertThat(storedEvents(account)).as("no event besides the series").hasSize(1);
    }

    @Test
    void deletingTwiceIsFineAndAStaleChangeKeyIsNot() {
        Written a = writer.create(
                target, UUID.randomUUID(), timed("A", "2026-05-04T07:00:00Z", "2026-05-04T08:00:00Z", "UTC", null));
        Written b = writer.create(
                target, UUID.randomUUID(), timed("B", "2026-05-05T07:00:00Z", "2026-05-05T08:00:00Z", "UTC", null));
        patchInOutlook(b.providerEventId(), """
                {"subject":"B, renamed"}""");

        writer.delete(target, a.providerEventId(), a.etag());
        writer.delete(target, a.providerEventId(), a.etag());
        ProviderException ex = catchThrowableOfType(
                ProviderException.class, () -> writer.delete(target, b.providerEventId(), b.etag()));

        assertThat(ex.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED);
        assertThat(storedEvents(account))
                .extracting(j -> j.get("id").stringValue())
                .containsExactly(b.providerEventId());
        assertThat(writer.get(target, a.providerEventId())).isNull();
    }

    @Test
    void aCreateRetriedAfterAServerErrorStillMakesOneEvent() {
        GraphSandbox.fault("POST", "/events$", "ERROR", 503, 0, 1);
        UUID localId = UUID.randomUUID();

        Written w = writer.create(
                target,
                localId,
                timed("Budget review", "2026-05-04T07:00:00Z", "2026-05-04T08:00:00Z", "Europe/Berlin", null));

        assertThat(calls.sleeps()).hasSize(1);
        assertThat(storedEvents(account))
                .extracting(j -> j.get("id").stringValue())
                .containsExactly(w.providerEventId());
    }
}
