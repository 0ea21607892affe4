package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.control;
import static io.calsync.sandbox.microsoft.GraphTestSupport.event;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static io.calsync.sandbox.microsoft.GraphTestSupport.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The control routes and the store's Java API, as other tests use them to seed and change mailboxes. */
class MicrosoftControlApiTest {

    @Test
    void calendarsAndEventsAreMadeAsTheUserInOutlook() {
        GraphTestSupport.User u = newUser();
        var cal = control(
                "POST", "/accounts/" + u.id() + "/calendars", "{\"name\":\"Projects\",\"color\":\"lightBlue\"}");
        assertThat(cal.status()).isEqualTo(201);
        String calendarId = cal.json().get("id").asString();
        assertThat(control("POST", "/accounts/" + u.id() + "/calendars", "{\"name\":\"Projects\"}")
                        .status())
                .isEqualTo(409);
        assertThat(control("GET", "/accounts/" + u.id() + "/calendars", null).json())
                .hasSize(2);

        var created = control(
                "POST",
                "/calendars/" + calendarId + "/events",
                event("Kick-off", "2026-09-01T09:00:00", "2026-09-01T10:00:00", "Tokyo Standard Time"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode e = created.json();
        assertThat(e.at("/start/dateTime").asString()).isEqualTo("2026-09-01T00:00:00.0000000");
        assertThat(e.get("originalStartTimeZone").asString()).isEqualTo("Tokyo Standard Time");

        JsonNode viaGraph = call(
                        "GET",
                        "/graph/v1.0/me/calendars/" + calendarId + "/events/"
                                + e.get("id").asString(),
                        u.token(),
                        null)
                .json();
        assertThat(viaGraph.get("subject").asString()).isEqualTo("Kick-off");
        assertThat(control("GET", "/accounts/" + u.id() + "/events", null).json())
                .hasSize(1);

        assertThat(control("DELETE", "/events/" + e.get("id").asString(), null).status())
                .isEqualTo(204);
        assertThat(control("GET", "/events/" + e.get("id").asString(), null).status())
                .isEqualTo(404);
    }

    @Test
    void badControlCallsSayWhatIsWrong() {
        GraphTestSupport.User u = newUser();
        assertThat(control(
                                "POST",
                                "/accounts/nobody/events",
                                event("x", "2026-01-01T10:00:00", "2026-01-01T11:00:00", "UTC"))
                        .status())
                .isEqualTo(404);
        String single = control(
                        "POST",
                        "/accounts/" + u.id() + "/events",
                        event("x", "2026-01-01T10:00:00", "2026-01-01T11:00:00", "UTC"))
                .json()
                .get("id")
                .asString();
        assertThat(control("POST", "/events/" + single + "/occurrences/2026-01-01/cancel", null)
                        .status())
                .as("a single instance has no occurrences")
                .isEqualTo(404);
        var badStart = control("POST", "/events/" + single + "/occurrences/yesterday/cancel", null);
        assertThat(badStart.status()).isEqualTo(400);
        assertThat(control("POST", "/subscriptions/nope/lifecycle?event=missed", null)
                        .status())
                .isEqualTo(404);
        assertThat(control("POST", "/calendars/nope/invalidate-delta-tokens", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theStoreSeedsSeriesInUsTimeAcrossDst() {
        GraphTestSupport.User u = newUser();
        MicrosoftStore store = GraphTestSupport.store();
        // daily at 09:00 in Pacific time; US summer time starts on 2026-03-08
        EventView master = store.createEvent(u.account(), null, obj("""
                {"subject":"Standup","start":{"dateTime":"2026-03-06T09:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2026-03-06T09:15:00","timeZone":"Pacific Standard Time"},
                 "recurrence":{"pattern":{"type":"daily","interval":1},
                               "range":{"type":"numbered","startDate":"2026-03-06","numberOfOccurrences":5}}}"""));
        List<EventView> view = store.calendarView(
                u.account(), null, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(view)
                .extracting(v -> v.start().toString())
                .containsExactly(
                        "2026-03-06T17:00:00Z",
                        "2026-03-07T17:00:00Z",
                        "2026-03-08T16:00:00Z",
                        "2026-03-09T16:00:00Z",
                        "2026-03-10T16:00:00Z");
        assertThat(view)
                .allSatisfy(v ->
                        assertThat(v.json().get("seriesMasterId").asString()).isEqualTo(master.id()));

        store.cancelOccurrence(u.account(), master.id(), Instant.parse("2026-03-07T17:00:00Z"));
        EventView moved =
                store.updateOccurrence(u.account(), master.id(), Instant.parse("2026-03-09T16:00:00Z"), obj("""
                {"start":{"dateTime":"2026-03-09T11:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2026-03-09T11:15:00","timeZone":"Pacific Standard Time"}}"""));
        assertThat(moved.type()).isEqualTo("exception");
        assertThat(store.instances(
                        u.account(),
                        master.id(),
                        Instant.parse("2026-03-01T00:00:00Z"),
                        Instant.parse("2026-04-01T00:00:00Z")))
                .extracting(EventView::type)
                .containsExactly("occurrence", "occurrence", "exception", "occurrence");

        // a meeting at 02:30 on the day the clocks skip 02:00-03:00 happens at 03:30 PDT
        EventView gap = store.createEvent(
                u.account(),
                null,
                obj(event("Early", "2026-03-08T02:30:00", "2026-03-08T03:30:00", "Pacific Standard Time")));
        assertThat(gap.start()).isEqualTo(Instant.parse("2026-03-08T10:30:00Z"));
    }
}
