package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.googleError;
import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleApiTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** events.list as Google's sync guide describes it, driven through the official client. */
class GoogleEventsSyncTest {

    @Test
    void fullSyncPagesWithNextSyncTokenOnlyOnTheLastPage() throws Exception {
        User user = newUser();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(insert(user.client(), "Event " + i, "2026-03-0" + (i + 1) + "T10:00:00Z")
                    .getId());
        }

        List<Events> pages = fetchAll(user.client().events().list("primary").setMaxResults(3));

        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.getItems().size()).containsExactly(3, 3, 1);
        assertThat(pages.get(0).getNextSyncToken()).isNull();
        assertThat(pages.get(1).getNextSyncToken()).isNull();
        assertThat(pages.get(2).getNextPageToken()).isNull();
        assertThat(pages.get(2).getNextSyncToken()).isNotBlank();
        assertThat(items(pages)).extracting(Event::getId).containsExactlyElementsOf(ids);
        Events first = pages.get(0);
        assertThat(first.getKind()).isEqualTo("calendar#events");
        assertThat(first.getSummary()).isEqualTo(user.email());
        assertThat(first.getAccessRole()).isEqualTo("owner");
        assertThat(first.getTimeZone()).isEqualTo("UTC");
        assertThat(first.getDefaultReminders()).isNotEmpty();
        assertThat(first.getUpdated()).isNotNull();
    }

    @Test
    void incrementalSyncReturnsExactlyTheChangesIncludingDeletions() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        Event keep = insert(api, "Keep", "2026-05-01T09:00:00Z");
        Event patchMe = insert(api, "Patch me", "2026-05-02T09:00:00Z");
        Event deleteMe = insert(api, "Delete me", "2026-05-03T09:00:00Z");
        String token = lastPage(api.events().list("primary")).getNextSyncToken();

        Event added = insert(api, "Added", "2026-05-04T09:00:00Z");
        api.events()
                .patch("primary", patchMe.getId(), new Event().setSummary("Patched"))
                .execute();
        api.events().delete("primary", deleteMe.getId()).execute();

        Events changes = lastPage(api.events().list("primary").setSyncToken(token));
        Map<String, Event> byId = byId(changes.getItems());
        assertThat(byId.keySet()).containsExactlyInAnyOrder(added.getId(), patchMe.getId(), deleteMe.getId());
        assertThat(byId.get(patchMe.getId()).getSummary()).isEqualTo("Patched");
        assertThat(byId.get(deleteMe.getId()).getStatus()).isEqualTo("cancelled");
        assertThat(byId).doesNotContainKey(keep.getId());

        // The cancelled event is in the incremental list even with showDeleted=false given explicitly.
        Events again = lastPage(api.events().list("primary").setSyncToken(token).setShowDeleted(false));
        assertThat(byId(again.getItems())).containsKey(deleteMe.getId());

        // ...but a full list leaves it out.
        assertThat(items(fetchAll(api.events().list("primary"))))
                .extracting(Event::getId)
                .containsExactlyInAnyOrder(keep.getId(), patchMe.getId(), added.getId());

        // Nothing changed since: no items, a sync token that works again.
        Events none = lastPage(api.events().list("primary").setSyncToken(changes.getNextSyncToken()));
        assertThat(none.getItems()).isEmpty();
        assertThat(none.getNextSyncToken()).isNotBlank();
        assertThat(lastPage(api.events().list("primary").setSyncToken(none.getNextSyncToken()))
                        .getItems())
                .isEmpty();
    }

    @Test
    void incrementalSyncPagesToo() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        String token = lastPage(api.events().list("primary")).getNextSyncToken();
        for (int i = 0; i < 5; i++) {
            insert(api, "E" + i, "2026-06-0" + (i + 1) + "T09:00:00Z");
        }

        List<Events> pages =
                fetchAll(api.events().list("primary").setSyncToken(token).setMaxResults(2));

        assertThat(pages).hasSize(3);
        assertThat(items(pages)).hasSize(5);
        assertThat(pages.subList(0, 2))
                .allSatisfy(p -> assertThat(p.getNextSyncToken()).isNull());
        assertThat(pages.get(2).getNextSyncToken()).isNotBlank();
    }

    @Test
    void pagingStaysStableWhileEventsChangeAndChangesArriveInTheNextSync() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(insert(api, "E" + i, "2026-07-0" + (i + 1) + "T09:00:00Z"));
        }

        Events page1 = api.events().list("primary").setMaxResults(3).execute();
        // Changes between the pages: a new event, one already listed deleted, one not yet listed patched.
        Event late = insert(api, "Late", "2026-07-20T09:00:00Z");
        api.events().delete("primary", events.get(0).getId()).execute();
        api.events()
                .patch("primary", events.get(4).getId(), new Event().setSummary("E4 patched"))
                .execute();
        List<Events> rest =
                fetchAll(api.events().list("primary").setMaxResults(3).setPageToken(page1.getNextPageToken()));

        List<String> seen =
                new ArrayList<>(page1.getItems().stream().map(Event::getId).toList());
        seen.addAll(items(rest).stream().map(Event::getId).toList());
        // Every event that existed at the start is listed once; nothing is skipped.
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(events.stream().map(Event::getId).toList());

        String token = rest.getLast().getNextSyncToken();
        Map<String, Event> changes =
                byId(lastPage(api.events().list("primary").setSyncToken(token)).getItems());
        assertThat(changes.keySet())
                .containsExactlyInAnyOrder(
                        late.getId(), events.get(0).getId(), events.get(4).getId());
        assertThat(changes.get(events.get(0).getId()).getStatus()).isEqualTo("cancelled");
        assertThat(changes.get(events.get(4).getId()).getSummary()).isEqualTo("E4 patched");
    }

    @Test
    void syncTokenWithRequestRestrictionsIsRejected() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        insert(api, "One", "2026-03-01T10:00:00Z");
        String token = lastPage(api.events().list("primary")).getNextSyncToken();

        for (Calendar.Events.List restricted : List.of(
                api.events().list("primary").setSyncToken(token).setTimeMin(new DateTime("2026-01-01T00:00:00Z")),
                api.events().list("primary").setSyncToken(token).setTimeMax(new DateTime("2027-01-01T00:00:00Z")),
                api.events()
                        .list("primary")
                        .setSyncToken(token)
                        .setSingleEvents(true)
                        .setOrderBy("startTime"),
                api.events().list("primary").setSyncToken(token).setQ("One"),
                api.events().list("primary").setSyncToken(token).setICalUID("x@google.com"),
                api.events().list("primary").setSyncToken(token).setUpdatedMin(new DateTime("2026-01-01T00:00:00Z")),
                api.events().list("primary").setSyncToken(token).setPrivateExtendedProperty(List.of("a=b")),
                api.events().list("primary").setSyncToken(token).setSharedExtendedProperty(List.of("a=b")))) {
            GoogleJsonResponseException e = googleError(restricted::execute);
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(reason(e)).isEqualTo("syncTokenWithRequestRestrictions");
            assertThat(e.getDetails().getMessage())
                    .isEqualTo("Sync token cannot be used with other request restrictions.");
        }
        // Allowed with a sync token: showDeleted, singleEvents, maxResults.
        assertThat(api.events()
                        .list("primary")
                        .setSyncToken(token)
                        .setShowDeleted(true)
                        .setSingleEvents(true)
                        .setMaxResults(10)
                        .execute()
                        .getItems())
                .isEmpty();
    }

    @Test
    void invalidatedSyncTokensGive410FullSyncRequired() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        insert(api, "One", "2026-03-01T10:00:00Z");
        String token = lastPage(api.events().list("primary")).getNextSyncToken();

        var control = http("POST", "/control/google/calendars/" + user.email() + "/invalidate-sync-tokens", null, null);
        assertThat(control.status()).isEqualTo(200);

        GoogleJsonResponseException e = googleError(
                () -> api.events().list("primary").setSyncToken(token).execute());
        assertThat(e.getStatusCode()).isEqualTo(410);
        assertThat(reason(e)).isEqualTo("fullSyncRequired");
        assertThat(e.getDetails().getMessage()).isEqualTo("Sync token is no longer valid, a full sync is required.");

        // A new full sync gives a token that works.
        String fresh = lastPage(api.events().list("primary")).getNextSyncToken();
        assertThat(api.events().list("primary").setSyncToken(fresh).execute().getItems())
                .isEmpty();
    }

    @Test
    void malformedTokensAndBadParametersGive400() throws Exception {
        User user = newUser();
        Calendar api = user.client();

        GoogleJsonResponseException badSync = googleError(
                () -> api.events().list("primary").setSyncToken("garbage!").execute());
        assertThat(badSync.getStatusCode()).isEqualTo(400);
        assertThat(reason(badSync)).isEqualTo("invalid");

        GoogleJsonResponseException otherCalendar = googleError(() -> api.events()
                .list("primary")
                .setSyncToken(
                        lastPage(newUser().client().events().list("primary")).getNextSyncToken())
                .execute());
        assertThat(otherCalendar.getStatusCode()).isEqualTo(400);

        assertThat(googleError(() -> api.events()
                                .list("primary")
                                .setPageToken("nope")
                                .execute())
                        .getStatusCode())
                .isEqualTo(400);
        assertThat(googleError(() ->
                                api.events().list("primary").setMaxResults(0).execute())
                        .getStatusCode())
                .isEqualTo(400);
        assertThat(googleError(() ->
                                api.events().list("primary").setMaxResults(2501).execute())
                        .getStatusCode())
                .isEqualTo(400);
        GoogleJsonResponseException ordering = googleError(
                () -> api.events().list("primary").setOrderBy("startTime").execute());
        assertThat(ordering.getStatusCode()).isEqualTo(400);
        assertThat(reason(ordering)).isEqualTo("badRequest");
        GoogleJsonResponseException range = googleError(() -> api.events()
                .list("primary")
                .setTimeMin(new DateTime("2026-02-01T00:00:00Z"))
                .setTimeMax(new DateTime("2026-01-01T00:00:00Z"))
                .execute());
        assertThat(reason(range)).isEqualTo("timeRangeEmpty");
    }

    @Test
    void filtersOfAFullList() throws Exception {
        User user = newUser();
        Calendar api = user.client();
        Event march = insert(api, "Standup in March", "2026-03-10T09:00:00Z");
        Event april = insert(api, "Review", "2026-04-10T09:00:00Z");
        api.events()
                .patch(
                        "primary",
                        april.getId(),
                        new Event()
                                .setLocation("Room Standup")
                                .setExtendedProperties(
                                        new Event.ExtendedProperties().setPrivate(Map.of("calsync", "1"))))
                .execute();
        insert(api, "Later", "2026-05-10T09:00:00Z");

        // timeMin/timeMax: overlap means end > timeMin and start < timeMax.
        assertThat(items(fetchAll(api.events()
                        .list("primary")
                        .setTimeMin(new DateTime("2026-03-10T10:00:00Z"))
                        .setTimeMax(new DateTime("2026-04-10T09:00:00Z")))))
                .isEmpty();
        assertThat(items(fetchAll(api.events()
                        .list("primary")
                        .setTimeMin(new DateTime("2026-03-10T09:59:59Z"))
                        .setTimeMax(new DateTime("2026-04-10T09:00:01Z")))))
                .extracting(Event::getId)
                .containsExactly(march.getId(), april.getId());
        assertThat(items(fetchAll(api.events().list("primary").setQ("standup"))))
                .extracting(Event::getId)
                .containsExactlyInAnyOrder(march.getId(), april.getId());
        assertThat(items(fetchAll(api.events().list("primary").setICalUID(march.getICalUID()))))
                .extracting(Event::getId)
                .containsExactly(march.getId());
        assertThat(items(fetchAll(api.events().list("primary").setPrivateExtendedProperty(List.of("calsync=1")))))
                .extracting(Event::getId)
                .containsExactly(april.getId());
        assertThat(items(fetchAll(
                        api.events().list("primary").setSingleEvents(true).setOrderBy("startTime"))))
                .extracting(Event::getSummary)
                .containsExactly("Standup in March", "Review", "Later");
    }

    static Event insert(Calendar api, String summary, String startUtc) throws IOException {
        DateTime start = new DateTime(startUtc);
        DateTime end = new DateTime(start.getValue() + 3_600_000L, 0);
        return api.events()
                .insert(
                        "primary",
                        new Event()
                                .setSummary(summary)
                                .setStart(new EventDateTime().setDateTime(start))
                                .setEnd(new EventDateTime().setDateTime(end)))
                .execute();
    }

    /** All pages, from the request's page token (usually none) on. */
    static List<Events> fetchAll(Calendar.Events.List request) throws IOException {
        List<Events> pages = new ArrayList<>();
        String pageToken = request.getPageToken();
        do {
            Events page = request.setPageToken(pageToken).execute();
            pages.add(page);
            pageToken = page.getNextPageToken();
        } while (pageToken != null);
        return pages;
    }

    static Events lastPage(Calendar.Events.List request) throws IOException {
        return fetchAll(request).getLast();
    }

    static List<Event> items(List<Events> pages) {
        return pages.stream().flatMap(p -> p.getItems().stream()).toList();
    }

    static Map<String, Event> byId(List<Event> events) {
        return events.stream().collect(Collectors.toMap(Event::getId, Function.identity()));
    }
}
