package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.JSON;
import static io.calsync.sandbox.google.GoogleApiTestSupport.corpus;
import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Compares the sandbox's JSON with real Google responses recorded in the shared corpus (libkgapi's and nango's
 * recordings): every field the real response has, and the sandbox models, must be there with the same JSON type.
 */
class GoogleCorpusShapeTest {

    /** Fields of the recordings the sandbox does not model, by path ({@code []} for array elements). */
    private static final Set<String> UNMODELLED = Set.of(
            "attendees[].id", // Google profile ids of attendees
            "dataOwner",
            "summaryOverride",
            "deleted"); // nango's calendar list: shared and deleted calendars

    private static JsonNode corpusFile(String... path) {
        Path p = corpus().resolve("google");
        for (String part : path) {
            p = p.resolve(part);
        }
        return JSON.readTree(p.toFile());
    }

    @Test
    void eventsListAndEventMatchLibkgapiRecordings() {
        User user = newUser("Konqui");
        GoogleCalendarStore store = GoogleApiTestSupport.store();
        store.createCalendar(
                user.account().id(),
                new GoogleCalendarStore.CalendarSpec(null, "MockAccount", null, "Europe/Prague", true, null, null));
        String event = """
                {"summary":"Cool Meeting about stuff","description":"We shall meet and we shall discuss.",
                 "location":"Meeting Room",
                 "start":{"dateTime":"2018-04-01T08:30:00Z","timeZone":"Europe/Prague"},
                 "end":{"dateTime":"2018-04-01T09:30:00Z","timeZone":"Europe/Prague"},
                 "attendees":[{"email":"attendee1@kde.test"},{"email":"attendee2@kde.test"}],
                 "reminders":{"useDefault":false}}
                """;
        String id = store.insert(user.email(), GoogleApiTestSupport.json(event))
                .get("id")
                .stringValue();
        store.insert(user.email(), GoogleApiTestSupport.json(event));

        JsonNode page1 = http(
                        "GET", "/google/calendar/v3/calendars/primary/events?maxResults=1", user.accessToken(), null)
                .body();
        JsonNode recordedPage1 = corpusFile("libkgapi", "events_fetch_page1_response.json");
        assertSameShape(recordedPage1, page1, "", false);
        assertThat(page1.get("nextPageToken").isString()).isTrue();
        assertThat(page1.has("nextSyncToken")).isFalse();

        JsonNode page2 = http(
                        "GET",
                        "/google/calendar/v3/calendars/primary/events?maxResults=1&pageToken="
                                + page1.get("nextPageToken").stringValue(),
                        user.accessToken(),
                        null)
                .body();
        assertThat(page2.has("nextPageToken")).isFalse();
        assertThat(page2.get("nextSyncToken").isString()).isTrue();

        JsonNode fetched = http("GET", "/google/calendar/v3/calendars/primary/events/" + id, user.accessToken(), null)
                .body();
        JsonNode recordedEvent = corpusFile("libkgapi", "event1_fetch_response.json");
        assertSameShape(recordedEvent, fetched, "", true);
        assertThat(recordedEvent.get("start").get("dateTime").stringValue()).isEqualTo("2018-04-01T10:30:00+02:00");
        assertThat(fetched.get("start").get("dateTime").stringValue()).isEqualTo("2018-04-01T10:30:00+02:00");
        assertThat(fetched.get("reminders")).isEqualTo(recordedEvent.get("reminders"));
        assertThat(fetched.get("etag").stringValue()).matches("\"\\d+\"");

        // nango's recording of a plain event on a primary calendar: same fields, same values where deterministic.
        JsonNode nango = corpusFile(
                "nango-integration-templates",
                "add-attendee__get_calendars-primary-events-g65fvocgea781hubcl4099oc9o.json");
        User plain = newUser(null);
        JsonNode mine = JSON.valueToTree(store.insert(plain.email(), GoogleApiTestSupport.json("""
                {"summary":"Test Event for Mock Recording",
                 "start":{"dateTime":"2026-03-14T10:00:00-03:00","timeZone":"America/Sao_Paulo"},
                 "end":{"dateTime":"2026-03-14T11:00:00-03:00","timeZone":"America/Sao_Paulo"}}
                """)));
        assertSameShape(nango, mine, "", true);
        assertThat(List.copyOf(mine.propertyNames())).containsExactlyElementsOf(nango.propertyNames());
        assertThat(mine.get("creator"))
                .isEqualTo(JSON.createObjectNode().put("email", plain.email()).put("self", true));
        assertThat(mine.get("reminders")).isEqualTo(nango.get("reminders"));
    }

    @Test
    void calendarListMatchesLibkgapiAndNangoRecordings() {
        User user = newUser();
        GoogleCalendarStore store = GoogleApiTestSupport.store();
        store.createCalendar(
                user.account().id(),
                new GoogleCalendarStore.CalendarSpec(
                        null,
                        "TV Shows Calendar",
                        "Calendar with airdates of TV shows episodes",
                        "UTC",
                        null,
                        "reader",
                        "11",
                        "Seattle"));

        JsonNode page1 = http("GET", "/google/calendar/v3/users/me/calendarList?maxResults=1", user.accessToken(), null)
                .body();
        JsonNode recorded = corpusFile("libkgapi", "calendars_fetch_page1_response.json");
        assertSameShape(recorded, page1, "", false);
        assertThat(page1.get("nextPageToken").isString()).isTrue();
        assertThat(page1.has("nextSyncToken")).isFalse();

        JsonNode page2 = http(
                        "GET",
                        "/google/calendar/v3/users/me/calendarList?maxResults=1&pageToken="
                                + page1.get("nextPageToken").stringValue(),
                        user.accessToken(),
                        null)
                .body();
        JsonNode tvShows = page2.get("items").get(0);
        JsonNode recordedEntry = recorded.get("items").get(0);
        assertSameShape(recordedEntry, tvShows, "", true);
        for (String field : List.of(
                "kind",
                "foregroundColor",
                "defaultReminders",
                "colorId",
                "selected",
                "summary",
                "backgroundColor",
                "description",
                "timeZone",
                "accessRole")) {
            assertThat(tvShows.get(field)).as(field).isEqualTo(recordedEntry.get(field));
        }

        JsonNode nango = corpusFile("nango-integration-templates", "calendars__get_users-me-calendarList.json");
        assertSameShape(nango, page2, "", false);
        JsonNode primary = page1.get("items").get(0);
        for (JsonNode entry : nango.get("items")) {
            if (!entry.has("deleted")) {
                assertSameShape(entry, entry.has("primary") ? primary : tvShows, "", true);
            }
        }
        // gcalcli's recording of a primary calendar's entry.
        JsonNode gcalcliPrimary = null;
        for (JsonNode entry : corpusFile("gcalcli", "cal_list.json").get("items")) {
            if (entry.has("primary")) {
                gcalcliPrimary = entry;
            }
        }
        assertThat(gcalcliPrimary).isNotNull();
        assertSameShape(gcalcliPrimary, primary, "", true);
    }

    /**
     * Every field of {@code recorded} (except unmodelled ones) exists in {@code actual} with the same JSON type;
     * objects recursively, arrays by their first elements. With {@code deep=false} only the top level is compared.
     */
    private static void assertSameShape(JsonNode recorded, JsonNode actual, String path, boolean deep) {
        List<String> problems = new ArrayList<>();
        compare(recorded, actual, path, deep, problems);
        assertThat(problems)
                .as("fields missing or of another type than in the recording")
                .isEmpty();
    }

    private static void compare(JsonNode recorded, JsonNode actual, String path, boolean deep, List<String> problems) {
        for (Map.Entry<String, JsonNode> f : recorded.properties()) {
            String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            if (UNMODELLED.contains(p) || (p.equals("items") && !deep)) {
                if (p.equals("items")
                        && !(actual.get("items") != null && actual.get("items").isArray())) {
                    problems.add("items: not an array");
                }
                continue;
            }
            JsonNode a = actual.get(f.getKey());
            if (a == null) {
                problems.add(p + ": missing");
                continue;
            }
            if (a.getNodeType() != f.getValue().getNodeType()) {
                problems.add(p + ": " + a.getNodeType() + " instead of "
                        + f.getValue().getNodeType());
                continue;
            }
            if (deep && a.isObject()) {
                compare(f.getValue(), a, p, true, problems);
            } else if (deep && a.isArray() && !f.getValue().isEmpty() && !a.isEmpty()) {
                JsonNode r0 = f.getValue().get(0);
                JsonNode a0 = a.get(0);
                if (r0.getNodeType() != a0.getNodeType()) {
                    problems.add(p + "[]: " + a0.getNodeType() + " instead of " + r0.getNodeType());
                } else if (r0.isObject()) {
                    compare(r0, a0, p + "[]", true, problems);
                }
            }
        }
    }
}
