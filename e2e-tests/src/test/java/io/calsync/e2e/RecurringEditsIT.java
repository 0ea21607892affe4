package io.calsync.e2e;

import static io.calsync.e2e.RunningSystem.JSON;
import static io.calsync.e2e.RunningSystem.awaitSubscription;
import static io.calsync.e2e.RunningSystem.call;
import static io.calsync.e2e.RunningSystem.connect;
import static io.calsync.e2e.RunningSystem.control;
import static io.calsync.e2e.RunningSystem.enc;
import static io.calsync.e2e.RunningSystem.shortId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * "This event" and "all events" of a recurring series, through the API, written back to the sandbox's Google and
 * Outlook as their docs describe (Google: PATCH of the instance {@code <id>_<start>}; Graph: PATCH or DELETE of the
 * occurrence found among the series' instances), and read back after the provider's echo: the override and the
 * cancellation stand, nothing is duplicated, nothing comes back.
 */
class RecurringEditsIT {

    static final java.time.Duration WAIT = RunningSystem.WAIT;
    static final String RANGE = "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z";

    @BeforeAll
    static void theSystem() {
        RunningSystem.startAll();
    }

    @AfterAll
    static void stop() {
        RunningSystem.stopAll();
    }

    static List<JsonNode> events(String user) throws Exception {
        HttpResponse<String> r = call(user, "GET", RANGE, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).get("events").forEach(out::add);
        return out;
    }

    static List<String> titles(String user) throws Exception {
        return events(user).stream().map(e -> e.get("title").stringValue()).toList();
    }

    static void awaitSynced(String user, String id) {
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> r = call(user, "GET", "/api/v1/calendar/events/" + id, null);
            return r.statusCode() == 200
                    && "SYNCED".equals(JSON.readTree(r.body()).get("syncStatus").stringValue());
        });
    }

    /** A sync at once, and its end: the provider's echo of what was written has come back by then. */
    static void syncNow(String user, UUID calendar) throws Exception {
        String before = lastSynced(user, calendar);
        assertThat(call(user, "POST", "/api/v1/calendar/calendars/" + calendar + "/sync", null)
                        .statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> !java.util.Objects.equals(before, lastSynced(user, calendar)));
    }

    static String lastSynced(String user, UUID calendar) throws Exception {
        JsonNode c = JSON.readTree(call(user, "GET", "/api/v1/calendar/calendars/" + calendar, null)
                .body());
        return c.get("lastSyncedAt").isNull() ? null : c.get("lastSyncedAt").stringValue();
    }

    /** The edits a person makes on a weekly series of four, checked in the API after each; answers the ids used. */
    static void editTheSeries(String user, UUID calendar) throws Exception {
        await().atMost(WAIT).until(() -> titles(user).size() == 4);
        List<JsonNode> before = events(user);
        String seriesId = before.getFirst().get("recurringEventId").stringValue();
        String second = before.get(1).get("id").stringValue();
        String third = before.get(2).get("id").stringValue();
        // Google's occurrences are expanded from the series (<seriesId>_<start>); Graph lists each occurrence, so
        // they are rows of their own, each pointing at its series.
        assertThat(before.get(1).get("recurringEventId").stringValue()).isEqualTo(seriesId);

        // This event: the second occurrence moves an hour later and gets its own title.
        String movedStart = java.time.Instant.parse(
                        before.get(1).get("startTime").stringValue())
                .plusSeconds(3600)
                .toString();
        String movedEnd = java.time.Instant.parse(before.get(1).get("endTime").stringValue())
                .plusSeconds(3600)
                .toString();
        HttpResponse<String> moved = call(
                user,
                "PUT",
                "/api/v1/calendar/events/" + second + "?scope=this",
                "{\"title\":\"Moved one\",\"startTime\":\"" + movedStart + "\",\"endTime\":\"" + movedEnd + "\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        JsonNode override = JSON.readTree(moved.body());
        String overrideId = override.get("id").stringValue();
        assertThat(UUID.fromString(overrideId)).isNotNull();
        assertThat(override.get("recurringEventId").stringValue()).isEqualTo(seriesId);
        assertThat(override.get("syncStatus").stringValue()).isEqualTo("PENDING");
        assertThat(titles(user)).containsExactly("Weekly", "Moved one", "Weekly", "Weekly");

        // This event: the third occurrence is cancelled.
        assertThat(call(user, "DELETE", "/api/v1/calendar/events/" + third + "?scope=this", null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(titles(user)).containsExactly("Weekly", "Moved one", "Weekly");

        awaitSynced(user, overrideId);
        syncNow(user, calendar);
        assertThat(titles(user))
                .as("after the provider's echo: no duplicate, no resurrection")
                .containsExactly("Weekly", "Moved one", "Weekly");
        assertThat(events(user).get(1).get("startTime").stringValue()).isEqualTo(movedStart);

        // All events: renamed through one of its occurrences; the override keeps its own title.
        String first = events(user).getFirst().get("id").stringValue();
        HttpResponse<String> renamed =
                call(user, "PUT", "/api/v1/calendar/events/" + first + "?scope=all", "{\"title\":\"Renamed\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(JSON.readTree(renamed.body()).get("id").stringValue()).isEqualTo(seriesId);
        awaitSynced(user, seriesId);
        syncNow(user, calendar);
        assertThat(titles(user)).containsExactly("Renamed", "Moved one", "Renamed");

        HttpResponse<String> bad = call(user, "PUT", "/api/v1/calendar/events/" + first + "?scope=some", "{}");
        assertThat(bad.statusCode()).isEqualTo(422);
    }

    /** A Google calendar with a weekly series of four (Mondays 09:00 Berlin from 7 Dec 2026), connected. */
    record Connected(String user, UUID connection, String email, String accountId) {}

    static Connected googleSeries() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"GOOGLE","email":"rec-%s@gmail.sandbox.test","displayName":"Rec"}
                """.formatted(shortId()));
        String email = account.get("email").stringValue();
        control("POST", "/control/google/calendars/" + enc(email) + "/events", """
                {"summary":"Weekly","start":{"dateTime":"2026-12-07T09:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-12-07T09:30:00+01:00","timeZone":"Europe/Berlin"},
                 "recurrence":["RRULE:FREQ=WEEKLY;COUNT=4"]}
                """);
        String user = "rg-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.GOOGLE, email, email, account);
        awaitSubscription(connection);
        return new Connected(user, connection, email, account.get("id").stringValue());
    }

    /** The same series at Outlook. */
    static Connected outlookSeries() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"MICROSOFT","email":"rec-%s@outlook.sandbox.test","displayName":"Rec"}
                """.formatted(shortId()));
        String accountId = account.get("id").stringValue();
        String email = account.get("email").stringValue();
        String calendarId = control("GET", "/control/microsoft/accounts/" + accountId + "/calendars", null)
                .get(0)
                .get("id")
                .stringValue();
        control("POST", "/control/microsoft/accounts/" + accountId + "/events", """
                {"subject":"Weekly","start":{"dateTime":"2026-12-07T09:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"2026-12-07T09:30:00","timeZone":"W. Europe Standard Time"},
                 "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},
                               "range":{"type":"numbered","startDate":"2026-12-07","numberOfOccurrences":4}}}
                """);
        String user = "rm-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.MICROSOFT, calendarId, email, account);
        awaitSubscription(connection);
        return new Connected(user, connection, email, accountId);
    }

    /** "This and following" from the third occurrence: a new series; then the last one deleted with its following. */
    static void splitTheSeries(String user, UUID calendar) throws Exception {
        await().atMost(WAIT).until(() -> titles(user).size() == 4);
        List<JsonNode> before = events(user);
        String seriesId = before.getFirst().get("recurringEventId").stringValue();
        String third = before.get(2).get("id").stringValue();
        HttpResponse<String> split =
                call(user, "PUT", "/api/v1/calendar/events/" + third + "?scope=following", "{\"title\":\"New era\"}");
        assertThat(split.statusCode()).as(split.body()).isEqualTo(200);
        JsonNode fresh = JSON.readTree(split.body());
        String freshId = fresh.get("id").stringValue();
        assertThat(freshId).isNotEqualTo(seriesId);
        assertThat(fresh.get("recurrenceRule").stringValue()).contains("COUNT=2");
        assertThat(fresh.get("startTime").stringValue())
                .isEqualTo(before.get(2).get("startTime").stringValue());
        assertThat(titles(user)).containsExactly("Weekly", "Weekly", "New era", "New era");

        awaitSynced(user, seriesId);
        awaitSynced(user, freshId);
        syncNow(user, calendar);
        assertThat(titles(user))
                .as("after the echo of both provider operations")
                .containsExactly("Weekly", "Weekly", "New era", "New era");

        String last = events(user).get(3).get("id").stringValue();
        assertThat(call(user, "DELETE", "/api/v1/calendar/events/" + last + "?scope=following", null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(titles(user)).containsExactly("Weekly", "Weekly", "New era");
        awaitSynced(user, freshId);
        syncNow(user, calendar);
        assertThat(titles(user)).containsExactly("Weekly", "Weekly", "New era");
    }

    @Test
    void thisAndAllOnAGoogleSeries() throws Exception {
        Connected c = googleSeries();
        String user = c.user();
        String email = c.email();

        editTheSeries(user, c.connection());

        List<String> atGoogle = new ArrayList<>();
        for (JsonNode e : control("GET", "/control/google/calendars/" + enc(email) + "/events", null)) {
            atGoogle.add(e.path("id").asString("") + " " + e.path("status").asString("") + " "
                    + e.path("summary").asString(""));
        }
        assertThat(atGoogle).anyMatch(s -> s.contains("_20261214T080000Z confirmed Moved one"));
        assertThat(atGoogle).anyMatch(s -> s.contains("_20261221T080000Z cancelled"));
        assertThat(atGoogle).anyMatch(s -> s.endsWith("confirmed Renamed"));
    }

    @Test
    void thisAndAllOnAnOutlookSeries() throws Exception {
        Connected c = outlookSeries();
        String user = c.user();
        String accountId = c.accountId();
        UUID connection = c.connection();

        editTheSeries(user, connection);

        assertThat(control("GET", "/control/microsoft/accounts/" + accountId + "/events", null)
                        .toString())
                .as("the series master at Outlook")
                .contains("\"subject\":\"Renamed\"");
        String occurrence = RunningSystem.jdbc.queryForObject(
                "SELECT provider_event_id FROM calendar_events WHERE connection_id = ? AND title = 'Moved one'",
                String.class,
                connection);
        JsonNode exception = control("GET", "/control/microsoft/events/" + enc(occurrence), null);
        assertThat(exception.get("subject").stringValue()).isEqualTo("Moved one");
        assertThat(exception.get("type").stringValue()).isEqualTo("exception");
    }

    @Test
    void thisAndFollowingOnAGoogleSeries() throws Exception {
        Connected c = googleSeries();
        // The second of the two provider operations fails once after the first succeeded: its retry heals the split,
        // and the new series still exists once (its id is ours, so a repeated insert finds it).
        control("POST", "/control/faults", """
                {"id":null,"provider":"GOOGLE","method":"POST","pathPattern":".*/calendars/[^/]+/events$",
                 "kind":"ERROR","status":503,"latencyMs":0,"retryAfterSeconds":0,"times":1}
                """);
        splitTheSeries(c.user(), c.connection());
        assertThat(control("GET", "/control/faults", null).toString())
                .as("the fault fired (and is used up)")
                .doesNotContain("events$");
        List<String> atGoogle = new ArrayList<>();
        for (JsonNode e : control("GET", "/control/google/calendars/" + enc(c.email()) + "/events", null)) {
            if (!"cancelled".equals(e.path("status").asString(""))) {
                atGoogle.add(e.path("summary").asString("") + " "
                        + e.path("recurrence").toString());
            }
        }
        assertThat(atGoogle)
                .containsExactlyInAnyOrder(
                        "Weekly [\"RRULE:FREQ=WEEKLY;UNTIL=20261221T075959Z\"]",
                        "New era [\"RRULE:FREQ=WEEKLY;UNTIL=20261228T075959Z\"]");
    }

    @Test
    void thisAndFollowingOnAnOutlookSeries() throws Exception {
        Connected c = outlookSeries();
        splitTheSeries(c.user(), c.connection());
        String atOutlook = control("GET", "/control/microsoft/accounts/" + c.accountId() + "/events", null)
                .toString();
        assertThat(atOutlook).contains("\"subject\":\"Weekly\"").contains("\"subject\":\"New era\"");
    }
}
