package io.calsync.providers.caldav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.Availability;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.http.SafeFetchProperties;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.port.AccessTokenSource;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import io.calsync.testsupport.Radicale;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CalDAV adapter against a real Radicale (Debian's package, started by test-support): discovery with right and
 * wrong passwords and at a URL without CalDAV, an initial sync of a series with overrides and an all-day event,
 * incremental sync of changes made directly at the server, every write with its echo, a 412 race, an expired sync
 * token, a refused password, and the guard on server URLs.
 */
class CalDavRadicaleIT {

    static final String SERIES = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Phone//Calendar 1.0//EN\r
            BEGIN:VTIMEZONE\r
            TZID:Europe/Berlin\r
            BEGIN:STANDARD\r
            DTSTART:19701025T030000\r
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:19700329T020000\r
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            UID:standup-series@phone\r
            DTSTAMP:20261101T090000Z\r
            DTSTART;TZID=Europe/Berlin:20261102T100000\r
            DTEND;TZID=Europe/Berlin:20261102T101500\r
            RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10\r
            SUMMARY:Standup\r
            X-PHONE-COLOR:teal\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:standup-series@phone\r
            DTSTAMP:20261101T090000Z\r
            RECURRENCE-ID;TZID=Europe/Berlin:20261109T100000\r
            DTSTART;TZID=Europe/Berlin:20261109T110000\r
            DTEND;TZID=Europe/Berlin:20261109T111500\r
            SUMMARY:Standup (moved)\r
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
            DTEND;VALUE=DATE:20261227\r
            SUMMARY:Holidays\r
            TRANSP:TRANSPARENT\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    static final String SINGLE = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Phone//Calendar 1.0//EN\r
            BEGIN:VEVENT\r
            UID:dentist@phone\r
            DTSTAMP:20261101T090000Z\r
            DTSTART:20261203T140000Z\r
            DTEND:20261203T150000Z\r
            SUMMARY:Dentist\r
            LOCATION:Main St 1\\, Berlin\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    static Radicale radicale;
    static SafeHttpFetcher fetcher;
    static CalDavClient client;
    static HttpServer notDav;

    Radicale.Account account;
    String work;
    CalDavCalendars adapter;

    @BeforeAll
    static void server() throws Exception {
        radicale = Radicale.shared();
        fetcher = new SafeHttpFetcher(new SsrfGuard(true), SafeFetchProperties.defaults(true));
        client = new CalDavClient(fetcher);
        notDav = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        notDav.createContext("/", exchange -> {
            byte[] body = "<html>hello</html>".getBytes();
            exchange.sendResponseHeaders(
                    exchange.getRequestURI().getPath().contains("well-known") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        notDav.start();
    }

    @AfterAll
    static void close() throws Exception {
        fetcher.close();
        notDav.stop(0);
    }

    @BeforeEach
    void account() {
        account = radicale.newAccount();
        work = radicale.makeCalendar(account, "work", "Work", "#FF2968FF");
        adapter = new CalDavCalendars(
                CalendarProvider.CALDAV,
                client,
                new IcsParser(),
                new ProviderCalls(new SimpleMeterRegistry(), 2, Duration.ofMillis(10), Duration.ofMillis(20), d -> {}),
                Clock.systemUTC());
    }

    // ---------------------------------------------------------------------------------------------- discovery

    @Test
    void discoveryFindsTheEventCalendarsThroughTheWellKnownUrlAndThePrincipal() {
        radicale.makeCalendar(account, "home", "Home", null);
        radicale.makeTaskList(account, "tasks");
        ProviderAccount found =
                new CalDavDiscovery(client).discover(radicale.url(), account.username(), account.password());
        assertThat(found.email()).isEqualTo(account.username());
        Map<String, ProviderAccount.OfferedCalendar> byName = found.calendars().stream()
                .collect(Collectors.toMap(ProviderAccount.OfferedCalendar::name, Function.identity()));
        assertThat(byName).containsOnlyKeys("Work", "Home"); // not the to-do list
        assertThat(byName.get("Work").id()).isEqualTo(work);
        assertThat(byName.get("Work").color()).isEqualTo("#ff2968");
        assertThat(byName.get("Work").accessRole()).isEqualTo("owner");
        assertThat(found.calendars().stream().filter(ProviderAccount.OfferedCalendar::isPrimary))
                .hasSize(1);
    }

    @Test
    void aWrongPasswordIsAuthFailedAndAUrlWithoutCalDavIsNotFound() {
        CalDavDiscovery discovery = new CalDavDiscovery(client);
        assertThatThrownBy(() -> discovery.discover(radicale.url(), account.username(), "wrong"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("CALDAV_AUTH_FAILED"));
        String plainWeb = "http://127.0.0.1:" + notDav.getAddress().getPort() + "/";
        assertThatThrownBy(() -> discovery.discover(plainWeb, "someone", "secret"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("CALDAV_NOT_FOUND"));
    }

    @Test
    void theServerUrlGoesThroughTheGuard() {
        // The production guard: loopback is the server's own network.
        try (SafeHttpFetcher strict = new SafeHttpFetcher(new SsrfGuard(false), SafeFetchProperties.defaults(false))) {
            CalDavDiscovery discovery = new CalDavDiscovery(new CalDavClient(strict));
            for (String url : List.of(radicale.url(), "http://169.254.169.254/", "file:///etc/passwd")) {
                assertThatThrownBy(() -> discovery.discover(url, account.username(), account.password()))
                        .as(url)
                        .isInstanceOfSatisfying(
                                ProviderException.class,
                                e -> assertThat(e.code()).isEqualTo("URL_NOT_ALLOWED"));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // A password never goes over plain http to another machine.
        assertThatThrownBy(() -> client.requireSecure("http://caldav.example.com/"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("URL_NOT_ALLOWED"));
        assertThat(client.requireSecure("https://caldav.example.com/").getScheme())
                .isEqualTo("https");
    }

    // --------------------------------------------------------------------------------------------------- sync

    @Test
    void initialSyncReadsASeriesWithItsOverrideAnAllDayEventAndASingleOne() {
        radicale.put(account, work + "standup.ics", SERIES);
        radicale.put(account, work + "holiday.ics", ALL_DAY);
        radicale.put(account, work + "dentist.ics", SINGLE);
        Pages pages = new Pages();
        SyncResult result = adapter.sync(target(null), pages::accept);
        assertThat(result.full()).isTrue();
        assertThat(result.cursor()).startsWith("sync:");
        Map<String, ProviderEvent> events = pages.byId();
        assertThat(events)
                .containsOnlyKeys("standup.ics", "standup.ics_20261109T090000Z", "holiday.ics", "dentist.ics");
        ProviderEvent series = events.get("standup.ics");
        assertThat(series.recurrenceRule().split(";")).containsExactlyInAnyOrder("FREQ=WEEKLY", "BYDAY=MO", "COUNT=10");
        assertThat(series.timezone()).isEqualTo("Europe/Berlin");
        assertThat(series.startTime()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(series.etag()).isEqualTo(radicale.etag(account, work + "standup.ics"));
        ProviderEvent moved = events.get("standup.ics_20261109T090000Z");
        assertThat(moved.providerRecurringId()).isEqualTo("standup.ics");
        assertThat(moved.originalStartTime()).isEqualTo(Instant.parse("2026-11-09T09:00:00Z"));
        assertThat(moved.startTime()).isEqualTo(Instant.parse("2026-11-09T10:00:00Z"));
        assertThat(moved.title()).isEqualTo("Standup (moved)");
        ProviderEvent holiday = events.get("holiday.ics");
        assertThat(holiday.allDay()).isTrue();
        assertThat(holiday.startDate()).isEqualTo(LocalDate.of(2026, 12, 24));
        assertThat(holiday.endDate()).isEqualTo(LocalDate.of(2026, 12, 27));
        assertThat(holiday.availability()).isEqualTo(Availability.FREE);
        assertThat(events.get("dentist.ics").location()).isEqualTo("Main St 1, Berlin");
    }

    @Test
    void incrementalSyncSeesChangesMadeDirectlyAtTheServer() {
        radicale.put(account, work + "standup.ics", SERIES);
        radicale.put(account, work + "dentist.ics", SINGLE);
        SyncResult first = adapter.sync(target(null), new Pages()::accept);

        radicale.put(account, work + "dentist.ics", SINGLE.replace("SUMMARY:Dentist", "SUMMARY:Dentist (new time)"));
        radicale.delete(account, work + "standup.ics");
        radicale.put(account, work + "holiday.ics", ALL_DAY);

        Pages pages = new Pages();
        SyncResult second = adapter.sync(target(first.cursor()), pages::accept);
        assertThat(second.full()).isFalse();
        assertThat(second.cursor()).startsWith("sync:").isNotEqualTo(first.cursor());
        assertThat(pages.byId()).containsOnlyKeys("dentist.ics", "holiday.ics");
        assertThat(pages.byId().get("dentist.ics").title()).isEqualTo("Dentist (new time)");
        assertThat(pages.removed).containsExactly("standup.ics");

        Pages nothing = new Pages();
        SyncResult third = adapter.sync(target(second.cursor()), nothing::accept);
        assertThat(nothing.events).isEmpty();
        assertThat(nothing.removed).isEmpty();
        assertThat(third.cursor()).isEqualTo(second.cursor());
    }

    @Test
    void aSyncTokenTheServerNoLongerKnowsAsksForAFullSync() {
        radicale.put(account, work + "dentist.ics", SINGLE);
        assertThatThrownBy(() -> adapter.sync(target("sync:http://radicale.org/ns/sync/0000"), new Pages()::accept))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.SYNC_STATE_INVALID));
    }

    @Test
    void aRefusedPasswordAsksTheTokenSourceOnceThenFails() {
        AtomicInteger refreshed = new AtomicInteger();
        SyncTarget wrong = new SyncTarget(
                UUID.randomUUID(),
                CalendarProvider.CALDAV,
                work,
                account.username(),
                null,
                null,
                null,
                null,
                Instant.now().minus(Duration.ofDays(365)),
                Instant.now().plus(Duration.ofDays(730)),
                new AccessTokenSource() {
                    @Override
                    public String current() {
                        return "wrong";
                    }

                    @Override
                    public String refreshed() {
                        refreshed.incrementAndGet();
                        return "still wrong";
                    }
                });
        assertThatThrownBy(() -> adapter.sync(wrong, new Pages()::accept))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAUTHORIZED));
        assertThat(refreshed).hasValue(1);
    }

    // ------------------------------------------------------------------------------------------------ writing

    @Test
    void aCreateIsOneResourceEvenWhenRetriedAndItsEchoCarriesTheSameIdAndEtag() {
        SyncResult start = adapter.sync(target(null), new Pages()::accept);
        UUID local = UUID.randomUUID();
        ProviderEvent e = event(null, "Lunch with Ana", Instant.parse("2026-12-10T12:00:00Z"), "Europe/Berlin");
        ProviderWriter.Written w = adapter.create(target(null), local, e);
        ProviderWriter.Written again = adapter.create(target(null), local, e); // the answer to the first was lost
        assertThat(w.providerEventId()).isEqualTo(local + ".ics");
        assertThat(again.providerEventId()).isEqualTo(w.providerEventId());
        assertThat(again.etag()).isEqualTo(w.etag());
        assertThat(radicale.members(account, work)).hasSize(1);
        String stored = radicale.get(account, work + local + ".ics");
        assertThat(stored).contains("DTSTART;TZID=Europe/Berlin:20261210T130000", "BEGIN:VTIMEZONE", "UID:" + local);

        Pages echo = new Pages();
        adapter.sync(target(start.cursor()), echo::accept);
        ProviderEvent back = echo.byId().get(w.providerEventId());
        assertThat(back.etag()).isEqualTo(w.etag());
        assertThat(back.title()).isEqualTo("Lunch with Ana");
        assertThat(back.startTime()).isEqualTo(e.startTime());
        assertThat(back.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 15));
        assertThat(back.attendees())
                .extracting(ProviderEvent.Attendee::email, ProviderEvent.Attendee::responseStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("ana@example.com", RsvpStatus.NEEDS_ACTION));
    }

    @Test
    void anUpdateKeepsWhatWeDoNotModelAndAStaleEtagIsAPreconditionFailure() {
        radicale.put(account, work + "standup.ics", SERIES);
        Pages pages = new Pages();
        adapter.sync(target(null), pages::accept);
        ProviderEvent series = pages.byId().get("standup.ics");
        String etag = series.etag();

        // Another client edits the series first: our edit based on the old etag is refused (412).
        radicale.put(account, work + "standup.ics", SERIES.replace("SUMMARY:Standup\r", "SUMMARY:Daily standup\r"));
        ProviderEvent renamed = retitled(series, "Team standup");
        assertThatThrownBy(() -> adapter.update(target(null), renamed, etag))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED));
        ProviderEvent current = adapter.get(target(null), "standup.ics");
        assertThat(current.title()).isEqualTo("Daily standup");

        ProviderWriter.Written w = adapter.update(target(null), renamed, current.etag());
        assertThat(w.etag()).isNotEqualTo(current.etag()).isEqualTo(radicale.etag(account, work + "standup.ics"));
        String stored = radicale.get(account, work + "standup.ics");
        assertThat(stored)
                .contains("SUMMARY:Team standup", "X-PHONE-COLOR:teal", "RRULE:FREQ=WEEKLY", "COUNT=10")
                .contains("SUMMARY:Standup (moved)"); // the override is still there
    }

    @Test
    void occurrenceEditsAreWrittenIntoTheSeriesResource() {
        radicale.put(account, work + "standup.ics", SERIES);
        Pages pages = new Pages();
        SyncResult start = adapter.sync(target(null), pages::accept);
        ProviderEvent series = pages.byId().get("standup.ics");

        // Move the 16 November occurrence (a new override) ...
        ProviderEvent occurrence = override(series, Instant.parse("2026-11-16T09:00:00Z"), "Standup at 12", 3);
        ProviderWriter.Written moved = adapter.create(target(null), UUID.randomUUID(), occurrence);
        assertThat(moved.providerEventId()).isEqualTo("standup.ics_20261116T090000Z");
        // ... and cancel the 23 November one.
        ProviderEvent cancelled = withStatus(
                override(series, Instant.parse("2026-11-23T09:00:00Z"), "Standup", 0), EventStatus.CANCELLED);
        adapter.create(target(null), UUID.randomUUID(), cancelled);
        // Delete the existing override of 9 November: the occurrence goes.
        adapter.delete(target(null), "standup.ics_20261109T090000Z", null);

        String stored = radicale.get(account, work + "standup.ics");
        assertThat(stored).contains("RECURRENCE-ID:20261116T090000Z", "SUMMARY:Standup at 12");
        assertThat(stored).contains("EXDATE:20261123T090000Z", "EXDATE:20261109T090000Z");
        assertThat(stored).doesNotContain("Standup (moved)");
        assertThat(radicale.members(account, work)).hasSize(1);

        Pages echo = new Pages();
        adapter.sync(target(start.cursor()), echo::accept);
        assertThat(echo.byId()).containsOnlyKeys("standup.ics", "standup.ics_20261116T090000Z");
        assertThat(echo.byId().get("standup.ics_20261116T090000Z").startTime())
                .isEqualTo(Instant.parse("2026-11-16T12:00:00Z"));
        assertThat(echo.byId().get("standup.ics").recurrence())
                .anyMatch(l -> l.startsWith("EXDATE") && l.contains("20261123T090000Z"));
    }

    @Test
    void aDeleteRemovesTheResourceAndAStaleOneIsRefused() {
        String etag = radicale.put(account, work + "dentist.ics", SINGLE);
        radicale.put(account, work + "dentist.ics", SINGLE.replace("Dentist", "Dentist!"));
        assertThatThrownBy(() -> adapter.delete(target(null), "dentist.ics", etag))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.PRECONDITION_FAILED));
        adapter.delete(target(null), "dentist.ics", radicale.etag(account, work + "dentist.ics"));
        assertThat(radicale.get(account, work + "dentist.ics")).isNull();
        adapter.delete(target(null), "dentist.ics", null); // already gone: not an error
        assertThat(adapter.get(target(null), "dentist.ics")).isNull();
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    SyncTarget target(String cursor) {
        return new SyncTarget(
                UUID.randomUUID(),
                CalendarProvider.CALDAV,
                work,
                account.username(),
                null,
                cursor,
                null,
                null,
                Instant.now().minus(Duration.ofDays(365)),
                Instant.now().plus(Duration.ofDays(730)),
                new AccessTokenSource() {
                    @Override
                    public String current() {
                        return account.password();
                    }

                    @Override
                    public String refreshed() {
                        return account.password();
                    }
                });
    }

    static final class Pages {
        final List<ProviderEvent> events = new ArrayList<>();
        final List<String> removed = new ArrayList<>();

        void accept(List<ProviderEvent> upserts, List<String> removedIds) {
            events.addAll(upserts);
            removed.addAll(removedIds);
        }

        Map<String, ProviderEvent> byId() {
            return events.stream().collect(Collectors.toMap(ProviderEvent::providerEventId, Function.identity()));
        }
    }

    static ProviderEvent event(String id, String title, Instant start, String zone) {
        return new ProviderEvent(
                id,
                null,
                title,
                "Bring, the; notes\nline two",
                null,
                start,
                start.plus(Duration.ofHours(1)),
                false,
                null,
                null,
                zone,
                EventStatus.CONFIRMED,
                null,
                null,
                null,
                null,
                "me@example.com",
                null,
                null,
                null,
                null,
                List.of(new ProviderEvent.Attendee(
                        "ana@example.com", "Ana, Ph.D.", RsvpStatus.NEEDS_ACTION, false, false)),
                List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, 15)),
                Availability.BUSY);
    }

    static ProviderEvent retitled(ProviderEvent e, String title) {
        return e.withTitleAndStatus(title, e.status());
    }

    static ProviderEvent override(ProviderEvent series, Instant originalStart, String title, int hoursLater) {
        Instant start = originalStart.plus(Duration.ofHours(hoursLater));
        return new ProviderEvent(
                null,
                series.iCalUid(),
                title,
                null,
                null,
                start,
                start.plus(Duration.ofMinutes(15)),
                false,
                null,
                null,
                series.timezone(),
                EventStatus.CONFIRMED,
                null,
                series.providerEventId(),
                originalStart,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                Availability.BUSY);
    }

    static ProviderEvent withStatus(ProviderEvent e, EventStatus status) {
        return e.withTitleAndStatus(e.title(), status);
    }
}
