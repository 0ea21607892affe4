package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.json;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleEventsSyncTest.byId;
import static io.calsync.sandbox.google.GoogleEventsSyncTest.fetchAll;
import static io.calsync.sandbox.google.GoogleEventsSyncTest.items;
import static io.calsync.sandbox.google.GoogleEventsSyncTest.lastPage;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A weekly series in Europe/Berlin across the end of daylight-saving time (25 October 2026), with an EXDATE, an
 * override seeded through the store's Java API and a cancelled occurrence.
 */
class GoogleRecurrenceTest {

    private User user;
    private Calendar api;
    private String masterId;

    @BeforeEach
    void seedSeries() throws Exception {
        user = newUser();
        api = user.client();
        GoogleCalendarStore store = GoogleApiTestSupport.store();
        store.createCalendar(
                user.account().id(),
                new GoogleCalendarStore.CalendarSpec(null, null, null, "Europe/Berlin", true, null, null));

        Event master = api.events()
                .insert(
                        "primary",
                        new Event()
                                .setSummary("Weekly")
                                .setStart(new EventDateTime()
                                        .setDateTime(new DateTime("2026-10-20T10:00:00+02:00"))
                                        .setTimeZone("Europe/Berlin"))
                                .setEnd(new EventDateTime()
                                        .setDateTime(new DateTime("2026-10-20T11:00:00+02:00"))
                                        .setTimeZone("Europe/Berlin"))
                                .setRecurrence(List.of(
                                        "RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=Europe/Berlin:20261117T100000")))
                .execute();
        masterId = master.getId();

        store.insert(user.email(), json("""
                {"recurringEventId":"%s",
                 "originalStartTime":{"dateTime":"2026-11-03T10:00:00+01:00","timeZone":"Europe/Berlin"},
                 "summary":"Moved",
                 "start":{"dateTime":"2026-11-03T14:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-11-03T15:00:00+01:00","timeZone":"Europe/Berlin"}}
                """.formatted(masterId)));
        store.insert(user.email(), json("""
                {"recurringEventId":"%s","status":"cancelled",
                 "originalStartTime":{"dateTime":"2026-11-10T10:00:00+01:00","timeZone":"Europe/Berlin"}}
                """.formatted(masterId)));
    }

    @Test
    void withoutSingleEventsListsMasterOverrideAndTheCancelledOccurrenceEvenWithoutShowDeleted() throws Exception {
        List<Event> listed = items(fetchAll(api.events().list("primary")));

        Map<String, Event> byId = byId(listed);
        assertThat(byId.keySet())
                .containsExactlyInAnyOrder(masterId, masterId + "_20261103T090000Z", masterId + "_20261110T090000Z");
        Event master = byId.get(masterId);
        assertThat(master.getRecurrence())
                .containsExactly("RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=Europe/Berlin:20261117T100000");
        Event override = byId.get(masterId + "_20261103T090000Z");
        assertThat(override.getRecurringEventId()).isEqualTo(masterId);
        assertThat(override.getSummary()).isEqualTo("Moved");
        assertThat(override.getOriginalStartTime().getDateTime().getValue())
                .isEqualTo(new DateTime("2026-11-03T09:00:00Z").getValue());
        assertThat(override.getICalUID()).isEqualTo(master.getICalUID());
        Event cancelled = byId.get(masterId + "_20261110T090000Z");
        assertThat(cancelled.getStatus()).isEqualTo("cancelled");
        assertThat(cancelled.getRecurringEventId()).isEqualTo(masterId);
        assertThat(cancelled.getOriginalStartTime().getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(cancelled.getSummary()).isNull();
        assertThat(cancelled.getStart()).isNull();

        // The raw JSON of a cancelled occurrence is minimal.
        JsonNode raw = rawItems("singleEvents=false").stream()
                .filter(i -> i.get("id").stringValue().endsWith("_20261110T090000Z"))
                .findFirst()
                .orElseThrow();
        assertThat(propertyNames(raw))
                .containsExactlyInAnyOrder("kind", "etag", "id", "status", "recurringEventId", "originalStartTime");
    }

    @Test
    void singleEventsExpandsAcrossTheDaylightSavingChange() throws Exception {
        List<Event> instances = items(fetchAll(api.events()
                .list("primary")
                .setSingleEvents(true)
                .setOrderBy("startTime")
                .setTimeMin(new DateTime("2026-10-01T00:00:00Z"))
                .setTimeMax(new DateTime("2027-01-01T00:00:00Z"))));

        assertThat(instances)
                .extracting(Event::getId)
                .containsExactly(
                        masterId + "_20261020T080000Z",
                        masterId + "_20261027T090000Z",
                        masterId + "_20261103T090000Z",
                        masterId + "_20261124T090000Z");
        assertThat(instances)
                .extracting(e -> e.getStart().getDateTime().getValue())
                .containsExactly(
                        new DateTime("2026-10-20T08:00:00Z").getValue(),
                        new DateTime("2026-10-27T09:00:00Z").getValue(),
                        new DateTime("2026-11-03T13:00:00Z").getValue(),
                        new DateTime("2026-11-24T09:00:00Z").getValue());
        assertThat(instances).allSatisfy(e -> {
            assertThat(e.getRecurringEventId()).isEqualTo(masterId);
            assertThat(e.getRecurrence()).isNull();
            assertThat(e.getOriginalStartTime()).isNotNull();
        });
        assertThat(instances.get(2).getSummary()).isEqualTo("Moved");
        assertThat(instances.get(3).getSummary()).isEqualTo("Weekly");
        assertThat(instances.get(3).getEnd().getDateTime().getValue())
                .isEqualTo(new DateTime("2026-11-24T10:00:00Z").getValue());

        // Wall-clock 10:00 in Berlin before and after the change, written at the calendar's offset.
        List<String> starts = rawItems("singleEvents=true&orderBy=startTime").stream()
                .map(i -> i.get("start").get("dateTime").stringValue())
                .toList();
        assertThat(starts)
                .containsExactly(
                        "2026-10-20T10:00:00+02:00",
                        "2026-10-27T10:00:00+01:00",
                        "2026-11-03T14:00:00+01:00",
                        "2026-11-24T10:00:00+01:00");

        // showDeleted adds the cancelled occurrence in its place.
        List<Event> withDeleted = items(fetchAll(api.events()
                .list("primary")
                .setSingleEvents(true)
                .setOrderBy("startTime")
                .setShowDeleted(true)));
        assertThat(withDeleted)
                .extracting(Event::getId)
                .contains(masterId + "_20261110T090000Z")
                .hasSize(5);

        // A window cuts the expansion: an instance overlapping timeMin counts.
        List<Event> window = items(fetchAll(api.events()
                .list("primary")
                .setSingleEvents(true)
                .setTimeMin(new DateTime("2026-10-27T09:30:00Z"))
                .setTimeMax(new DateTime("2026-11-04T00:00:00Z"))));
        assertThat(window)
                .extracting(Event::getId)
                .containsExactly(masterId + "_20261027T090000Z", masterId + "_20261103T090000Z");

        assertThat(api.events().instances("primary", masterId).execute().getItems())
                .extracting(Event::getId)
                .containsExactly(
                        masterId + "_20261020T080000Z",
                        masterId + "_20261027T090000Z",
                        masterId + "_20261103T090000Z",
                        masterId + "_20261124T090000Z");
    }

    @Test
    void writingToAnInstanceCreatesAnOverrideOrACancellationThatSyncs() throws Exception {
        String token = lastPage(api.events().list("primary")).getNextSyncToken();
        String last = masterId + "_20261124T090000Z";
        String second = masterId + "_20261027T090000Z";

        Event instance = api.events().get("primary", last).execute();
        assertThat(instance.getRecurringEventId()).isEqualTo(masterId);
        Event override = api.events()
                .patch("primary", last, new Event().setSummary("Last one"))
                .execute();
        assertThat(override.getId()).isEqualTo(last);
        assertThat(override.getSummary()).isEqualTo("Last one");
        assertThat(override.getOriginalStartTime().getDateTime().getValue())
                .isEqualTo(new DateTime("2026-11-24T09:00:00Z").getValue());
        api.events().delete("primary", second).execute();

        Map<String, Event> changes =
                byId(lastPage(api.events().list("primary").setSyncToken(token)).getItems());
        assertThat(changes.keySet()).containsExactlyInAnyOrder(last, second);
        assertThat(changes.get(last).getSummary()).isEqualTo("Last one");
        assertThat(changes.get(second).getStatus()).isEqualTo("cancelled");

        List<Event> instances = items(
                fetchAll(api.events().list("primary").setSingleEvents(true).setOrderBy("startTime")));
        assertThat(instances).extracting(Event::getSummary).containsExactly("Weekly", "Moved", "Last one");
    }

    @Test
    void deletingTheSeriesCancelsItsOverrides() throws Exception {
        String token = lastPage(api.events().list("primary")).getNextSyncToken();

        api.events().delete("primary", masterId).execute();

        Map<String, Event> changes =
                byId(lastPage(api.events().list("primary").setSyncToken(token)).getItems());
        assertThat(changes.keySet()).containsExactlyInAnyOrder(masterId, masterId + "_20261103T090000Z");
        assertThat(changes.values()).allSatisfy(e -> assertThat(e.getStatus()).isEqualTo("cancelled"));
        assertThat(items(fetchAll(api.events().list("primary").setSingleEvents(true))))
                .isEmpty();
    }

    @Test
    void allDaySeriesUseDateIdsAndUnboundedListsStopAfterTwoYears() throws Exception {
        Event daily = api.events()
                .insert(
                        "primary",
                        new Event()
                                .setSummary("Daily")
                                .setStart(new EventDateTime().setDate(new DateTime("2026-11-20")))
                                .setEnd(new EventDateTime().setDate(new DateTime("2026-11-21")))
                                .setRecurrence(List.of("RRULE:FREQ=DAILY;COUNT=3")))
                .execute();
        List<Event> instances = items(fetchAll(api.events()
                .list("primary")
                .setSingleEvents(true)
                .setOrderBy("startTime")
                .setICalUID(daily.getICalUID())));
        assertThat(instances)
                .extracting(Event::getId)
                .containsExactly(daily.getId() + "_20261120", daily.getId() + "_20261121", daily.getId() + "_20261122");
        assertThat(instances.get(1).getStart().getDate().toStringRfc3339()).isEqualTo("2026-11-21");
        assertThat(instances.get(1).getOriginalStartTime().getDate().toStringRfc3339())
                .isEqualTo("2026-11-21");

        Event forever = api.events()
                .insert(
                        "primary",
                        new Event()
                                .setSummary("Forever")
                                .setStart(new EventDateTime()
                                        .setDateTime(new DateTime("2027-01-04T09:00:00+01:00"))
                                        .setTimeZone("Europe/Berlin"))
                                .setEnd(new EventDateTime()
                                        .setDateTime(new DateTime("2027-01-04T09:15:00+01:00"))
                                        .setTimeZone("Europe/Berlin"))
                                .setRecurrence(List.of("RRULE:FREQ=DAILY")))
                .execute();
        List<Event> unbounded = items(fetchAll(api.events()
                .list("primary")
                .setSingleEvents(true)
                .setMaxResults(2500)
                .setICalUID(forever.getICalUID())));
        assertThat(unbounded).hasSizeBetween(729, 732);
    }

    private List<JsonNode> rawItems(String query) {
        JsonNode body = http("GET", "/google/calendar/v3/calendars/primary/events?" + query, user.accessToken(), null)
                .body();
        return StreamSupport.stream(body.get("items").spliterator(), false).toList();
    }

    private static List<String> propertyNames(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }
}
