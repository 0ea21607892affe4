package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.event;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.http.middleware.options.HeadersInspectionOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Event CRUD, concurrency, time zones and occurrences through the official Graph SDK. */
class GraphEventsTest {

    static DateTimeTimeZone at(String dateTime, String zone) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(dateTime);
        t.setTimeZone(zone);
        return t;
    }

    static Event meeting(String subject, String start, String end, String zone) {
        Event e = new Event();
        e.setSubject(subject);
        e.setStart(at(start, zone));
        e.setEnd(at(end, zone));
        return e;
    }

    @Test
    void createReadUpdateDeleteAnEvent() {
        GraphTestSupport.User u = newUser();
        Event e = meeting("Orientation", "2026-04-21T10:00:00", "2026-04-21T12:00:00", "Pacific Standard Time");
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Html);
        body.setContent("<html><body><p>Please bring the notes I sent you.</p></body></html>");
        e.setBody(body);
        Location location = new Location();
        location.setDisplayName("Assembly Hall");
        e.setLocation(location);
        Attendee dana = new Attendee();
        dana.setType(AttendeeType.Required);
        EmailAddress email = new EmailAddress();
        email.setAddress("danas@contoso.test");
        email.setName("Dana Swope");
        dana.setEmailAddress(email);
        e.setAttendees(List.of(dana));

        Event created = u.graph().me().events().post(e);
        assertThat(created.getId()).startsWith("AAMkA");
        assertThat(created.getType()).isEqualTo(EventType.SingleInstance);
        assertThat(created.getChangeKey()).isNotBlank();
        assertThat(created.getAdditionalData()).containsEntry("@odata.etag", "W/\"" + created.getChangeKey() + "\"");
        assertThat(created.getOriginalStartTimeZone()).isEqualTo("Pacific Standard Time");
        // no Prefer header: UTC, seven fractional digits (PDT is UTC-7 in April)
        assertThat(created.getStart().getDateTime()).isEqualTo("2026-04-21T17:00:00.0000000");
        assertThat(created.getStart().getTimeZone()).isEqualTo("UTC");
        assertThat(created.getBodyPreview()).isEqualTo("Please bring the notes I sent you.");
        assertThat(created.getLocation().getDisplayName()).isEqualTo("Assembly Hall");
        assertThat(created.getLocations()).hasSize(1);
        assertThat(created.getAttendees().getFirst().getStatus().getResponse().getValue())
                .isEqualTo("none");
        assertThat(created.getOrganizer().getEmailAddress().getAddress())
                .isEqualTo(u.account().email());
        assertThat(created.getIsOrganizer()).isTrue();
        assertThat(created.getICalUId()).startsWith("040000008200E00074C5B7101A82E008");
        assertThat(created.getWebLink()).contains("itemid=");

        Event read = u.graph().me().events().byEventId(created.getId()).get();
        assertThat(read.getSubject()).isEqualTo("Orientation");
        assertThat(read.getChangeKey()).isEqualTo(created.getChangeKey());
        assertThat(u.graph()
                        .me()
                        .calendar()
                        .events()
                        .byEventId(created.getId())
                        .get()
                        .getId())
                .isEqualTo(created.getId());

        Event patch = new Event();
        patch.setSubject("Orientation (moved)");
        patch.setStart(at("2026-04-22T10:00:00", "Pacific Standard Time"));
        patch.setEnd(at("2026-04-22T11:00:00", "Pacific Standard Time"));
        Event updated = u.graph().me().events().byEventId(created.getId()).patch(patch);
        assertThat(updated.getSubject()).isEqualTo("Orientation (moved)");
        assertThat(updated.getChangeKey()).isNotEqualTo(created.getChangeKey());
        assertThat(updated.getLastModifiedDateTime()).isAfterOrEqualTo(created.getLastModifiedDateTime());
        assertThat(updated.getEnd().getDateTime()).isEqualTo("2026-04-22T18:00:00.0000000");
        assertThat(updated.getLocation().getDisplayName())
                .as("PATCH keeps what it does not name")
                .isEqualTo("Assembly Hall");

        assertThat(u.graph().me().events().get().getValue())
                .extracting(Event::getId)
                .containsExactly(created.getId());
        u.graph().me().events().byEventId(created.getId()).delete();
        ODataError gone = catchThrowableOfType(
                ODataError.class,
                () -> u.graph().me().events().byEventId(created.getId()).get());
        assertThat(gone.getResponseStatusCode()).isEqualTo(404);
        assertThat(gone.getError().getCode()).isEqualTo("ErrorItemNotFound");
    }

    @Test
    void ifMatchWithAStaleEtagIsAConflict() {
        GraphTestSupport.User u = newUser();
        Event created =
                u.graph().me().events().post(meeting("Sync", "2026-05-04T09:00:00", "2026-05-04T09:30:00", "UTC"));
        String staleEtag = (String) created.getAdditionalData().get("@odata.etag");
        Event first = new Event();
        first.setSubject("First writer");
        Event afterFirst = u.graph()
                .me()
                .events()
                .byEventId(created.getId())
                .patch(first, rc -> rc.headers.add("If-Match", staleEtag));
        assertThat(afterFirst.getSubject()).isEqualTo("First writer");

        Event second = new Event();
        second.setSubject("Second writer");
        ODataError conflict = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .events()
                        .byEventId(created.getId())
                        .patch(second, rc -> rc.headers.add("If-Match", staleEtag)));
        assertThat(conflict.getResponseStatusCode()).isEqualTo(412);
        assertThat(conflict.getError().getCode()).isEqualTo("ErrorIrresolvableConflict");

        ODataError deleteConflict = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .events()
                        .byEventId(created.getId())
                        .delete(rc -> rc.headers.add("If-Match", staleEtag)));
        assertThat(deleteConflict.getResponseStatusCode()).isEqualTo(412);

        String current = "W/\"" + afterFirst.getChangeKey() + "\"";
        Event retry = new Event(); // a fresh model: the SDK sends a model's values only once
        retry.setSubject("Second writer");
        assertThat(u.graph()
                        .me()
                        .events()
                        .byEventId(created.getId())
                        .patch(retry, rc -> rc.headers.add("If-Match", current))
                        .getSubject())
                .isEqualTo("Second writer");
    }

    @Test
    void preferOutlookTimezoneRendersStartAndEndInThatZone() {
        GraphTestSupport.User u = newUser();
        Event created =
                u.graph().me().events().post(meeting("Call", "2026-01-15T17:00:00", "2026-01-15T18:00:00", "UTC"));

        HeadersInspectionOption headers = new HeadersInspectionOption(false, true);
        Event pacific = u.graph().me().events().byEventId(created.getId()).get(rc -> {
            rc.headers.add("Prefer", "outlook.timezone=\"Pacific Standard Time\"");
            rc.options.add(headers);
        });
        assertThat(pacific.getStart().getDateTime()).isEqualTo("2026-01-15T09:00:00.0000000");
        assertThat(pacific.getStart().getTimeZone()).isEqualTo("Pacific Standard Time");
        assertThat(pacific.getEnd().getDateTime()).isEqualTo("2026-01-15T10:00:00.0000000");
        assertThat(headers.getResponseHeaders().get("Preference-Applied"))
                .containsExactly("outlook.timezone=\"Pacific Standard Time\"");

        Event berlin = u.graph()
                .me()
                .events()
                .byEventId(created.getId())
                .get(rc -> rc.headers.add("Prefer", "outlook.timezone=\"Europe/Berlin\""));
        assertThat(berlin.getStart().getDateTime()).isEqualTo("2026-01-15T18:00:00.0000000");
        assertThat(berlin.getStart().getTimeZone()).isEqualTo("Europe/Berlin");

        HeadersInspectionOption immutable = new HeadersInspectionOption(false, true);
        Event same = u.graph().me().events().byEventId(created.getId()).get(rc -> {
            rc.headers.add("Prefer", "IdType=\"ImmutableId\"");
            rc.options.add(immutable);
        });
        assertThat(same.getId()).isEqualTo(created.getId());
        assertThat(immutable.getResponseHeaders().get("Preference-Applied")).containsExactly("IdType=\"ImmutableId\"");
    }

    @Test
    void allDayEventsStayOnTheirDateInEveryZone() {
        GraphTestSupport.User u = newUser();
        Event e = meeting("Holiday", "2026-05-01", "2026-05-02", "W. Europe Standard Time");
        e.setIsAllDay(true);
        Event created = u.graph().me().events().post(e);
        assertThat(created.getIsAllDay()).isTrue();
        assertThat(created.getStart().getDateTime()).isEqualTo("2026-05-01T00:00:00.0000000");
        Event pacific = u.graph()
                .me()
                .events()
                .byEventId(created.getId())
                .get(rc -> rc.headers.add("Prefer", "outlook.timezone=\"Pacific Standard Time\""));
        assertThat(pacific.getStart().getDateTime()).isEqualTo("2026-05-01T00:00:00.0000000");
        assertThat(pacific.getEnd().getDateTime()).isEqualTo("2026-05-02T00:00:00.0000000");
        assertThat(pacific.getStart().getTimeZone()).isEqualTo("Pacific Standard Time");
    }

    @Test
    void invalidBodiesAreRejectedAsGraphRejectsThem() {
        GraphTestSupport.User u = newUser();
        var noEnd = call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                "{\"subject\":\"x\",\"start\":{\"dateTime\":\"2026-01-01T10:00:00\",\"timeZone\":\"UTC\"}}");
        assertThat(noEnd.status()).isEqualTo(400);
        assertThat(noEnd.json().at("/error/code").asString()).isEqualTo("ErrorInvalidRequest");

        var badZone = call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                event("x", "2026-01-01T10:00:00", "2026-01-01T11:00:00", "Mars/Olympus"));
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.json().at("/error/code").asString()).isEqualTo("TimeZoneNotSupportedException");

        var unknown = call("POST", "/graph/v1.0/me/events", u.token(), "{\"subject\":\"x\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/code").asString()).isEqualTo("RequestBodyRead");

        var backwards = call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                event("x", "2026-01-01T10:00:00", "2026-01-01T09:00:00", "UTC"));
        assertThat(backwards.status()).isEqualTo(400);

        var allDayAtNoon = call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                "{\"isAllDay\":true,\"start\":{\"dateTime\":\"2026-01-01T12:00:00\",\"timeZone\":\"UTC\"},"
                        + "\"end\":{\"dateTime\":\"2026-01-02T12:00:00\",\"timeZone\":\"UTC\"}}");
        assertThat(allDayAtNoon.status()).isEqualTo(400);
        assertThat(allDayAtNoon.json().at("/error/code").asString()).isEqualTo("ErrorPropertyValidationFailure");

        var badShowAs = call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                "{\"showAs\":\"sleeping\",\"start\":{\"dateTime\":\"2026-01-01T12:00:00\",\"timeZone\":\"UTC\"},"
                        + "\"end\":{\"dateTime\":\"2026-01-01T13:00:00\",\"timeZone\":\"UTC\"}}");
        assertThat(badShowAs.json().at("/error/code").asString()).isEqualTo("RequestBodyRead");

        var notJson = call("POST", "/graph/v1.0/me/events", u.token(), "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/error/code").asString()).isEqualTo("BadRequest");
    }

    @Test
    void anotherUsersEventIsNotFound() {
        GraphTestSupport.User alice = newUser();
        GraphTestSupport.User bob = newUser();
        Event bobs =
                bob.graph().me().events().post(meeting("Private", "2026-02-02T10:00:00", "2026-02-02T11:00:00", "UTC"));
        ODataError e = catchThrowableOfType(
                ODataError.class,
                () -> alice.graph().me().events().byEventId(bobs.getId()).get());
        assertThat(e.getResponseStatusCode()).isEqualTo(404);
        ODataError d = catchThrowableOfType(
                ODataError.class,
                () -> alice.graph().me().events().byEventId(bobs.getId()).delete());
        assertThat(d.getResponseStatusCode()).isEqualTo(404);
        var users = call("GET", "/graph/v1.0/users/" + bob.id() + "/events", alice.token(), null);
        assertThat(users.status()).isEqualTo(403);
    }

    @Test
    void eventsLiveInTheCalendarTheyWereCreatedIn() {
        GraphTestSupport.User u = newUser();
        String work = GraphTestSupport.store()
                .createCalendar(u.account(), "Work", null)
                .id();
        Event inWork = u.graph()
                .me()
                .calendars()
                .byCalendarId(work)
                .events()
                .post(meeting("Planning", "2026-02-03T10:00:00", "2026-02-03T11:00:00", "UTC"));
        Event inDefault =
                u.graph().me().events().post(meeting("Lunch", "2026-02-03T12:00:00", "2026-02-03T13:00:00", "UTC"));
        assertThat(u.graph().me().calendars().byCalendarId(work).events().get().getValue())
                .extracting(Event::getId)
                .containsExactly(inWork.getId());
        assertThat(u.graph().me().calendar().events().get().getValue())
                .extracting(Event::getId)
                .containsExactly(inDefault.getId());
        assertThat(u.graph().me().events().get().getValue())
                .extracting(Event::getId)
                .containsExactlyInAnyOrder(inWork.getId(), inDefault.getId());
        ODataError wrong = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .calendars()
                        .byCalendarId(work)
                        .events()
                        .byEventId(inDefault.getId())
                        .get());
        assertThat(wrong.getResponseStatusCode()).isEqualTo(404);
    }

    @Test
    void occurrencesCanBeReadChangedAndCancelledById() {
        GraphTestSupport.User u = newUser();
        Event series = meeting("Weekly review", "2026-06-01T15:00:00", "2026-06-01T15:30:00", "Eastern Standard Time");
        RecurrencePattern pattern = new RecurrencePattern();
        pattern.setType(RecurrencePatternType.Weekly);
        pattern.setInterval(1);
        pattern.setDaysOfWeek(List.of(DayOfWeek.Monday));
        RecurrenceRange range = new RecurrenceRange();
        range.setType(RecurrenceRangeType.Numbered);
        range.setStartDate(LocalDate.of(2026, 6, 1));
        range.setNumberOfOccurrences(4);
        PatternedRecurrence recurrence = new PatternedRecurrence();
        recurrence.setPattern(pattern);
        recurrence.setRange(range);
        series.setRecurrence(recurrence);
        Event master = u.graph().me().events().post(series);
        assertThat(master.getType()).isEqualTo(EventType.SeriesMaster);
        assertThat(master.getRecurrence().getRange().getRecurrenceTimeZone()).isEqualTo("Eastern Standard Time");

        List<Event> instances = u.graph()
                .me()
                .events()
                .byEventId(master.getId())
                .instances()
                .get(rc -> {
                    rc.queryParameters.startDateTime = "2026-05-01T00:00:00Z";
                    rc.queryParameters.endDateTime = "2026-07-01T00:00:00Z";
                })
                .getValue();
        assertThat(instances).hasSize(4).allSatisfy(i -> {
            assertThat(i.getType()).isEqualTo(EventType.Occurrence);
            assertThat(i.getSeriesMasterId()).isEqualTo(master.getId());
        });
        assertThat(instances.get(1).getOriginalStart())
                .isEqualTo(OffsetDateTime.of(2026, 6, 8, 19, 0, 0, 0, ZoneOffset.UTC));

        Event second =
                u.graph().me().events().byEventId(instances.get(1).getId()).get();
        assertThat(second.getStart().getDateTime()).isEqualTo("2026-06-08T19:00:00.0000000");

        Event change = new Event();
        change.setSubject("Weekly review (longer)");
        change.setEnd(at("2026-06-08T16:00:00", "Eastern Standard Time"));
        Event exception = u.graph().me().events().byEventId(second.getId()).patch(change);
        assertThat(exception.getId())
                .as("an exception keeps its occurrence's id")
                .isEqualTo(second.getId());
        assertThat(exception.getType()).isEqualTo(EventType.Exception);
        assertThat(exception.getEnd().getDateTime()).isEqualTo("2026-06-08T20:00:00.0000000");

        u.graph().me().events().byEventId(instances.get(2).getId()).delete();
        List<Event> after = u.graph()
                .me()
                .events()
                .byEventId(master.getId())
                .instances()
                .get(rc -> {
                    rc.queryParameters.startDateTime = "2026-05-01T00:00:00Z";
                    rc.queryParameters.endDateTime = "2026-07-01T00:00:00Z";
                })
                .getValue();
        assertThat(after)
                .extracting(Event::getId)
                .containsExactly(
                        instances.get(0).getId(),
                        instances.get(1).getId(),
                        instances.get(3).getId());
        assertThat(after)
                .extracting(Event::getSubject)
                .containsExactly("Weekly review", "Weekly review (longer)", "Weekly review");
        ODataError cancelled = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .events()
                        .byEventId(instances.get(2).getId())
                        .get());
        assertThat(cancelled.getResponseStatusCode()).isEqualTo(404);

        assertThat(u.graph()
                        .me()
                        .calendarView()
                        .get(rc -> {
                            rc.queryParameters.startDateTime = "2026-05-01T00:00:00Z";
                            rc.queryParameters.endDateTime = "2026-07-01T00:00:00Z";
                        })
                        .getValue())
                .extracting(Event::getId)
                .containsExactlyElementsOf(after.stream().map(Event::getId).toList());

        JsonNode raw = call("GET", "/graph/v1.0/me/events/" + master.getId(), u.token(), null)
                .json();
        assertThat(raw.at("/recurrence/pattern/daysOfWeek/0").asString()).isEqualTo("monday");
        assertThat(raw.at("/recurrence/range/numberOfOccurrences").asInt()).isEqualTo(4);
    }
}
