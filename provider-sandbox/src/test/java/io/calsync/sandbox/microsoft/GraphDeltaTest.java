package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphEventsTest.at;
import static io.calsync.sandbox.microsoft.GraphEventsTest.meeting;
import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.control;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.users.item.calendarview.delta.DeltaGetResponse;
import com.microsoft.kiota.http.middleware.options.HeadersInspectionOption;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.faults.FaultRule;
import io.calsync.sandbox.faults.Faults;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** calendarView delta through the official Graph SDK: paging, incremental rounds, 410, throttling, series. */
class GraphDeltaTest {

    static final String FROM = "2026-03-01T00:00:00Z";
    static final String TO = "2026-04-30T00:00:00Z";

    /** A full round from the first request to the delta link, following nextLinks; returns items and the deltaLink. */
    record Round(List<Event> items, String deltaLink, int pages) {}

    static Round fullRound(GraphTestSupport.User u, int pageSize) {
        HeadersInspectionOption headers = new HeadersInspectionOption(false, true);
        DeltaGetResponse page = u.graph().me().calendarView().delta().get(rc -> {
            rc.queryParameters.startDateTime = FROM;
            rc.queryParameters.endDateTime = TO;
            rc.headers.add("Prefer", "odata.maxpagesize=" + pageSize);
            rc.options.add(headers);
        });
        assertThat(String.join(",", headers.getResponseHeaders().get("Preference-Applied")))
                .contains("odata.maxpagesize=" + pageSize);
        return follow(u, page, pageSize);
    }

    static Round follow(GraphTestSupport.User u, DeltaGetResponse page, int pageSize) {
        List<Event> items = new ArrayList<>(page.getValue());
        int pages = 1;
        while (page.getOdataNextLink() != null) {
            assertThat(page.getValue()).hasSizeLessThanOrEqualTo(pageSize);
            assertThat(page.getOdataNextLink()).contains("/graph/v1.0/me/calendarView/delta?$skiptoken=");
            page = u.graph()
                    .me()
                    .calendarView()
                    .delta()
                    .withUrl(page.getOdataNextLink())
                    .get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + pageSize));
            items.addAll(page.getValue());
            pages++;
        }
        assertThat(page.getOdataDeltaLink()).contains("/graph/v1.0/me/calendarView/delta?$deltatoken=");
        return new Round(items, page.getOdataDeltaLink(), pages);
    }

    static Round changes(GraphTestSupport.User u, String deltaLink) {
        DeltaGetResponse page =
                u.graph().me().calendarView().delta().withUrl(deltaLink).get();
        return follow(u, page, 10);
    }

    static boolean removed(Event e) {
        return e.getAdditionalData().containsKey("@removed");
    }

    @Test
    void aFullRoundPagesByMaxPageSizeThenDeltaReportsOnlyChanges() {
        GraphTestSupport.User u = newUser();
        Map<String, Event> created = new LinkedHashMap<>();
        for (int day = 2; day <= 6; day++) {
            Event e = u.graph()
                    .me()
                    .events()
                    .post(meeting(
                            "Day " + day,
                            "2026-03-0" + day + "T10:00:00",
                            "2026-03-0" + day + "T11:00:00",
                            "Pacific Standard Time"));
            created.put(e.getSubject(), e);
        }
        u.graph().me().events().post(meeting("Outside", "2026-06-01T10:00:00", "2026-06-01T11:00:00", "UTC"));

        Round first = fullRound(u, 2);
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.items())
                .extracting(Event::getSubject)
                .containsExactly("Day 2", "Day 3", "Day 4", "Day 5", "Day 6");
        assertThat(first.items()).allSatisfy(e -> assertThat(e.getType()).isEqualTo(EventType.SingleInstance));

        Event added =
                u.graph().me().events().post(meeting("Added", "2026-03-20T10:00:00", "2026-03-20T11:00:00", "UTC"));
        Event rename = new Event();
        rename.setSubject("Day 3 renamed");
        u.graph().me().events().byEventId(created.get("Day 3").getId()).patch(rename);
        u.graph().me().events().byEventId(created.get("Day 4").getId()).delete();
        Event moveOut = new Event();
        moveOut.setStart(at("2026-07-01T10:00:00", "UTC"));
        moveOut.setEnd(at("2026-07-01T11:00:00", "UTC"));
        u.graph().me().events().byEventId(created.get("Day 5").getId()).patch(moveOut);

        Round second = changes(u, first.deltaLink());
        List<String> removedIds = second.items().stream()
                .filter(GraphDeltaTest::removed)
                .map(Event::getId)
                .toList();
        assertThat(removedIds)
                .containsExactlyInAnyOrder(
                        created.get("Day 4").getId(), created.get("Day 5").getId());
        assertThat(second.items().stream().filter(e -> !removed(e)).map(Event::getSubject))
                .containsExactly("Day 3 renamed", "Added");
        assertThat(second.items().stream()
                        .filter(e -> added.getId().equals(e.getId()))
                        .findFirst()
                        .orElseThrow()
                        .getStart()
                        .getDateTime())
                .isEqualTo("2026-03-20T10:00:00.0000000");

        Round third = changes(u, second.deltaLink());
        assertThat(third.items()).isEmpty();
        assertThat(third.deltaLink()).isNotEqualTo(second.deltaLink());
    }

    @Test
    void aCalendarsOwnDeltaSeesOnlyThatCalendar() {
        GraphTestSupport.User u = newUser();
        String work = GraphTestSupport.store()
                .createCalendar(u.account(), "Work", null)
                .id();
        u.graph()
                .me()
                .calendars()
                .byCalendarId(work)
                .events()
                .post(meeting("Work thing", "2026-03-10T10:00:00", "2026-03-10T11:00:00", "UTC"));
        u.graph().me().events().post(meeting("Home thing", "2026-03-10T12:00:00", "2026-03-10T13:00:00", "UTC"));
        var page = u.graph()
                .me()
                .calendars()
                .byCalendarId(work)
                .calendarView()
                .delta()
                .get(rc -> {
                    rc.queryParameters.startDateTime = FROM;
                    rc.queryParameters.endDateTime = TO;
                });
        assertThat(page.getValue()).extracting(Event::getSubject).containsExactly("Work thing");
        assertThat(java.net.URLDecoder.decode(page.getOdataDeltaLink(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("/me/calendars/" + work + "/calendarView/delta?$deltatoken=");
    }

    @Test
    void invalidatedSyncStatesAnswer410SyncStateNotFound() {
        GraphTestSupport.User u = newUser();
        for (int day = 2; day <= 4; day++) {
            u.graph()
                    .me()
                    .events()
                    .post(meeting(
                            "Day " + day, "2026-03-0" + day + "T10:00:00", "2026-03-0" + day + "T11:00:00", "UTC"));
        }
        Round round = fullRound(u, 10);
        DeltaGetResponse firstPage = u.graph().me().calendarView().delta().get(rc -> {
            rc.queryParameters.startDateTime = FROM;
            rc.queryParameters.endDateTime = TO;
            rc.headers.add("Prefer", "odata.maxpagesize=1");
        });
        String calendar = u.graph().me().calendar().get().getId();
        assertThat(control("POST", "/calendars/" + calendar + "/invalidate-delta-tokens", null)
                        .status())
                .isEqualTo(204);

        ODataError gone = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .calendarView()
                        .delta()
                        .withUrl(round.deltaLink())
                        .get());
        assertThat(gone.getResponseStatusCode()).isEqualTo(410);
        assertThat(gone.getError().getCode()).isEqualTo("SyncStateNotFound");
        ODataError nextGone = catchThrowableOfType(
                ODataError.class,
                () -> u.graph()
                        .me()
                        .calendarView()
                        .delta()
                        .withUrl(firstPage.getOdataNextLink())
                        .get());
        assertThat(nextGone.getResponseStatusCode()).isEqualTo(410);

        // a new full sync works again
        assertThat(fullRound(u, 10).items()).hasSize(3);
    }

    @Test
    void theFirstRequestNeedsATimeWindow() {
        GraphTestSupport.User u = newUser();
        var r = call("GET", "/graph/v1.0/me/calendarView/delta", u.token(), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/code").asString()).isEqualTo("ErrorInvalidParameter");
        var unknown = call("GET", "/graph/v1.0/me/calendarView/delta?$deltatoken=nonsense", u.token(), null);
        assertThat(unknown.status()).isEqualTo(410);
    }

    @Test
    void aThrottledDeltaIsRetriedByTheSdkAfterRetryAfter() {
        GraphTestSupport.User u = newUser();
        Faults faults = GraphTestSupport.sandbox().bean(Faults.class);
        FaultRule once = faults.add(new FaultRule(
                null, Provider.MICROSOFT, "GET", "/calendarView/delta", FaultRule.Kind.RATE_LIMIT, 429, 0, 1, 1));
        long started = System.nanoTime();
        DeltaGetResponse page = u.graph().me().calendarView().delta().get(rc -> {
            rc.queryParameters.startDateTime = FROM;
            rc.queryParameters.endDateTime = TO;
        });
        assertThat(page.getOdataDeltaLink()).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(faults.list()).doesNotContain(once);

        // the SDK retries three times: four 429s in a row reach the caller
        faults.add(new FaultRule(
                null, Provider.MICROSOFT, "GET", "/calendarView/delta", FaultRule.Kind.RATE_LIMIT, 429, 0, 1, 4));
        ODataError throttled = catchThrowableOfType(
                ODataError.class,
                () -> u.graph().me().calendarView().delta().get(rc -> {
                    rc.queryParameters.startDateTime = FROM;
                    rc.queryParameters.endDateTime = TO;
                }));
        assertThat(throttled.getResponseStatusCode()).isEqualTo(429);
        assertThat(throttled.getError().getCode()).isEqualTo("TooManyRequests");
        assertThat(faults.list()).noneMatch(r -> "/calendarView/delta".equals(r.pathPattern()));
    }

    /**
     * A weekly series in Berlin time across the start of summer time (2026-03-29): occurrences stay at 09:00 local,
     * so they move from 08:00Z to 07:00Z; the exception replaces its occurrence and the cancelled one is absent.
     */
    @Test
    void aSeriesShowsItsOccurrencesExceptionAndCancellationAcrossDst() {
        GraphTestSupport.User u = newUser();
        var created = control("POST", "/accounts/" + u.id() + "/events", """
                {"subject":"Team sync","start":{"dateTime":"2026-03-16T09:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"2026-03-16T09:30:00","timeZone":"W. Europe Standard Time"},
                 "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["Monday"]},
                               "range":{"type":"endDate","startDate":"2026-03-16","endDate":"2026-04-13"}}}""");
        assertThat(created.status()).isEqualTo(201);
        String master = created.json().get("id").asString();
        var exception = control("POST", "/events/" + master + "/occurrences/2026-03-23T08:00:00Z/exception", """
                {"subject":"Team sync (moved)","start":{"dateTime":"2026-03-23T10:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"2026-03-23T10:30:00","timeZone":"W. Europe Standard Time"}}""");
        assertThat(exception.status()).isEqualTo(200);
        assertThat(control("POST", "/events/" + master + "/occurrences/2026-04-06/cancel", null)
                        .status())
                .isEqualTo(204);

        Round round = fullRound(u, 10);
        List<Event> items = round.items();
        assertThat(items)
                .extracting(e -> e.getStart().getDateTime())
                .containsExactly(
                        "2026-03-16T08:00:00.0000000", "2026-03-23T09:00:00.0000000",
                        "2026-03-30T07:00:00.0000000", "2026-04-13T07:00:00.0000000");
        assertThat(items)
                .extracting(Event::getType)
                .containsExactly(EventType.Occurrence, EventType.Exception, EventType.Occurrence, EventType.Occurrence);
        assertThat(items).allSatisfy(e -> assertThat(e.getSeriesMasterId()).isEqualTo(master));
        assertThat(items.get(1).getSubject()).isEqualTo("Team sync (moved)");
        assertThat(items.get(1).getOriginalStart())
                .isEqualTo(OffsetDateTime.of(2026, 3, 23, 8, 0, 0, 0, ZoneOffset.UTC));
        assertThat(items.get(2).getOriginalStart())
                .isEqualTo(OffsetDateTime.of(2026, 3, 30, 7, 0, 0, 0, ZoneOffset.UTC));

        // in the series' own zone every occurrence is at 09:00
        DeltaGetResponse local = u.graph().me().calendarView().delta().get(rc -> {
            rc.queryParameters.startDateTime = FROM;
            rc.queryParameters.endDateTime = TO;
            rc.headers.add("Prefer", "outlook.timezone=\"W. Europe Standard Time\"");
        });
        assertThat(local.getValue())
                .extracting(e -> e.getStart().getDateTime())
                .containsExactly(
                        "2026-03-16T09:00:00.0000000", "2026-03-23T10:00:00.0000000",
                        "2026-03-30T09:00:00.0000000", "2026-04-13T09:00:00.0000000");

        // ids are stable: the same occurrences through instances
        List<String> instanceIds = u
                .graph()
                .me()
                .events()
                .byEventId(master)
                .instances()
                .get(rc -> {
                    rc.queryParameters.startDateTime = FROM;
                    rc.queryParameters.endDateTime = TO;
                })
                .getValue()
                .stream()
                .map(Event::getId)
                .toList();
        assertThat(instanceIds)
                .containsExactlyElementsOf(items.stream().map(Event::getId).toList());

        // cancelling another occurrence in Outlook shows up as @removed; the rest is unchanged
        assertThat(control("POST", "/events/" + master + "/occurrences/2026-03-30T07:00:00Z/cancel", null)
                        .status())
                .isEqualTo(204);
        Round next = changes(u, round.deltaLink());
        assertThat(next.items()).hasSize(1);
        assertThat(removed(next.items().getFirst())).isTrue();
        assertThat(next.items().getFirst().getId()).isEqualTo(items.get(2).getId());

        // a change to the series reaches its occurrences and the exception (whose subject is its own)
        var patched = control("PATCH", "/events/" + master, "{\"location\":{\"displayName\":\"Room 4\"}}");
        assertThat(patched.status()).isEqualTo(200);
        Round after = changes(u, next.deltaLink());
        assertThat(after.items())
                .extracting(e -> e.getLocation().getDisplayName())
                .containsOnly("Room 4")
                .hasSize(3);
        assertThat(after.items())
                .extracting(Event::getSubject)
                .containsExactly("Team sync", "Team sync (moved)", "Team sync");

        JsonNode raw = call("GET", "/graph/v1.0/me/events/" + items.get(1).getId(), u.token(), null)
                .json();
        assertThat(raw.get("type").asString()).isEqualTo("exception");
        assertThat(raw.get("occurrenceId").asString()).isEqualTo("OID." + master + ".2026-03-23");
    }
}
