package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.googleError;
import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleApiTestSupport.reason;
import static io.calsync.sandbox.google.GoogleApiTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.CalendarListEntry;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import io.calsync.sandbox.oauth.OAuthEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoogleCalendarListTest {

    @Test
    void primaryCalendarExistsForANewAccountAndPrimaryIsAnAlias() throws Exception {
        User user = newUser();

        CalendarList list = user.client().calendarList().list().execute();

        assertThat(list.getItems()).hasSize(1);
        CalendarListEntry primary = list.getItems().get(0);
        assertThat(primary.getId()).isEqualTo(user.email());
        assertThat(primary.getPrimary()).isTrue();
        assertThat(primary.getAccessRole()).isEqualTo("owner");
        assertThat(primary.getKind()).isEqualTo("calendar#calendarListEntry");
        assertThat(primary.getEtag()).matches("\"\\d+\"");
        assertThat(primary.getBackgroundColor()).startsWith("#");
        assertThat(primary.getConferenceProperties().getAllowedConferenceSolutionTypes())
                .contains("hangoutsMeet");
        assertThat(list.getNextSyncToken()).isNotBlank();
        assertThat(list.getNextPageToken()).isNull();

        CalendarListEntry viaAlias = user.client().calendarList().get("primary").execute();
        assertThat(viaAlias.getId()).isEqualTo(user.email());
        assertThat(user.client().calendars().get("primary").execute().getId()).isEqualTo(user.email());
    }

    @Test
    void pagesWithNextSyncTokenOnlyOnTheLastPage() throws Exception {
        User user = newUser();
        GoogleCalendarStore store = GoogleApiTestSupport.store();
        for (int i = 1; i <= 4; i++) {
            store.createCalendar(
                    user.account().id(),
                    new GoogleCalendarStore.CalendarSpec(
                            null,
                            "Team " + i,
                            "calendar " + i,
                            "Europe/Berlin",
                            null,
                            i == 4 ? "reader" : null,
                            String.valueOf(i)));
        }

        List<CalendarList> pages = new ArrayList<>();
        String pageToken = null;
        do {
            CalendarList page = user.client()
                    .calendarList()
                    .list()
                    .setMaxResults(2)
                    .setPageToken(pageToken)
                    .execute();
            pages.add(page);
            pageToken = page.getNextPageToken();
        } while (pageToken != null);

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).getItems()).hasSize(2);
        assertThat(pages.get(0).getNextSyncToken()).isNull();
        assertThat(pages.get(1).getNextSyncToken()).isNull();
        assertThat(pages.get(2).getItems()).hasSize(1);
        assertThat(pages.get(2).getNextSyncToken()).isNotBlank();
        List<String> summaries = pages.stream()
                .flatMap(p -> p.getItems().stream())
                .map(CalendarListEntry::getSummary)
                .toList();
        assertThat(summaries).containsExactly(user.email(), "Team 1", "Team 2", "Team 3", "Team 4");
        CalendarListEntry reader = pages.get(2).getItems().get(0);
        assertThat(reader.getAccessRole()).isEqualTo("reader");
        assertThat(reader.getPrimary()).isNull();
        assertThat(reader.getId()).endsWith("@group.calendar.google.com");
        assertThat(reader.getTimeZone()).isEqualTo("Europe/Berlin");

        CalendarList writable =
                user.client().calendarList().list().setMinAccessRole("writer").execute();
        assertThat(writable.getItems()).hasSize(4);

        // Incremental: nothing changed, then one new calendar.
        String syncToken = pages.get(2).getNextSyncToken();
        assertThat(user.client()
                        .calendarList()
                        .list()
                        .setSyncToken(syncToken)
                        .execute()
                        .getItems())
                .isEmpty();
        store.createCalendar(user.account().id(), GoogleCalendarStore.CalendarSpec.of("Later", "UTC"));
        CalendarList changes =
                user.client().calendarList().list().setSyncToken(syncToken).execute();
        assertThat(changes.getItems()).extracting(CalendarListEntry::getSummary).containsExactly("Later");
    }

    @Test
    void controlRouteCreatesCalendarsAndAccountsGetTheirPrimaryCalendar() throws Exception {
        var created = http(
                "POST",
                "/control/accounts",
                null,
                "{\"provider\":\"GOOGLE\",\"email\":\"ctl-" + System.nanoTime()
                        + "@example.test\",\"displayName\":\"Ctl\"}");
        assertThat(created.status()).isEqualTo(201);
        String accountId = created.body().get("id").stringValue();
        String email = created.body().get("email").stringValue();

        var calendars = http("GET", "/control/google/accounts/" + accountId + "/calendars", null, null);
        assertThat(calendars.status()).isEqualTo(200);
        assertThat(calendars.body().get(0).get("id").stringValue()).isEqualTo(email);
        assertThat(calendars.body().get(0).get("primary").booleanValue()).isTrue();

        var primary = http(
                "POST",
                "/control/google/accounts/" + accountId + "/calendars",
                null,
                "{\"summary\":\"Me\",\"timeZone\":\"Europe/Berlin\",\"primary\":true}");
        assertThat(primary.status()).isEqualTo(201);
        assertThat(primary.body().get("id").stringValue()).isEqualTo(email);
        assertThat(primary.body().get("timeZone").stringValue()).isEqualTo("Europe/Berlin");

        var secondary = http(
                "POST",
                "/control/google/accounts/" + accountId + "/calendars",
                null,
                "{\"summary\":\"Holidays\",\"timeZone\":\"UTC\"}");
        assertThat(secondary.status()).isEqualTo(201);
        assertThat(secondary.body().get("id").stringValue()).startsWith("c_").endsWith("@group.calendar.google.com");
        assertThat(secondary.body().has("primary")).isFalse();
    }

    @Test
    void calendarsOfOtherAccountsAreNotFound() {
        User alice = newUser();
        User bob = newUser();

        GoogleJsonResponseException e =
                googleError(() -> bob.client().calendarList().get(alice.email()).execute());
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(reason(e)).isEqualTo("notFound");

        GoogleJsonResponseException events =
                googleError(() -> bob.client().events().list(alice.email()).execute());
        assertThat(events.getStatusCode()).isEqualTo(404);
    }

    @Test
    void unknownAndExpiredTokensGet401() throws Exception {
        User user = newUser();
        user.client().calendarList().list().execute();

        GoogleJsonResponseException unknown = googleError(() -> GoogleApiTestSupport.client("ya29.unknown")
                .calendarList()
                .list()
                .execute());
        assertThat(unknown.getStatusCode()).isEqualTo(401);
        assertThat(reason(unknown)).isEqualTo("authError");
        assertThat(unknown.getHeaders().getAuthenticate()).contains("invalid_token");

        assertThat(http("POST", "/control/accounts/" + user.account().id() + "/expire-access-tokens", null, null)
                        .status())
                .isEqualTo(200);
        GoogleJsonResponseException expired =
                googleError(() -> user.client().events().list("primary").execute());
        assertThat(expired.getStatusCode()).isEqualTo(401);
        assertThat(expired.getDetails().getMessage()).isEqualTo("Invalid Credentials");

        assertThat(http("GET", "/google/calendar/v3/users/me/calendarList", null, null)
                        .status())
                .isEqualTo(401);
        assertThat(sandbox().baseUrl()).isNotBlank();
    }

    @Test
    void tokensNeedACalendarScopeAndAWritableOneToWrite() throws Exception {
        User user = newUser();
        OAuthEngine engine = sandbox().bean(OAuthEngine.class);
        var noCalendar = GoogleApiTestSupport.client(
                engine.issueDirectly(user.account(), "openid email").accessToken());
        var readOnly = GoogleApiTestSupport.client(
                engine.issueDirectly(user.account(), "openid https://www.googleapis.com/auth/calendar.readonly")
                        .accessToken());

        GoogleJsonResponseException denied =
                googleError(() -> noCalendar.events().list("primary").execute());
        assertThat(denied.getStatusCode()).isEqualTo(403);
        assertThat(reason(denied)).isEqualTo("insufficientPermissions");

        assertThat(readOnly.events().list("primary").execute().getItems()).isEmpty();
        GoogleJsonResponseException write =
                googleError(() -> GoogleEventsSyncTest.insert(readOnly, "x", "2026-03-01T10:00:00Z"));
        assertThat(write.getStatusCode()).isEqualTo(403);
        assertThat(reason(write)).isEqualTo("insufficientPermissions");
    }
}
