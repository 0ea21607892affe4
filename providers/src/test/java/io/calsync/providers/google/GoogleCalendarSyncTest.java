package io.calsync.providers.google;

import static io.calsync.providers.google.GoogleSandbox.control;
import static io.calsync.providers.google.GoogleSandbox.deleteAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.fault;
import static io.calsync.providers.google.GoogleSandbox.patchAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.seedId;
import static io.calsync.providers.google.GoogleSandbox.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.providers.google.GoogleSandbox.Account;
import io.calsync.providers.google.GoogleSandbox.Calls;
import io.calsync.providers.google.GoogleSandbox.Tokens;
import io.calsync.providers.port.AccessTokenSource;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sync passes of the Google adapter against the sandbox's Calendar v3, over HTTP. */
class GoogleCalendarSyncTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

    private Account account;
    private String calendarId;
    private Tokens tokens;
    private Calls calls;

    @BeforeEach
    void newAccount() {
        account = GoogleSandbox.newAccount();
        calendarId = account.email();
        tokens = new Tokens(account);
        calls = Calls.recording();
    }

    private GoogleCalendarSync adapter(int pageSize) {
        return new GoogleCalendarSync(GoogleSandbox.endpoints(), calls.calls(), pageSize);
    }

    private SyncTarget full() {
        return target(calendarId, null, FROM, TO, tokens);
    }

    private SyncTarget incremental(String cursor) {
        return target(calendarId, cursor, FROM, TO, tokens);
    }

    /** What the sink received, page by page. */
    private static final class Pages implements PageSink {
        final List<List<ProviderEvent>> upserts = new ArrayList<>();
        final List<List<String>> removed = new ArrayList<>();

        @Override
        public void accept(List<ProviderEvent> up, List<String> rm) {
            upserts.add(List.copyOf(up));
            removed.add(List.copyOf(rm));
        }

        List<ProviderEvent> allUpserts() {
            return upserts.stream().flatMap(List::stream).toList();
        }

        List<String> allRemoved() {
            return removed.stream().flatMap(List::stream).toList();
        }

        Map<String, ProviderEvent> byId() {
            return allUpserts().stream().collect(Collectors.toMap(ProviderEvent::providerEventId, Function.identity()));
        }
    }

    private static String timedEvent(String title, String start, String end) {
        return """
                {"summary":"%s","start":{"dateTime":"%s"},"end":{"dateTime":"%s"}}
                """.formatted(title, start, end);
    }

    @Test
    void fullPassListsTheWindowPageByPageAndEndsWithASyncToken() {
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String day = LocalDate.of(2026, 3, 1).plusDays(i).toString();
            seeded.add(seedId(calendarId, timedEvent("E" + i, day + "T10:00:00Z", day + "T11:00:00Z")));
        }
        String outside = seedId(calendarId, timedEvent("Later", "2030-05-01T10:00:00Z", "2030-05-01T11:00:00Z"));

        Pages pages = new Pages();
        SyncResult result = adapter(25).sync(full(), pages);

        assertThat(pages.upserts).extracting(List::size).containsExactly(25, 25, 10);
        assertThat(pages.allUpserts())
                .extracting(ProviderEvent::providerEventId)
                .containsExactlyInAnyOrderElementsOf(seeded)
                .doesNotContain(outside);
        assertThat(pages.allRemoved()).isEmpty();
        assertThat(result.full()).isTrue();
        assertThat(result.cursor()).isNotBlank();
        ProviderEvent first = pages.byId().get(seeded.get(0));
        assertThat(first.title()).isEqualTo("E0");
        assertThat(first.startTime()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(first.endTime()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(first.etag()).isNotBlank();
        assertThat(first.providerUpdatedAt()).isNotNull();
        assertThat(calls.sleeps()).isEmpty();
    }

    @Test
    void recurringSeriesWithAMovedAndACancelledInstanceLandsAsMasterOverrideAndCancelledOccurrence() {
        String master = seedId(calendarId, """
                {"summary":"Stand-up",
                 "start":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-03-02T09:15:00+01:00","timeZone":"Europe/Berlin"},
                 "recurrence":["RRULE:FREQ=DAILY;COUNT=5"]}
                """);
        String moved = master + "_20260303T080000Z";
        String cancelled = master + "_20260304T080000Z";
        patchAtGoogle(calendarId, moved, """
                {"summary":"Stand-up (moved)",
                 "start":{"dateTime":"2026-03-03T11:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-03-03T11:15:00+01:00","timeZone":"Europe/Berlin"}}
                """);
        deleteAtGoogle(calendarId, cancelled);

        Pages pages = new Pages();
        adapter(2500).sync(full(), pages);

        Map<String, ProviderEvent> byId = pages.byId();
        assertThat(byId.keySet()).containsExactlyInAnyOrder(master, moved, cancelled);
        assertThat(pages.allRemoved()).isEmpty();

        ProviderEvent series = byId.get(master);
        assertThat(series.recurrence()).containsExactly("RRULE:FREQ=DAILY;COUNT=5");
        assertThat(series.isInstance()).isFalse();
        assertThat(series.timezone()).isEqualTo("Europe/Berlin");
        assertThat(series.startTime()).isEqualTo(Instant.parse("2026-03-02T08:00:00Z"));

        ProviderEvent override = byId.get(moved);
        assertThat(override.providerRecurringId()).isEqualTo(master);
        assertThat(override.originalStartTime()).isEqualTo(Instant.parse("2026-03-03T08:00:00Z"));
        assertThat(override.startTime()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(override.title()).isEqualTo("Stand-up (moved)");
        assertThat(override.status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(override.recurrence()).isNull();

        ProviderEvent gone = byId.get(cancelled);
        assertThat(gone.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(gone.providerRecurringId()).isEqualTo(master);
        assertThat(gone.originalStartTime()).isEqualTo(Instant.parse("2026-03-04T08:00:00Z"));
        assertThat(gone.timezone()).isEqualTo("Europe/Berlin");
    }

    @Test
    void incrementalPassAfterAChangeAtGoogleReturnsOnlyTheChange() {
        String a = seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        seedId(calendarId, timedEvent("B", "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z"));
        seedId(calendarId, timedEvent("C", "2026-04-03T10:00:00Z", "2026-04-03T11:00:00Z"));
        GoogleCalendarSync sync = adapter(2500);
        SyncResult first = sync.sync(full(), new Pages());

        patchAtGoogle(calendarId, a, "{\"summary\":\"A renamed\"}");
        Pages pages = new Pages();
        SyncResult second = sync.sync(incremental(first.cursor()), pages);

        assertThat(pages.allUpserts()).singleElement().satisfies(e -> {
            assertThat(e.providerEventId()).isEqualTo(a);
            assertThat(e.title()).isEqualTo("A renamed");
        });
        assertThat(pages.allRemoved()).isEmpty();
        assertThat(second.full()).isFalse();
        assertThat(second.cursor()).isNotBlank().isNotEqualTo(first.cursor());

        Pages nothing = new Pages();
        sync.sync(incremental(second.cursor()), nothing);
        assertThat(nothing.allUpserts()).isEmpty();
        assertThat(nothing.allRemoved()).isEmpty();
    }

    @Test
    void eventDeletedAtGoogleArrivesAsRemovedId() {
        String keep = seedId(calendarId, timedEvent("Keep", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z"));
        String drop = seedId(calendarId, timedEvent("Drop", "2026-05-02T10:00:00Z", "2026-05-02T11:00:00Z"));
        GoogleCalendarSync sync = adapter(2500);
        SyncResult first = sync.sync(full(), new Pages());

        deleteAtGoogle(calendarId, drop);
        Pages pages = new Pages();
        sync.sync(incremental(first.cursor()), pages);

        assertThat(pages.allRemoved()).containsExactly(drop);
        assertThat(pages.allUpserts()).isEmpty();
        assertThat(pages.allRemoved()).doesNotContain(keep);
    }

    @Test
    void deletedSeriesIsRemovedAndItsOverridesArriveAsCancelledOccurrences() {
        String master = seedId(calendarId, """
                {"summary":"Weekly","start":{"date":"2026-06-01"},"end":{"date":"2026-06-02"},
                 "recurrence":["RRULE:FREQ=WEEKLY;COUNT=4"]}
                """);
        String override = master + "_20260608";
        patchAtGoogle(calendarId, override, "{\"summary\":\"Weekly, special\"}");
        GoogleCalendarSync sync = adapter(2500);
        Pages before = new Pages();
        SyncResult first = sync.sync(full(), before);
        assertThat(before.byId().get(override).originalStartDate()).isEqualTo(LocalDate.parse("2026-06-08"));

        deleteAtGoogle(calendarId, master);
        Pages pages = new Pages();
        sync.sync(incremental(first.cursor()), pages);

        assertThat(pages.allRemoved()).containsExactly(master);
        assertThat(pages.allUpserts()).singleElement().satisfies(e -> {
            assertThat(e.providerEventId()).isEqualTo(override);
            assertThat(e.status()).isEqualTo(EventStatus.CANCELLED);
            assertThat(e.providerRecurringId()).isEqualTo(master);
            assertThat(e.allDay()).isTrue();
            assertThat(e.originalStartDate()).isEqualTo(LocalDate.parse("2026-06-08"));
            assertThat(e.originalStartTime()).isEqualTo(Instant.parse("2026-06-08T00:00:00Z"));
        });
    }

    @Test
    void invalidatedSyncTokenIsSyncStateInvalidAndAFullPassRecovers() {
        String id = seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        GoogleCalendarSync sync = adapter(2500);
        SyncResult first = sync.sync(full(), new Pages());
        control("POST", "/control/google/calendars/" + calendarId + "/invalidate-sync-tokens", null);

        Pages pages = new Pages();
        ProviderException e =
                catchThrowableOfType(ProviderException.class, () -> sync.sync(incremental(first.cursor()), pages));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.SYNC_STATE_INVALID);
        assertThat(e.status()).isEqualTo(410);
        assertThat(e.code()).isEqualTo("fullSyncRequired");
        assertThat(e.getMessage()).doesNotContain(first.cursor());
        assertThat(pages.upserts).isEmpty();
        assertThat(calls.sleeps()).as("not retried").isEmpty();

        Pages again = new Pages();
        SyncResult recovered = sync.sync(incremental(first.cursor()).withoutCursor(), again);
        assertThat(recovered.full()).isTrue();
        assertThat(again.allUpserts())
                .extracting(ProviderEvent::providerEventId)
                .containsExactly(id);
    }

    @Test
    void rateLimitAs403WithRetryAfterIsWaitedOutAndRetried() {
        String id = seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        fault("GET", account.localPart() + ".*/events", "RATE_LIMIT", 403, 7, 1);

        Pages pages = new Pages();
        SyncResult result = adapter(2500).sync(full(), pages);

        assertThat(pages.allUpserts())
                .extracting(ProviderEvent::providerEventId)
                .containsExactly(id);
        assertThat(result.cursor()).isNotBlank();
        assertThat(calls.sleeps())
                .singleElement()
                .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
        assertThat(calls.errors("rateLimitExceeded")).isEqualTo(1.0);
    }

    @Test
    void rateLimitAs429IsRetriedAsOftenAsItComes() {
        seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        fault("GET", account.localPart() + ".*/events", "RATE_LIMIT", 429, 2, 2);

        Pages pages = new Pages();
        adapter(2500).sync(full(), pages);

        assertThat(pages.allUpserts()).hasSize(1);
        assertThat(calls.sleeps())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(2)));
        assertThat(calls.errors("rateLimitExceeded")).isEqualTo(2.0);
    }

    @Test
    void serverErrorIsRetriedAndABadRequestIsNot() {
        seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        fault("GET", account.localPart() + ".*/events", "ERROR", 503, 0, 1);
        Pages pages = new Pages();
        adapter(2500).sync(full(), pages);
        assertThat(pages.allUpserts()).hasSize(1);
        assertThat(calls.sleeps()).hasSize(1);

        fault("GET", account.localPart() + ".*/events", "ERROR", 400, 0, 1);
        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> adapter(2500).sync(full(), new Pages()));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(e.status()).isEqualTo(400);
        assertThat(calls.sleeps()).as("a 400 is not retried").hasSize(1);
    }

    @Test
    void expiredAccessTokenIsRefreshedExactlyOnce() {
        String id = seedId(calendarId, timedEvent("A", "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z"));
        control("POST", "/control/accounts/" + account.id() + "/expire-access-tokens", null);

        Pages pages = new Pages();
        adapter(2500).sync(full(), pages);

        assertThat(tokens.refreshes.get()).isEqualTo(1);
        assertThat(pages.allUpserts())
                .extracting(ProviderEvent::providerEventId)
                .containsExactly(id);
    }

    @Test
    void aTokenRefusedAgainAfterTheRefreshIsUnauthorizedWithoutTheTokenInTheMessage() {
        String refused = "ya29.refused-" + account.localPart();
        int[] refreshes = {0};
        AccessTokenSource dead = new AccessTokenSource() {
            @Override
            public String current() {
                return refused;
            }

            @Override
            public String refreshed() {
                refreshes[0]++;
                return refused;
            }
        };

        ProviderException e = catchThrowableOfType(
                ProviderException.class,
                () -> adapter(2500).sync(target(calendarId, null, FROM, TO, dead), new Pages()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAUTHORIZED);
        assertThat(e.status()).isEqualTo(401);
        assertThat(refreshes[0]).isEqualTo(1);
        assertThat(e.getMessage()).doesNotContain(refused).contains("events.list");
    }

    @Test
    void calendarZoneAndDefaultRemindersComeFromTheListPage() {
        // The primary calendar's zone, set as the user would in Google's settings.
        control("POST", "/control/google/accounts/" + account.id() + "/calendars", """
                {"primary":true,"timeZone":"Europe/Berlin"}
                """);
        String allDay = seedId(calendarId, """
                {"summary":"Offsite","start":{"date":"2026-07-01"},"end":{"date":"2026-07-03"}}
                """);
        String overridden = seedId(calendarId, """
                {"summary":"Dentist","start":{"dateTime":"2026-07-05T08:00:00Z"},"end":{"dateTime":"2026-07-05T09:00:00Z"},
                 "reminders":{"useDefault":false,"overrides":[{"method":"email","minutes":1440}]}}
                """);

        Pages pages = new Pages();
        adapter(2500).sync(full(), pages);

        ProviderEvent offsite = pages.byId().get(allDay);
        assertThat(offsite.allDay()).isTrue();
        assertThat(offsite.startDate()).isEqualTo(LocalDate.parse("2026-07-01"));
        assertThat(offsite.endDate()).isEqualTo(LocalDate.parse("2026-07-03"));
        assertThat(offsite.startTime()).isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
        assertThat(offsite.endTime()).isEqualTo(Instant.parse("2026-07-03T00:00:00Z"));
        assertThat(offsite.timezone()).isEqualTo("Europe/Berlin");
        // The sandbox's primary calendars default to one popup 30 minutes before, as new Google calendars do.
        assertThat(offsite.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 30));

        assertThat(pages.byId().get(overridden).reminders())
                .containsExactly(new ProviderEvent.Reminder(ReminderMethod.EMAIL, 1440));
    }
}
