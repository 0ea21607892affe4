package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /freebusy} against hand-computed intervals (DST days, all-day events in their zones, a series with an
 * override, a cancelled occurrence and an EXDATE, free and tentative events, overlapping calendars), and
 * {@code GET /calendars/{id}/sync-state} for every mode, on a real PostgreSQL.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "spring.profiles.active=dev"
        })
class FreeBusyAndSyncStateIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    static final JsonMapper JSON = ApiClient.JSON;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    record Reply(int status, JsonNode body, String raw) {}

    Reply call(String method, String path, String token, String body) throws Exception {
        ApiClient.Reply r = new ApiClient("http://127.0.0.1:" + port, jdbc).call(method, path, token, body);
        return new Reply(r.status(), r.body(), r.raw());
    }

    record User(UUID id, String token) {}

    User user() throws Exception {
        ApiClient.User u = new ApiClient("http://127.0.0.1:" + port, jdbc).user();
        return new User(u.id(), u.token());
    }

    UUID calendar(User u, String provider) {
        return new ApiClient("http://127.0.0.1:" + port, jdbc)
                .calendar(new ApiClient.User(u.id(), u.token()), provider);
    }

    /** A timed event (or series master, with {@code recurrence} lines). */
    UUID timed(
            UUID calendar, String start, String end, String zone, String status, String availability, String... rec) {
        return jdbc.queryForObject(
                """
                INSERT INTO calendar_events (connection_id, provider_event_id, title, start_time, end_time, timezone,
                  status, availability, recurrence, recurrence_rule)
                VALUES (?, ?, 'e', ?::timestamptz, ?::timestamptz, ?, ?::event_status, ?, ?::text[], ?) RETURNING id
                """,
                UUID.class,
                calendar,
                "p-" + UUID.randomUUID(),
                start,
                end,
                zone,
                status,
                availability,
                rec.length == 0 ? null : "{" + String.join(",", quoted(rec)) + "}",
                rec.length == 0 ? null : rec[0].substring("RRULE:".length()));
    }

    private static List<String> quoted(String[] lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add("\"" + l + "\"");
        }
        return out;
    }

    /** An all-day event on its dates (end exclusive), stored at UTC midnights as the engine stores them. */
    void allDay(UUID calendar, String startDate, String endDate, String zone) {
        jdbc.update(
                """
                INSERT INTO calendar_events (connection_id, provider_event_id, title, start_time, end_time, is_all_day,
                  start_date, end_date, timezone)
                VALUES (?, ?, 'day', ?, ?, true, ?, ?, ?)
                """,
                calendar,
                "p-" + UUID.randomUUID(),
                Timestamp.from(LocalDate.parse(startDate)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant()),
                Timestamp.from(LocalDate.parse(endDate)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant()),
                LocalDate.parse(startDate),
                LocalDate.parse(endDate),
                zone);
    }

    /** An instance row of a series: an override at new times, or a cancelled occurrence. */
    void instance(UUID calendar, UUID master, String originalStart, String start, String end, String status) {
        jdbc.update("""
                INSERT INTO calendar_events (connection_id, provider_event_id, title, start_time, end_time, status,
                  recurring_event_id, original_start_time)
                VALUES (?, ?, 'i', ?::timestamptz, ?::timestamptz, ?::event_status, ?, ?::timestamptz)
                """, calendar, "p-" + UUID.randomUUID(), start, end, status, master, originalStart);
    }

    static List<String> busy(JsonNode calendar) {
        List<String> out = new ArrayList<>();
        calendar.get("busy")
                .forEach(b -> out.add(b.get("start").asString() + "/"
                        + b.get("end").asString() + " " + b.get("status").asString()));
        return out;
    }

    static List<String> intervals(JsonNode merged) {
        List<String> out = new ArrayList<>();
        merged.forEach(
                b -> out.add(b.get("start").asString() + "/" + b.get("end").asString()));
        return out;
    }

    @Test
    void busyIntervalsMatchTheHandComputedOnesAcrossDstZonesSeriesAndCalendars() throws Exception {
        User u = user();
        UUID work = calendar(u, "GOOGLE");
        UUID home = calendar(u, "ICS");
        // Weekly on Mondays at 09:00 Berlin: 08:00Z in winter, 07:00Z from 30 March (EU summer time from 29 March).
        UUID standUp = timed(
                work,
                "2026-03-23T08:00:00Z",
                "2026-03-23T08:30:00Z",
                "Europe/Berlin",
                "CONFIRMED",
                null,
                "RRULE:FREQ=WEEKLY;COUNT=5",
                "EXDATE;TZID=Europe/Berlin:20260413T090000");
        // 6 April moved to 14:00 Berlin (12:00Z); 30 March cancelled; 13 April an EXDATE; 20 April is outside.
        instance(work, standUp, "2026-04-06T07:00:00Z", "2026-04-06T12:00:00Z", "2026-04-06T12:30:00Z", "CONFIRMED");
        instance(work, standUp, "2026-03-30T07:00:00Z", "2026-03-30T07:00:00Z", "2026-03-30T07:30:00Z", "CANCELLED");
        timed(work, "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", "UTC", "CONFIRMED", null);
        timed(work, "2026-03-10T10:30:00Z", "2026-03-10T12:00:00Z", "UTC", "CONFIRMED", "OOF");
        timed(work, "2026-03-11T10:00:00Z", "2026-03-11T11:00:00Z", "UTC", "CONFIRMED", "FREE");
        timed(work, "2026-03-12T10:00:00Z", "2026-03-12T11:00:00Z", "UTC", "TENTATIVE", null);
        timed(work, "2026-03-13T10:00:00Z", "2026-03-13T11:00:00Z", "UTC", "CANCELLED", null);
        timed(work, "2026-03-14T10:00:00Z", "2026-03-14T11:00:00Z", "UTC", "CONFIRMED", "TENTATIVE");
        // 8 March is New York's spring-forward day: midnight to midnight is 23 hours.
        allDay(home, "2026-03-08", "2026-03-09", "America/New_York");
        // Auckland is 13 hours ahead: its 2 April starts on 1 April in UTC.
        allDay(home, "2026-04-02", "2026-04-03", "Pacific/Auckland");
        // Overlaps the work calendar's 10:00-12:00 on 10 March.
        timed(home, "2026-03-10T11:30:00Z", "2026-03-10T13:00:00Z", "UTC", "CONFIRMED", null);
        // Runs over the end of the window: clipped.
        timed(home, "2026-04-19T23:00:00Z", "2026-04-20T02:00:00Z", "UTC", "CONFIRMED", null);

        Reply r = call(
                "POST",
                "/api/v1/calendar/freebusy",
                u.token(),
                "{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-04-20T00:00:00Z\"}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode calendars = r.body().get("calendars");
        assertThat(calendars).hasSize(2);
        assertThat(calendars.get(0).get("calendarId").asString()).isEqualTo(work.toString());
        assertThat(calendars.get(0).get("lastSyncedAt").asString()).isEqualTo("2026-03-01T08:00:00Z");
        assertThat(busy(calendars.get(0)))
                .containsExactly(
                        "2026-03-10T10:00:00Z/2026-03-10T12:00:00Z BUSY",
                        "2026-03-12T10:00:00Z/2026-03-12T11:00:00Z TENTATIVE",
                        "2026-03-14T10:00:00Z/2026-03-14T11:00:00Z TENTATIVE",
                        "2026-03-23T08:00:00Z/2026-03-23T08:30:00Z BUSY",
                        "2026-04-06T12:00:00Z/2026-04-06T12:30:00Z BUSY");
        assertThat(busy(calendars.get(1)))
                .containsExactly(
                        "2026-03-08T05:00:00Z/2026-03-09T04:00:00Z BUSY",
                        "2026-03-10T11:30:00Z/2026-03-10T13:00:00Z BUSY",
                        "2026-04-01T11:00:00Z/2026-04-02T11:00:00Z BUSY",
                        "2026-04-19T23:00:00Z/2026-04-20T00:00:00Z BUSY");
        assertThat(intervals(r.body().get("merged")))
                .containsExactly(
                        "2026-03-08T05:00:00Z/2026-03-09T04:00:00Z",
                        "2026-03-10T10:00:00Z/2026-03-10T13:00:00Z",
                        "2026-03-12T10:00:00Z/2026-03-12T11:00:00Z",
                        "2026-03-14T10:00:00Z/2026-03-14T11:00:00Z",
                        "2026-03-23T08:00:00Z/2026-03-23T08:30:00Z",
                        "2026-04-01T11:00:00Z/2026-04-02T11:00:00Z",
                        "2026-04-06T12:00:00Z/2026-04-06T12:30:00Z",
                        "2026-04-19T23:00:00Z/2026-04-20T00:00:00Z");

        // One calendar asked for: only its intervals, and the merged answer is its own.
        Reply one = call(
                "POST",
                "/api/v1/calendar/freebusy",
                u.token(),
                "{\"start\":\"2026-03-30T00:00:00Z\",\"end\":\"2026-04-10T00:00:00Z\",\"calendarIds\":[\"" + work
                        + "\"]}");
        assertThat(one.status()).as(one.raw()).isEqualTo(200);
        assertThat(one.body().get("calendars")).hasSize(1);
        assertThat(intervals(one.body().get("merged"))).containsExactly("2026-04-06T12:00:00Z/2026-04-06T12:30:00Z");
    }

    @Test
    void anotherUsersCalendarIs404BeforeAnyWindowProblemAndBadWindowsAre422() throws Exception {
        User ada = user();
        User eve = user();
        UUID adas = calendar(ada, "GOOGLE");
        String window = "\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-02T00:00:00Z\"";

        Reply foreign = call(
                "POST",
                "/api/v1/calendar/freebusy",
                eve.token(),
                "{" + window + ",\"calendarIds\":[\"" + adas + "\"]}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().get("code").asString()).isEqualTo("NOT_FOUND");
        Reply foreignAndTooLong = call(
                "POST",
                "/api/v1/calendar/freebusy",
                eve.token(),
                "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-06-01T00:00:00Z\",\"calendarIds\":[\"" + adas
                        + "\"]}");
        assertThat(foreignAndTooLong.status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/calendar/freebusy", eve.token(), "{" + window + ",\"calendarIds\":[\"x\"]}")
                        .status())
                .isEqualTo(404);

        Reply tooLong = call(
                "POST",
                "/api/v1/calendar/freebusy",
                ada.token(),
                "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-03-05T00:00:00Z\"}");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.body().get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(tooLong.body().get("errors").get(0).get("field").asString()).isEqualTo("end");
        assertThat(call(
                                "POST",
                                "/api/v1/calendar/freebusy",
                                ada.token(),
                                "{\"start\":\"2026-03-02T00:00:00Z\",\"end\":\"2026-03-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(422);
        assertThat(call("POST", "/api/v1/calendar/freebusy", ada.token(), "{\"start\":\"soon\"}")
                        .body()
                        .get("errors"))
                .hasSize(2);
        // Exactly 62 days is allowed; an empty user answers empty lists.
        Reply longest = call(
                "POST",
                "/api/v1/calendar/freebusy",
                eve.token(),
                "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-03-04T00:00:00Z\"}");
        assertThat(longest.status()).as(longest.raw()).isEqualTo(200);
        assertThat(longest.body().get("calendars")).isEmpty();
        assertThat(longest.body().get("merged")).isEmpty();
    }

    @Test
    void syncStateTellsPushPollDegradedProgressAndARevokedGrant() throws Exception {
        User u = user();
        UUID google = calendar(u, "GOOGLE");
        UUID outlook = calendar(u, "MICROSOFT");
        UUID feed = calendar(u, "ICS");
        UUID revoked = calendar(u, "GOOGLE");
        jdbc.update(
                "INSERT INTO webhook_subscriptions (connection_id, provider, subscription_id, expires_at, status)"
                        + " VALUES (?, 'GOOGLE', ?, now() + interval '6 days', 'ACTIVE')",
                google,
                "ch-" + UUID.randomUUID());
        jdbc.update(
                "UPDATE calendar_connections SET push_state = 'ACTIVE', initial_sync_state = 'DONE',"
                        + " initial_sync_events = 42, initial_sync_started_at = '2026-03-01T07:59:00Z',"
                        + " initial_sync_finished_at = '2026-03-01T08:00:00Z', last_attempt_at = '2026-03-01T08:00:00Z'"
                        + " WHERE id = ?",
                google);
        jdbc.update(
                "UPDATE calendar_connections SET push_state = 'DEGRADED', push_error = 'push could not be opened: x',"
                        + " initial_sync_state = 'RUNNING', initial_sync_events = 500,"
                        + " initial_sync_started_at = now() WHERE id = ?",
                outlook);
        jdbc.update(
                "UPDATE calendar_connections SET sync_status = 'FAILED', consecutive_failures = 3,"
                        + " last_sync_error = 'ICS_UNREACHABLE: 503' WHERE id = ?",
                feed);
        jdbc.update(
                "UPDATE calendar_connections SET is_connected = false,"
                        + " disconnected_reason = 'the grant was revoked at the provider' WHERE id = ?",
                revoked);

        JsonNode g = call("GET", "/api/v1/calendar/calendars/" + google + "/sync-state", u.token(), null)
                .body();
        assertThat(g.get("calendarId").asString()).isEqualTo(google.toString());
        assertThat(g.get("mode").asString()).isEqualTo("PUSH");
        assertThat(Instant.parse(g.get("subscriptionExpiresAt").asString())).isAfter(Instant.now());
        assertThat(g.get("lastSyncedAt").asString()).isEqualTo("2026-03-01T08:00:00Z");
        assertThat(g.get("lastAttemptAt").asString()).isEqualTo("2026-03-01T08:00:00Z");
        assertThat(g.get("consecutiveFailures").asInt()).isZero();
        assertThat(g.get("lastError").isNull()).isTrue();
        assertThat(g.get("initialSync").get("state").asString()).isEqualTo("DONE");
        assertThat(g.get("initialSync").get("eventsSoFar").asInt()).isEqualTo(42);
        assertThat(g.get("initialSync").get("finishedAt").asString()).isEqualTo("2026-03-01T08:00:00Z");

        JsonNode o = call("GET", "/api/v1/calendar/calendars/" + outlook + "/sync-state", u.token(), null)
                .body();
        assertThat(o.get("mode").asString()).isEqualTo("DEGRADED");
        assertThat(o.get("subscriptionExpiresAt").isNull()).isTrue();
        assertThat(o.get("lastError").asString()).isEqualTo("push could not be opened: x");
        assertThat(o.get("initialSync").get("state").asString()).isEqualTo("RUNNING");
        assertThat(o.get("initialSync").get("eventsSoFar").asInt()).isEqualTo(500);
        assertThat(o.get("initialSync").get("finishedAt").isNull()).isTrue();

        JsonNode f = call("GET", "/api/v1/calendar/calendars/" + feed + "/sync-state", u.token(), null)
                .body();
        assertThat(f.get("mode").asString()).isEqualTo("POLL");
        assertThat(f.get("consecutiveFailures").asInt()).isEqualTo(3);
        assertThat(f.get("lastError").asString()).isEqualTo("ICS_UNREACHABLE: 503");
        assertThat(f.get("initialSync").get("state").asString())
                .as("the engine has run no pass of it yet")
                .isEqualTo("QUEUED");

        JsonNode r = call("GET", "/api/v1/calendar/calendars/" + revoked + "/sync-state", u.token(), null)
                .body();
        assertThat(r.get("lastError").asString()).isEqualTo("the grant was revoked at the provider");
        assertThat(r.get("mode").asString()).isEqualTo("POLL");

        User eve = user();
        Reply foreign = call("GET", "/api/v1/calendar/calendars/" + google + "/sync-state", eve.token(), null);
        assertThat(foreign.status()).isEqualTo(404);
        Reply absent =
                call("GET", "/api/v1/calendar/calendars/" + UUID.randomUUID() + "/sync-state", eve.token(), null);
        assertThat(foreign.body().get("detail"))
                .as("the same answer as for no calendar at all")
                .isEqualTo(absent.body().get("detail"));
        assertThat(foreign.body().get("code").asString()).isEqualTo("NOT_FOUND");
        assertThat(call("GET", "/api/v1/calendar/calendars/nope/sync-state", u.token(), null)
                        .status())
                .isIn(400, 404);
    }
}
