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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Answering an invitation through the API (contract: "Answering invitations"), written to the sandbox's Google (the
 * account's attendee responseStatus) and Outlook ({@code accept}/{@code decline}/{@code tentativelyAccept} with the
 * comment); an event the account is not invited to is 422 NOT_AN_ATTENDEE.
 */
class RsvpIT {

    static final java.time.Duration WAIT = RunningSystem.WAIT;

    @BeforeAll
    static void theSystem() {
        RunningSystem.startAll();
    }

    @AfterAll
    static void stop() {
        RunningSystem.stopAll();
    }

    static JsonNode only(String user, String title) throws Exception {
        await().atMost(WAIT).until(() -> RunningSystem.titles(user).contains(title));
        HttpResponse<String> r =
                call(user, "GET", "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2027-01-01T00:00:00Z", null);
        for (JsonNode e : JSON.readTree(r.body()).get("events")) {
            if (title.equals(e.get("title").stringValue())) {
                return e;
            }
        }
        throw new AssertionError(title + " not found");
    }

    static String ownAnswer(JsonNode event, String email) {
        for (JsonNode a : event.get("attendees")) {
            if (email.equalsIgnoreCase(a.get("email").stringValue())) {
                return a.get("responseStatus").stringValue();
            }
        }
        return null;
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
    void aGoogleInvitationIsAcceptedAtGoogle() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"GOOGLE","email":"rsvp-%s@gmail.sandbox.test","displayName":"Rsvp"}
                """.formatted(shortId()));
        String email = account.get("email").stringValue();
        String eventId = control("POST", "/control/google/calendars/" + enc(email) + "/events", """
                        {"summary":"Invited","start":{"dateTime":"2026-12-10T10:00:00Z"},
                         "end":{"dateTime":"2026-12-10T11:00:00Z"},
                         "organizer":{"email":"boss@example.com"},
                         "attendees":[{"email":"boss@example.com","organizer":true,"responseStatus":"accepted"},
                                      {"email":"%s","responseStatus":"needsAction"}]}
                        """.formatted(email))
                .get("id")
                .stringValue();
        control("POST", "/control/google/calendars/" + enc(email) + "/events", """
                {"summary":"Not mine","start":{"dateTime":"2026-12-11T10:00:00Z"},
                 "end":{"dateTime":"2026-12-11T11:00:00Z"}}
                """);
        String user = "rsvp-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.GOOGLE, email, email, account);
        awaitSubscription(connection);

        JsonNode invited = only(user, "Invited");
        assertThat(ownAnswer(invited, email)).isEqualTo("NEEDS_ACTION");
        String id = invited.get("id").stringValue();
        HttpResponse<String> r =
                call(user, "POST", "/api/v1/calendar/events/" + id + "/rsvp", "{\"responseStatus\":\"ACCEPTED\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ownAnswer(JSON.readTree(r.body()), email)).isEqualTo("ACCEPTED");
        awaitSynced(user, id);
        JsonNode atGoogle =
                control("GET", "/control/google/calendars/" + enc(email) + "/events", null)
                        .findValues("attendees")
                        .stream()
                        .filter(a -> a.toString().contains(email))
                        .findFirst()
                        .orElseThrow();
        assertThat(atGoogle.toString())
                .contains("\"responseStatus\":\"accepted\"")
                .doesNotContain("needsAction");

        String notMine = only(user, "Not mine").get("id").stringValue();
        HttpResponse<String> refused =
                call(user, "POST", "/api/v1/calendar/events/" + notMine + "/rsvp", "{\"responseStatus\":\"DECLINED\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).get("code").stringValue()).isEqualTo("NOT_AN_ATTENDEE");
        HttpResponse<String> bad =
                call(user, "POST", "/api/v1/calendar/events/" + id + "/rsvp", "{\"responseStatus\":\"MAYBE\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(eventId).isNotBlank();
    }

    @Test
    void anOutlookInvitationIsDeclinedWithAComment() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"MICROSOFT","email":"rsvp-%s@outlook.sandbox.test","displayName":"Rsvp"}
                """.formatted(shortId()));
        String accountId = account.get("id").stringValue();
        String email = account.get("email").stringValue();
        String calendarId = control("GET", "/control/microsoft/accounts/" + accountId + "/calendars", null)
                .get(0)
                .get("id")
                .stringValue();
        String eventId = control("POST", "/control/microsoft/accounts/" + accountId + "/events", """
                        {"subject":"Offsite planning","start":{"dateTime":"2026-12-12T10:00:00","timeZone":"UTC"},
                         "end":{"dateTime":"2026-12-12T11:00:00","timeZone":"UTC"},
                         "attendees":[{"emailAddress":{"address":"%s","name":"Me"},"type":"required"}]}
                        """.formatted(email))
                .get("id")
                .stringValue();
        control("POST", "/control/microsoft/events/" + enc(eventId) + "/invitation", """
                {"name":"Boss","email":"boss@example.com"}
                """);
        String user = "rsvpm-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.MICROSOFT, calendarId, email, account);
        awaitSubscription(connection);

        String id = only(user, "Offsite planning").get("id").stringValue();
        HttpResponse<String> r = call(
                user,
                "POST",
                "/api/v1/calendar/events/" + id + "/rsvp",
                "{\"responseStatus\":\"DECLINED\",\"comment\":\"On leave that week\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ownAnswer(JSON.readTree(r.body()), email)).isEqualTo("DECLINED");
        awaitSynced(user, id);
        JsonNode atOutlook = control("GET", "/control/microsoft/events/" + enc(eventId), null);
        assertThat(atOutlook.get("responseStatus").get("response").stringValue())
                .isEqualTo("declined");
        assertThat(atOutlook.get("isOrganizer").asBoolean()).isFalse();
    }
}
