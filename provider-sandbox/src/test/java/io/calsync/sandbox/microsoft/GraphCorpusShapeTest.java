package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.control;
import static io.calsync.sandbox.microsoft.GraphTestSupport.corpus;
import static io.calsync.sandbox.microsoft.GraphTestSupport.event;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's JSON against real Graph payloads from Microsoft's docs and from projects that recorded Graph's
 * answers (shared/corpus/graph): every field of a corpus object that the sandbox supports is there with the same
 * JSON type, recursively; paging links look the same.
 */
class GraphCorpusShapeTest {

    /** Fields of the corpus the sandbox does not model. */
    private static final Set<String> UNSUPPORTED = Set.of("proposedNewTime");

    /** Differences between a corpus object and the sandbox's, as readable lines. */
    static List<String> shapeDifferences(JsonNode corpus, JsonNode actual, String path) {
        List<String> out = new ArrayList<>();
        compare(corpus, actual, path, out);
        return out;
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (expected == null || expected.isNull()) {
            return; // Graph wrote null: any type is fine
        }
        if (actual == null || actual.isMissingNode()) {
            out.add(path + ": missing");
            return;
        }
        if (!sameType(expected, actual)) {
            out.add(path + ": " + expected.getNodeType() + " in the corpus, " + actual.getNodeType()
                    + " in the sandbox");
            return;
        }
        if (expected.isObject()) {
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                if (!UNSUPPORTED.contains(e.getKey())) {
                    compare(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey(), out);
                }
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean sameType(JsonNode a, JsonNode b) {
        return a.isNumber() ? b.isNumber() : a.getNodeType() == b.getNodeType();
    }

    static void assertShape(String corpusFile, JsonNode corpusNode, JsonNode actual) {
        assertThat(shapeDifferences(corpusNode, actual, "$"))
                .as("%s against the sandbox's %s", corpusFile, actual)
                .isEmpty();
    }

    static void assertShape(String corpusFile, JsonNode actual) {
        assertShape(corpusFile, corpus(corpusFile), actual);
    }

    /** Absolute, same path tail (…/v1.0/me/calendarView/delta) and the same single query option as the corpus link. */
    static void assertSameLink(String corpusLink, String link) {
        URI c = URI.create(corpusLink.replace("{", "%7B").replace("}", "%7D"));
        URI s = URI.create(link);
        assertThat(s.isAbsolute()).isTrue();
        assertThat(s.getPath()).endsWith(c.getPath().substring(c.getPath().indexOf("/v1.0/")));
        assertThat(s.getRawQuery().substring(0, s.getRawQuery().indexOf('=')))
                .isEqualTo(c.getRawQuery().substring(0, c.getRawQuery().indexOf('=')));
    }

    @Test
    void deltaPagesLookLikeGraphs() {
        GraphTestSupport.User u = newUser();
        String path =
                "/graph/v1.0/me/calendarView/delta?startDateTime=2016-12-01T00:00:00Z&endDateTime=2016-12-30T00:00:00Z";
        call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                event("Plan shopping list", "2016-12-09T20:30:00", "2016-12-09T22:00:00", "UTC"));
        call(
                "POST",
                "/graph/v1.0/me/events",
                u.token(),
                event("Pick up car", "2016-12-10T01:00:00", "2016-12-10T02:00:00", "UTC"));
        JsonNode doomed = call(
                        "POST",
                        "/graph/v1.0/me/events",
                        u.token(),
                        event("Rest!", "2016-12-12T02:00:00", "2016-12-12T07:30:00", "UTC"))
                .json();

        JsonNode first = call("GET", sandboxUrl(path), u.token(), null, "Prefer", "odata.maxpagesize=2")
                .json();
        assertShape("graph/microsoft-graph-docs/delta-query-events__example1.json", first);
        assertShape("graph/microsoft-graph-docs/event-delta__example1.json", first);
        assertSameLink(
                corpus("graph/microsoft-graph-docs/delta-query-events__example1.json")
                        .get("@odata.nextLink")
                        .asString(),
                first.get("@odata.nextLink").asString());

        JsonNode last = call(
                        "GET",
                        first.get("@odata.nextLink").asString(),
                        u.token(),
                        null,
                        "Prefer",
                        "odata.maxpagesize=2")
                .json();
        assertShape("graph/microsoft-graph-docs/delta-query-events__example3.json", last);
        String deltaLink = last.get("@odata.deltaLink").asString();
        assertSameLink(
                corpus("graph/microsoft-graph-docs/delta-query-events__example3.json")
                        .get("@odata.deltaLink")
                        .asString(),
                deltaLink);

        JsonNode empty = call("GET", deltaLink, u.token(), null).json();
        assertShape("graph/nango-integration-templates/events__get_me-calendarView-delta.json", empty);
        assertSameLink(
                corpus("graph/nango-integration-templates/events__get_me-calendarView-delta.json")
                        .get("@odata.deltaLink")
                        .asString(),
                empty.get("@odata.deltaLink").asString());

        // example 4: a deletion first, then an event with a full location
        call("DELETE", "/graph/v1.0/me/events/" + doomed.get("id").asString(), u.token(), null);
        call("POST", "/graph/v1.0/me/events", u.token(), """
                {"subject":"Attend service","start":{"dateTime":"2016-12-25T06:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"2016-12-25T07:30:00","timeZone":"UTC"},
                 "location":{"displayName":"Chapel of Saint Ignatius",
                   "address":{"street":"900 Broadway","city":"Seattle","state":"WA","countryOrRegion":"United States","postalCode":""},
                   "coordinates":{"latitude":47.6105,"longitude":-122.321}}}""");
        JsonNode changes = call("GET", empty.get("@odata.deltaLink").asString(), u.token(), null)
                .json();
        assertShape("graph/microsoft-graph-docs/delta-query-events__example4.json", changes);
        assertThat(changes.at("/value/0/@removed/reason").asString()).isEqualTo("deleted");
        assertThat(changes.at("/value/0").size())
                .as("a removed item carries only its type, id and @removed")
                .isEqualTo(3);
    }

    @Test
    void eventsLookLikeGraphs() {
        GraphTestSupport.User u = newUser();
        JsonNode created = call("POST", "/graph/v1.0/me/events", u.token(), """
                {"subject":"Orientation ","body":{"contentType":"html","content":"<html><head></head><body><p>Dana, this is the time you selected for our orientation. Please bring the notes I sent you.</p></body></html>"},
                 "start":{"dateTime":"2017-04-21T10:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2017-04-21T12:00:00","timeZone":"Pacific Standard Time"},
                 "location":{"displayName":"Assembly Hall"},
                 "attendees":[{"type":"required","emailAddress":{"name":"Samantha Booth","address":"samanthab@contoso.test"}},
                              {"type":"required","status":{"response":"tentativelyAccepted"},
                               "emailAddress":{"name":"Dana Swope","address":"danas@contoso.test"}}]}""").json();
        assertShape("graph/nango-integration-templates/create-event__post_me-events.json", created);
        JsonNode read = call(
                        "GET",
                        "/graph/v1.0/me/events/" + created.get("id").asString(),
                        u.token(),
                        null,
                        "Prefer",
                        "outlook.timezone=\"Pacific Standard Time\"")
                .json();
        assertShape("graph/microsoft-graph-docs/event-get__example1.json", read);
        assertThat(read.at("/start/dateTime").asString()).isEqualTo("2017-04-21T10:00:00.0000000");

        JsonNode series = call("POST", "/graph/v1.0/me/events", u.token(), """
                {"subject":"Let's go for lunch","body":{"contentType":"html","content":"Does late morning work for you?"},
                 "start":{"dateTime":"2017-09-04T12:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2017-09-04T14:00:00","timeZone":"Pacific Standard Time"},
                 "location":{"displayName":"Harry's Bar"},
                 "attendees":[{"emailAddress":{"address":"AdeleV@contoso.test","name":"Adele Vance"},"type":"required"}],
                 "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["Monday"]},
                               "range":{"type":"endDate","startDate":"2017-09-04","endDate":"2017-12-31"}}}""").json();
        assertShape("graph/microsoft-graph-docs/user-post-events__create_event_recurring.json", series);

        JsonNode instances = call(
                        "GET",
                        "/graph/v1.0/me/events/" + series.get("id").asString()
                                + "/instances?startDateTime=2017-09-01T00:00:00Z&endDateTime=2017-10-01T00:00:00Z",
                        u.token(),
                        null)
                .json();
        assertShape("graph/microsoft-graph-docs/event-list-instances__get_instances.json", instances);
    }

    @Test
    void calendarsAndTheUserLookLikeGraphs() {
        GraphTestSupport.User u = newUser();
        GraphTestSupport.store().createCalendar(u.account(), "Work Calendar", null);
        assertShape(
                "graph/nango-integration-templates/list-calendars__get_me-calendars.json",
                call("GET", "/graph/v1.0/me/calendars", u.token(), null).json());
        assertShape(
                "graph/mattermost-plugin-mscalendar/get_me_response.json",
                call("GET", "/graph/v1.0/me", u.token(), null).json());
    }

    @Test
    void subscriptionsAndTheNotificationsSentLookLikeGraphs() {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            String expiration = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).toString();
            JsonNode s = call("POST", "/graph/v1.0/subscriptions", u.token(), """
                    {"changeType":"created,updated","notificationUrl":"%s","lifecycleNotificationUrl":"%s",
                     "resource":"me/events","expirationDateTime":"%s","clientState":"secretClientValue",
                     "latestSupportedTlsVersion":"v1_2"}""".formatted(
                                    receiver.url(), receiver.url(), expiration))
                    .json();
            assertShape("graph/microsoft-graph-docs/subscription-post-subscriptions__example1.json", s);

            call(
                    "POST",
                    "/graph/v1.0/me/events",
                    u.token(),
                    event("Ping", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "UTC"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.notifications().size() == 1);
            JsonNode change = receiver.notifications().getFirst();
            assertShape("graph/microsoft-graph-docs/change-notifications-delivery__example1.json", change);
            assertShape("graph/mattermost-plugin-mscalendar/webhook_event_ notification.json", change);

            for (String event : List.of("missed", "reauthorizationRequired", "subscriptionRemoved")) {
                control("POST", "/subscriptions/" + s.get("id").asString() + "/lifecycle?event=" + event, null);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.notifications().size() == 4);
            List<JsonNode> lifecycle = receiver.notifications().subList(1, 4);
            for (String file : List.of(
                    "webhooks-lifecycle__example1.json",
                    "webhooks-lifecycle__example2.json",
                    "webhooks-lifecycle__example3.json")) {
                JsonNode expected = corpus("graph/microsoft-graph-docs/" + file);
                String kind = expected.at("/value/0/lifecycleEvent").asString();
                JsonNode actual = lifecycle.stream()
                        .filter(n -> n.at("/value/0/lifecycleEvent").asString().equals(kind))
                        .findFirst()
                        .orElseThrow();
                assertShape(file, expected, actual);
            }
        }
    }

    private static String sandboxUrl(String path) {
        return GraphTestSupport.sandbox().baseUrl() + path;
    }
}
