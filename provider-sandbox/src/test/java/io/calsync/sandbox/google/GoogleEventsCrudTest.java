package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.googleError;
import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleApiTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.EventReminder;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** events.insert/get/update/patch/delete through the official client. */
class GoogleEventsCrudTest {

    private static Event timed(String summary, String start, String end, String zone) {
        return new Event()
                .setSummary(summary)
                .setStart(new EventDateTime().setDateTime(new DateTime(start)).setTimeZone(zone))
                .setEnd(new EventDateTime().setDateTime(new DateTime(end)).setTimeZone(zone));
    }

    @Test
    void insertAssignsGoogleFieldsAndGetReturnsTheSame() throws Exception {
        User user = newUser("Ada Lovelace");
        Calendar api = user.client();

        Event created = api.events()
                .insert(
                        "primary",
                        timed("Planning", "2026-04-01T08:30:00Z", "2026-04-01T09:30:00Z", "Europe/Prague")
                                .setDescription("We shall meet.")
                                .setLocation("Room 1")
                                .setAttendees(List.of(
                                        new EventAttendee()
                                                .setEmail("guest@example.test")
                                                .setDisplayName("Guest"),
                                        new EventAttendee()
                                                .setEmail(user.email())
                                                .setResponseStatus("accepted"),
                                        new EventAttendee()
                                                .setEmail("maybe@example.test")
                                                .setOptional(true)
                                                .setResponseStatus("tentative")))
                                .setReminders(new Event.Reminders()
                                        .setUseDefault(false)
                                        .setOverrides(List.of(new EventReminder()
                                                .setMethod("popup")
                                                .setMinutes(10))))
                                .setColorId("5")
                                .setTransparency("transparent")
                                .setVisibility("private"))
                .execute();

        assertThat(created.getId()).matches("[a-v0-9]{26}");
        assertThat(created.getKind()).isEqualTo("calendar#event");
        assertThat(created.getICalUID()).isEqualTo(created.getId() + "@google.com");
        assertThat(created.getEtag()).matches("\"\\d+\"");
        assertThat(created.getStatus()).isEqualTo("confirmed");
        assertThat(created.getSequence()).isZero();
        assertThat(created.getEventType()).isEqualTo("default");
        assertThat(created.getCreator().getEmail()).isEqualTo(user.email());
        assertThat(created.getCreator().getSelf()).isTrue();
        assertThat(created.getOrganizer().getEmail()).isEqualTo(user.email());
        assertThat(created.getOrganizer().getDisplayName()).isEqualTo("Ada Lovelace");
        assertThat(created.getOrganizer().getSelf()).isTrue();
        assertThat(created.getCreated()).isNotNull();
        assertThat(created.getUpdated()).isNotNull();
        String eid = created.getHtmlLink().substring(created.getHtmlLink().indexOf("eid=") + 4);
        assertThat(created.getHtmlLink()).startsWith("https://www.google.com/calendar/event?eid=");
        assertThat(new String(Base64.getUrlDecoder().decode(eid), StandardCharsets.UTF_8))
                .isEqualTo(created.getId() + " " + user.email());
        assertThat(created.getStart().getDateTime().getValue())
                .isEqualTo(new DateTime("2026-04-01T08:30:00Z").getValue());
        assertThat(created.getStart().getTimeZone()).isEqualTo("Europe/Prague");
        assertThat(created.getAttendees())
                .extracting(EventAttendee::getResponseStatus)
                .containsExactly("needsAction", "accepted", "tentative");
        assertThat(created.getAttendees().get(1).getSelf()).isTrue();
        assertThat(created.getAttendees().get(1).getOrganizer()).isTrue();
        assertThat(created.getAttendees().get(2).getOptional()).isTrue();
        assertThat(created.getReminders().getUseDefault()).isFalse();
        assertThat(created.getReminders().getOverrides())
                .singleElement()
                .satisfies(r -> assertThat(r.getMinutes()).isEqualTo(10));
        assertThat(created.getTransparency()).isEqualTo("transparent");
        assertThat(created.getVisibility()).isEqualTo("private");
        assertThat(created.getColorId()).isEqualTo("5");

        Event fetched = api.events().get("primary", created.getId()).execute();
        assertThat(fetched).isEqualTo(created);

        // The raw JSON writes updated with milliseconds in UTC and the time at the calendar's offset.
        var raw = http(
                "GET", "/google/calendar/v3/calendars/primary/events/" + created.getId(), user.accessToken(), null);
        assertThat(raw.body().get("updated").stringValue())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(raw.body().get("start").get("dateTime").stringValue()).isEqualTo("2026-04-01T08:30:00Z");
    }

    @Test
    void defaultsAndAllDayEvents() throws Exception {
        User user = newUser();
        Event allDay = user.client()
                .events()
                .insert(
                        "primary",
                        new Event()
                                .setSummary("Holiday")
                                .setStart(new EventDateTime().setDate(new DateTime("2026-12-24")))
                                .setEnd(new EventDateTime().setDate(new DateTime("2026-12-26"))))
                .execute();

        assertThat(allDay.getStart().getDate().toStringRfc3339()).isEqualTo("2026-12-24");
        assertThat(allDay.getEnd().getDate().toStringRfc3339()).isEqualTo("2026-12-26");
        assertThat(allDay.getStart().getDateTime()).isNull();
        assertThat(allDay.getReminders().getUseDefault()).isTrue();
        assertThat(allDay.getTransparency()).isNull();
    }

    @Test
    void insertValidatesTimesAndIds() throws Exception {
        User user = newUser();
        Calendar api = user.client();

        GoogleJsonResponseException noEnd = googleError(() -> api.events()
                .insert(
                        "primary",
                        new Event().setStart(new EventDateTime().setDateTime(new DateTime("2026-04-01T08:30:00Z"))))
                .execute());
        assertThat(noEnd.getStatusCode()).isEqualTo(400);
        assertThat(reason(noEnd)).isEqualTo("required");
        assertThat(noEnd.getDetails().getMessage()).isEqualTo("Missing end time.");

        GoogleJsonResponseException backwards = googleError(() -> api.events()
                .insert("primary", timed("x", "2026-04-01T10:00:00Z", "2026-04-01T09:00:00Z", null))
                .execute());
        assertThat(backwards.getStatusCode()).isEqualTo(400);
        assertThat(reason(backwards)).isEqualTo("timeRangeEmpty");
        assertThat(backwards.getDetails().getMessage()).isEqualTo("The specified time range is empty.");

        Event withId = api.events()
                .insert(
                        "primary",
                        timed("mine", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null)
                                .setId("calsnc0001abc"))
                .execute();
        assertThat(withId.getId()).isEqualTo("calsnc0001abc");
        GoogleJsonResponseException duplicate = googleError(() -> api.events()
                .insert(
                        "primary",
                        timed("again", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null)
                                .setId("calsnc0001abc"))
                .execute());
        assertThat(duplicate.getStatusCode()).isEqualTo(409);
        assertThat(reason(duplicate)).isEqualTo("duplicate");

        GoogleJsonResponseException badId = googleError(() -> api.events()
                .insert(
                        "primary",
                        timed("bad", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null)
                                .setId("Not_Valid!"))
                .execute());
        assertThat(reason(badId)).isEqualTo("invalid");
    }

    @Test
    void updateReplacesPatchMergesAndBothBumpEtagAndSequenceOnTimeChanges() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        Event e = api.events()
                .insert(
                        "primary",
                        timed("Draft", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", "UTC")
                                .setLocation("Here")
                                .setDescription("keep me?"))
                .execute();

        Event patched = api.events()
                .patch("primary", e.getId(), new Event().setSummary("Patched"))
                .execute();
        assertThat(patched.getSummary()).isEqualTo("Patched");
        assertThat(patched.getLocation()).isEqualTo("Here");
        assertThat(patched.getDescription()).isEqualTo("keep me?");
        assertThat(patched.getEtag()).isNotEqualTo(e.getEtag());
        assertThat(patched.getSequence()).isZero();
        assertThat(patched.getUpdated().getValue())
                .isGreaterThanOrEqualTo(e.getUpdated().getValue());

        Event moved = api.events()
                .patch(
                        "primary",
                        e.getId(),
                        new Event()
                                .setStart(new EventDateTime()
                                        .setDateTime(new DateTime("2026-04-01T10:00:00Z"))
                                        .setTimeZone("UTC"))
                                .setEnd(new EventDateTime()
                                        .setDateTime(new DateTime("2026-04-01T11:00:00Z"))
                                        .setTimeZone("UTC")))
                .execute();
        assertThat(moved.getSequence()).isEqualTo(1);

        Event replaced = api.events()
                .update("primary", e.getId(), timed("Replaced", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z", "UTC"))
                .execute();
        assertThat(replaced.getSummary()).isEqualTo("Replaced");
        assertThat(replaced.getLocation()).isNull();
        assertThat(replaced.getDescription()).isNull();
        assertThat(replaced.getId()).isEqualTo(e.getId());
        assertThat(replaced.getCreated()).isEqualTo(e.getCreated());
        assertThat(replaced.getSequence()).isEqualTo(1);
        assertThat(replaced.getEtag()).isNotEqualTo(moved.getEtag());
    }

    @Test
    void ifMatchWithAStaleEtagGives412() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        Event e = api.events()
                .insert("primary", timed("Versioned", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null))
                .execute();
        String stale = e.getEtag();
        Event current = api.events()
                .patch("primary", e.getId(), new Event().setSummary("v2"))
                .execute();

        Calendar.Events.Patch patch = api.events().patch("primary", e.getId(), new Event().setSummary("v3"));
        patch.setRequestHeaders(new HttpHeaders().setIfMatch(stale));
        GoogleJsonResponseException p = googleError(patch::execute);
        assertThat(p.getStatusCode()).isEqualTo(412);
        assertThat(reason(p)).isEqualTo("conditionNotMet");
        assertThat(p.getDetails().getMessage()).isEqualTo("Precondition Failed");

        Calendar.Events.Update update = api.events()
                .update("primary", e.getId(), timed("v3", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null));
        update.setRequestHeaders(new HttpHeaders().setIfMatch(stale));
        assertThat(googleError(update::execute).getStatusCode()).isEqualTo(412);

        Calendar.Events.Delete delete = api.events().delete("primary", e.getId());
        delete.setRequestHeaders(new HttpHeaders().setIfMatch(stale));
        assertThat(googleError(delete::execute).getStatusCode()).isEqualTo(412);

        Calendar.Events.Patch fresh = api.events().patch("primary", e.getId(), new Event().setSummary("v3"));
        fresh.setRequestHeaders(new HttpHeaders().setIfMatch(current.getEtag()));
        assertThat(fresh.execute().getSummary()).isEqualTo("v3");
    }

    @Test
    void deletedEventsAreGoneWith410ButKeptForSync() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        Event e = api.events()
                .insert("primary", timed("Doomed", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null))
                .execute();

        api.events().delete("primary", e.getId()).execute();

        GoogleJsonResponseException get =
                googleError(() -> api.events().get("primary", e.getId()).execute());
        assertThat(get.getStatusCode()).isEqualTo(410);
        assertThat(reason(get)).isEqualTo("deleted");
        assertThat(get.getDetails().getMessage()).isEqualTo("Resource has been deleted");
        assertThat(googleError(() -> api.events().delete("primary", e.getId()).execute())
                        .getStatusCode())
                .isEqualTo(410);
        assertThat(googleError(() ->
                                api.events().get("primary", "unknownevent1").execute())
                        .getStatusCode())
                .isEqualTo(404);

        var shown = api.events().list("primary").setShowDeleted(true).execute().getItems();
        assertThat(shown)
                .singleElement()
                .satisfies(x -> assertThat(x.getStatus()).isEqualTo("cancelled"));
        assertThat(api.events().list("primary").execute().getItems()).isEmpty();
    }

    @Test
    void gzipBodiesAndMethodOverrideAreUnderstoodLikeGoogleFrontEnd() throws Exception {
        User user = newUser();
        String body = """
                {"summary":"%s","description":"%s",
                 "start":{"dateTime":"2026-04-01T10:00:00+02:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-04-01T11:00:00+02:00","timeZone":"Europe/Berlin"}}
                """.formatted("Compressed", "x".repeat(2000));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        String url = GoogleApiTestSupport.sandbox().baseUrl() + "/google/calendar/v3/calendars/primary/events";
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + user.accessToken())
                                .header("Content-Type", "application/json")
                                .header("Content-Encoding", "gzip")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        String id = GoogleApiTestSupport.JSON.readTree(created.body()).get("id").stringValue();

        HttpResponse<String> patched = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/" + id))
                                .header("Authorization", "Bearer " + user.accessToken())
                                .header("Content-Type", "application/json")
                                .header("X-HTTP-Method-Override", "PATCH")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"location\":\"Berlin\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).isEqualTo(200);
        Event e = user.client().events().get("primary", id).execute();
        assertThat(e.getSummary()).isEqualTo("Compressed");
        assertThat(e.getDescription()).hasSize(2000);
        assertThat(e.getLocation()).isEqualTo("Berlin");

        // If-None-Match with the current etag: 304, as at Google.
        HttpResponse<String> notModified = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "/" + id))
                                .header("Authorization", "Bearer " + user.accessToken())
                                .header("If-None-Match", e.getEtag())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(notModified.statusCode()).isEqualTo(304);
    }

    @Test
    void readersCannotWrite() throws Exception {
        User user = newUser();
        var reader = GoogleApiTestSupport.store()
                .createCalendar(
                        user.account().id(),
                        new GoogleCalendarStore.CalendarSpec(
                                null, "Shared with me", null, "UTC", null, "reader", null));
        String calendarId = reader.get("id").stringValue();
        GoogleApiTestSupport.store().insert(calendarId, GoogleApiTestSupport.json("""
                {"summary":"Their meeting","start":{"dateTime":"2026-04-01T08:00:00Z"},"end":{"dateTime":"2026-04-01T09:00:00Z"}}
                """));

        assertThat(user.client().events().list(calendarId).execute().getItems()).hasSize(1);
        GoogleJsonResponseException e = googleError(() -> user.client()
                .events()
                .insert(calendarId, timed("mine", "2026-04-01T08:00:00Z", "2026-04-01T09:00:00Z", null))
                .execute());
        assertThat(e.getStatusCode()).isEqualTo(403);
        assertThat(reason(e)).isEqualTo("requiredAccessLevel");
    }

    @Test
    void controlRoutesWriteAsTheUserAtGoogle() throws Exception {
        User user = newUser();
        String base = "/control/google/calendars/" + user.email() + "/events";

        var created = http("POST", base, null, """
                {"summary":"From the web UI","start":{"date":"2026-08-01"},"end":{"date":"2026-08-02"}}
                """);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").stringValue();
        var patched = http("PATCH", base + "/" + id, null, "{\"summary\":\"Renamed\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(user.client().events().get("primary", id).execute().getSummary())
                .isEqualTo("Renamed");
        assertThat(http("DELETE", base + "/" + id, null, null).status()).isEqualTo(204);
        assertThat(http("DELETE", base + "/" + id, null, null).status()).isEqualTo(410);
        assertThat(http("POST", base, null, "{\"summary\":\"no times\"}")
                        .body()
                        .get("error")
                        .get("errors")
                        .get(0)
                        .get("reason")
                        .stringValue())
                .isEqualTo("required");
        assertThat(http("GET", base, null, null).body()).hasSize(1);
    }
}
