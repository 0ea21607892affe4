package io.calsync.e2e;

import static io.calsync.e2e.RunningSystem.JSON;
import static io.calsync.e2e.RunningSystem.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.testsupport.Radicale;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A calendar on a real Radicale kept in step with ours in both directions through the service jars (gateway,
 * oauth-service, sync-service, the poller): discovery and select through the public API, the initial sync of a series
 * with an override and an all-day event, changes made at the server arriving by the poller's schedule
 * ({@code CALDAV_POLL_INTERVAL}, 5 s here) and at once by {@code POST /calendars/{id}/sync}, and every write of the
 * API reaching the server: create, edit, one occurrence moved, delete. The password appears in no answer.
 */
class CalDavIT {

    static final Duration WAIT = RunningSystem.WAIT;
    static Radicale radicale;

    static final String SERIES = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Phone//Calendar 1.0//EN\r
            BEGIN:VEVENT\r
            UID:weekly@phone\r
            DTSTAMP:20261101T090000Z\r
            DTSTART:20261207T090000Z\r
            DTEND:20261207T093000Z\r
            RRULE:FREQ=WEEKLY;COUNT=4\r
            SUMMARY:Weekly sync\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:weekly@phone\r
            DTSTAMP:20261101T090000Z\r
            RECURRENCE-ID:20261214T090000Z\r
            DTSTART:20261214T100000Z\r
            DTEND:20261214T103000Z\r
            SUMMARY:Weekly sync (later)\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    static final String ALL_DAY = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Phone//Calendar 1.0//EN\r
            BEGIN:VEVENT\r
            UID:holiday@phone\r
            DTSTAMP:20261101T090000Z\r
            DTSTART;VALUE=DATE:20261224\r
            DTEND;VALUE=DATE:20261226\r
            SUMMARY:Holidays\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    @BeforeAll
    static void theSystem() {
        radicale = Radicale.shared();
        // Radicale is on loopback; CalDAV calendars are due every 5 s and the poller looks for due ones every 2 s.
        RunningSystem.startAll(
                Map.of(
                        "ICS_ALLOW_PRIVATE_NETWORKS", "true",
                        "CALDAV_POLL_INTERVAL", "5s",
                        "CALSYNC_POLLER_ICSREFRESH_EVERY", "2s",
                        "CALSYNC_POLLER_ICSREFRESH_LOCKATLEASTFOR", "1500ms"),
                true);
    }

    @AfterAll
    static void stop() {
        RunningSystem.stopAll();
    }

    static List<String> titles(String user) throws Exception {
        HttpResponse<String> r =
                call(user, "GET", "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body())
                .get("events")
                .forEach(e -> out.add(e.get("title").stringValue()));
        return out;
    }

    static JsonNode event(String user, String title) throws Exception {
        HttpResponse<String> r =
                call(user, "GET", "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z", null);
        for (JsonNode e : JSON.readTree(r.body()).get("events")) {
            if (title.equals(e.get("title").stringValue())) {
                return e;
            }
        }
        throw new AssertionError(title + " not found in " + r.body());
    }

    static void awaitSynced(String user, String id) {
        await().atMost(WAIT)
                .until(() -> "SYNCED"
                        .equals(JSON.readTree(call(user, "GET", "/api/v1/calendar/events/" + id, null)
                                        .body())
                                .get("syncStatus")
                                .stringValue()));
    }

    @Test
    void aRadicaleCalendarStaysInStepBothWays() throws Exception {
        Radicale.Account account = radicale.newAccount();
        String work = radicale.makeCalendar(account, "work", "Work", "#1BADF8FF");
        radicale.makeCalendar(account, "home", "Home", null);
        radicale.put(account, work + "weekly.ics", SERIES);
        radicale.put(account, work + "holiday.ics", ALL_DAY);
        String user = "caldav-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        // Wrong password: 422 CALDAV_AUTH_FAILED as problem+json.
        HttpResponse<String> refused = call(
                user,
                "POST",
                "/api/v1/calendar/caldav/discover",
                JSON.writeValueAsString(
                        Map.of("serverUrl", radicale.url(), "username", account.username(), "password", "nope")));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(refused.body()).get("code").stringValue()).isEqualTo("CALDAV_AUTH_FAILED");

        HttpResponse<String> discovered = call(
                user,
                "POST",
                "/api/v1/calendar/caldav/discover",
                JSON.writeValueAsString(Map.of(
                        "serverUrl", radicale.url(), "username", account.username(), "password", account.password())));
        assertThat(discovered.statusCode()).as(discovered.body()).isEqualTo(201);
        assertThat(discovered.body()).doesNotContain(account.password());
        JsonNode session = JSON.readTree(discovered.body());
        assertThat(session.get("provider").stringValue()).isEqualTo("caldav");
        assertThat(session.get("accountEmail").stringValue()).isEqualTo(account.username());
        List<String> offered = new ArrayList<>();
        session.get("calendars").forEach(c -> offered.add(c.get("name").stringValue()));
        assertThat(offered).containsExactlyInAnyOrder("Work", "Home");
        String sessionId = session.get("sessionId").stringValue();
        HttpResponse<String> again = call(user, "GET", "/api/v1/calendar/oauth/session/" + sessionId, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).doesNotContain(account.password()).contains(work);

        HttpResponse<String> selected = call(
                user,
                "POST",
                "/api/v1/calendar/caldav/select",
                JSON.writeValueAsString(Map.of("sessionId", sessionId, "calendarIds", List.of(work))));
        assertThat(selected.statusCode()).as(selected.body()).isEqualTo(201);
        JsonNode calendar = JSON.readTree(selected.body()).get("calendars").get(0);
        assertThat(calendar.get("provider").stringValue()).isEqualTo("CALDAV");
        String calendarId = calendar.get("id").stringValue();
        String stored = RunningSystem.jdbc.queryForObject(
                "SELECT access_token FROM calendar_connections WHERE id = ?::uuid", String.class, calendarId);
        assertThat(stored).isNotBlank().doesNotContain(account.password()); // encrypted at rest

        // The initial sync: the series expanded with its override, and the all-day event.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(titles(user))
                        .containsExactlyInAnyOrder(
                                "Weekly sync", "Weekly sync (later)", "Weekly sync", "Weekly sync", "Holidays"));
        assertThat(call(user, "GET", "/api/v1/calendar/calendars", null).body()).doesNotContain(account.password());

        // A change made at the server arrives by the poller's schedule, without anyone asking.
        radicale.put(account, work + "holiday.ics", ALL_DAY.replace("SUMMARY:Holidays", "SUMMARY:Winter break"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(titles(user)).contains("Winter break"));

        // ... and one asked for arrives at once.
        radicale.put(
                account,
                work + "lunch.ics",
                ALL_DAY.replace("holiday@phone", "lunch@phone")
                        .replace("SUMMARY:Holidays", "SUMMARY:Team lunch")
                        .replace("20261224", "20261218")
                        .replace("20261226", "20261219"));
        assertThat(call(user, "POST", "/api/v1/calendar/calendars/" + calendarId + "/sync", null)
                        .statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() -> assertThat(titles(user)).contains("Team lunch"));

        // Writes of the API reach the server: create ...
        HttpResponse<String> created = call(
                user,
                "POST",
                "/api/v1/calendar/events",
                JSON.writeValueAsString(Map.of(
                        "calendarId", calendarId,
                        "title", "Planning",
                        "startTime", "2026-12-16T13:00:00Z",
                        "endTime", "2026-12-16T14:00:00Z",
                        "timezone", "Europe/Berlin")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String planning = JSON.readTree(created.body()).get("id").stringValue();
        awaitSynced(user, planning);
        String planningUrl = work + planning + ".ics";
        assertThat(radicale.get(account, planningUrl)).contains("SUMMARY:Planning", "TZID=Europe/Berlin");

        // ... edit ...
        HttpResponse<String> edited =
                call(user, "PUT", "/api/v1/calendar/events/" + planning, "{\"title\":\"Planning (room 4)\"}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        awaitSynced(user, planning);
        assertThat(radicale.get(account, planningUrl)).contains("SUMMARY:Planning (room 4)");

        // ... one occurrence of the series moved ...
        String third = null;
        for (JsonNode e : JSON.readTree(call(
                                user,
                                "GET",
                                "/api/v1/calendar/events?start=2026-12-21T00:00:00Z&end=2026-12-22T00:00:00Z",
                                null)
                        .body())
                .get("events")) {
            if ("Weekly sync".equals(e.get("title").stringValue())) {
                third = e.get("id").stringValue();
            }
        }
        assertThat(third).isNotNull();
        HttpResponse<String> moved = call(
                user,
                "PUT",
                "/api/v1/calendar/events/" + third + "?scope=this",
                "{\"title\":\"Weekly sync (moved)\",\"startTime\":\"2026-12-21T15:00:00Z\",\"endTime\":\"2026-12-21T15:30:00Z\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        String override = JSON.readTree(moved.body()).get("id").stringValue();
        awaitSynced(user, override);
        assertThat(radicale.get(account, work + "weekly.ics"))
                .contains(
                        "RECURRENCE-ID:20261221T090000Z", "SUMMARY:Weekly sync (moved)", "SUMMARY:Weekly sync (later)");
        assertThat(radicale.members(account, work)).hasSize(4); // weekly, holiday, lunch, planning: no duplicate

        // ... and a delete.
        assertThat(call(user, "DELETE", "/api/v1/calendar/events/" + planning, null)
                        .statusCode())
                .isEqualTo(204);
        await().atMost(WAIT).until(() -> radicale.get(account, planningUrl) == null);

        // After the echoes, ours and the server's agree.
        assertThat(call(user, "POST", "/api/v1/calendar/calendars/" + calendarId + "/sync", null)
                        .statusCode())
                .isEqualTo(202);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(titles(user))
                        .containsExactlyInAnyOrder(
                                "Weekly sync",
                                "Weekly sync (later)",
                                "Weekly sync",
                                "Weekly sync (moved)",
                                "Winter break",
                                "Team lunch"));
    }

    @Test
    void aPasswordTheServerNoLongerTakesDisconnectsUntilTheUserConnectsAgain() throws Exception {
        Radicale.Account account = radicale.newAccount();
        String home = radicale.makeCalendar(account, "home", "Home", null);
        radicale.put(account, home + "holiday.ics", ALL_DAY);
        String user = "caldav-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String calendarId = connect(user, account, home);
        await().atMost(WAIT).untilAsserted(() -> assertThat(titles(user)).contains("Holidays"));

        Radicale.Account changed = radicale.changePassword(account);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode c = JSON.readTree(call(user, "GET", "/api/v1/calendar/calendars/" + calendarId, null)
                    .body());
            assertThat(c.get("isConnected").asBoolean()).isFalse();
            assertThat(c.get("lastSyncError").stringValue()).contains("password");
        });

        // Connecting again with the new password brings the same calendar back, and it syncs.
        assertThat(connect(user, changed, home)).isEqualTo(calendarId);
        radicale.put(changed, home + "holiday.ics", ALL_DAY.replace("SUMMARY:Holidays", "SUMMARY:Holidays 2"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode c = JSON.readTree(call(user, "GET", "/api/v1/calendar/calendars/" + calendarId, null)
                    .body());
            assertThat(c.get("isConnected").asBoolean()).isTrue();
            assertThat(titles(user)).contains("Holidays 2");
        });
    }

    /** Discover and select one calendar through the API; answers the calendar's id. */
    static String connect(String user, Radicale.Account account, String calendarUrl) throws Exception {
        HttpResponse<String> discovered = call(
                user,
                "POST",
                "/api/v1/calendar/caldav/discover",
                JSON.writeValueAsString(Map.of(
                        "serverUrl", calendarUrl, "username", account.username(), "password", account.password())));
        assertThat(discovered.statusCode()).as(discovered.body()).isEqualTo(201);
        String sessionId = JSON.readTree(discovered.body()).get("sessionId").stringValue();
        HttpResponse<String> selected = call(
                user,
                "POST",
                "/api/v1/calendar/caldav/select",
                JSON.writeValueAsString(Map.of("sessionId", sessionId, "calendarIds", List.of(calendarUrl))));
        assertThat(selected.statusCode()).as(selected.body()).isEqualTo(201);
        return JSON.readTree(selected.body()).get("calendars").get(0).get("id").stringValue();
    }
}
