package io.calsync.providers.microsoft;

import static io.calsync.providers.microsoft.GraphSandbox.cancelOccurrence;
import static io.calsync.providers.microsoft.GraphSandbox.deleteInOutlook;
import static io.calsync.providers.microsoft.GraphSandbox.makeException;
import static io.calsync.providers.microsoft.GraphSandbox.newAccount;
import static io.calsync.providers.microsoft.GraphSandbox.patchInOutlook;
import static io.calsync.providers.microsoft.GraphSandbox.seed;
import static io.calsync.providers.microsoft.GraphSandbox.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.microsoft.GraphSandbox.Account;
import io.calsync.providers.microsoft.GraphSandbox.Calls;
import io.calsync.providers.microsoft.GraphSandbox.Pages;
import io.calsync.providers.microsoft.GraphSandbox.Tokens;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GraphCalendarSync} against the sandbox's Graph: full passes over several delta pages, incremental passes by
 * delta link, series as masters plus instances, and the failures the shared retry policy has to ride out.
 */
class GraphCalendarSyncTest {

    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-05-01T00:00:00Z");

    private final Calls calls = Calls.recording();

    @AfterEach
    void clearFaults() {
        GraphSandbox.clearFaults();
    }

    private GraphCalendarSync sync(int pageSize) {
        return new GraphCalendarSync(GraphSandbox.endpoints(), calls.calls(), pageSize);
    }

    /** The demo mailbox's shape: a weekly 1:1 in Pacific time with one exception and one cancelled occurrence. */
    private record Seeded(Account account, String seriesId, String meetingId, String allDayId) {}

    private static Seeded seedMailbox() {
        Account a = newAccount();
        String series = seed(a, """
                        {"subject":"1:1 with Morgan","isReminderOn":true,"reminderMinutesBeforeStart":10,
                         "start":{"dateTime":"2026-03-03T10:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-03-03T10:30:00","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                                       "range":{"type":"noEnd","startDate":"2026-03-03"}}}""").get("id").stringValue();
        // 10 March, after the switch to daylight time (8 March): 10:00 PDT is 17:00Z; moved to Wednesday 11:00
        makeException(series, "2026-03-10T17:00:00Z", """
                {"subject":"1:1 with Morgan (moved)",
                 "start":{"dateTime":"2026-03-11T11:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2026-03-11T11:30:00","timeZone":"Pacific Standard Time"}}""");
        cancelOccurrence(series, "2026-03-17T17:00:00Z");
        String meeting = seed(a, """
                        {"subject":"Quarterly planning","body":{"contentType":"html",
                           "content":"<html><head><style>p{}</style></head><body><p>Agenda &amp; notes</p><p>Room 4</p></body></html>"},
                         "location":{"displayName":"Room 4"},"showAs":"tentative",
                         "start":{"dateTime":"2026-03-05T14:00:00","timeZone":"W. Europe Standard Time"},
                         "end":{"dateTime":"2026-03-05T15:30:00","timeZone":"W. Europe Standard Time"},
                         "attendees":[{"type":"optional","emailAddress":{"address":"morgan@outlook.test","name":"Morgan"},
                                       "status":{"response":"declined"}}]}""").get("id").stringValue();
        String allDay = seed(a, """
                        {"subject":"Team offsite","isAllDay":true,"isReminderOn":false,
                         "start":{"dateTime":"2026-03-20T00:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-03-22T00:00:00","timeZone":"Pacific Standard Time"}}""").get("id").stringValue();
        return new Seeded(a, series, meeting, allDay);
    }

    @Test
    void aFullPassOverSeveralPagesLandsTheSeriesAsMasterAndInstances() {
        Seeded s = seedMailbox();
        Pages pages = new Pages();

        SyncResult result = sync(3).sync(target(s.account(), null, FROM, TO, new Tokens(s.account())), pages);

        assertThat(result.full()).isTrue();
        assertThat(result.cursor()).contains("$deltatoken=");
        assertThat(pages.pages).as("ten events at three a page").hasSize(4);
        List<ProviderEvent> all = pages.upserts();
        // the master, 8 of the 9 Tuesdays (one cancelled, one moved), the meeting and the all-day event
        assertThat(all).hasSize(11);

        List<ProviderEvent> masters =
                all.stream().filter(e -> e.recurrence() != null).toList();
        assertThat(masters).hasSize(1);
        ProviderEvent master = masters.getFirst();
        assertThat(master.providerEventId()).isEqualTo(s.seriesId());
        assertThat(master.recurrence())
                .containsExactly("RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=SU", "EXDATE:20260317T170000Z");
        assertThat(master.timezone()).isEqualTo("America/Los_Angeles");
        assertThat(master.startTime()).isEqualTo(Instant.parse("2026-03-03T18:00:00Z")); // PST, before the switch
        assertThat(master.reminders()).containsExactly(new ProviderEvent.Reminder(ReminderMethod.POPUP, 10));
        // the master comes on the page of its first instance, ahead of it
        Pages.Page first = pages.pages.getFirst();
        assertThat(first.upserts().getFirst().providerEventId()).isEqualTo(s.seriesId());

        List<ProviderEvent> instances =
                all.stream().filter(ProviderEvent::isInstance).toList();
        assertThat(instances).hasSize(8).allSatisfy(i -> {
            assertThat(i.providerRecurringId()).isEqualTo(s.seriesId());
            assertThat(i.timezone()).isEqualTo("America/Los_Angeles");
        });
        assertThat(instances.stream().map(ProviderEvent::originalStartTime))
                .doesNotContain(Instant.parse("2026-03-17T17:00:00Z"))
                .contains(Instant.parse("2026-03-24T17:00:00Z"), Instant.parse("2026-04-28T17:00:00Z"));
        ProviderEvent moved = instances.stream()
                .filter(i -> i.originalStartTime().equals(Instant.parse("2026-03-10T17:00:00Z")))
                .findFirst()
                .orElseThrow();
        assertThat(moved.startTime()).isEqualTo(Instant.parse("2026-03-11T18:00:00Z"));
        assertThat(moved.title()).isEqualTo("1:1 with Morgan (moved)");
        ProviderEvent plain = instances.stream()
                .filter(i -> i.originalStartTime().equals(Instant.parse("2026-03-24T17:00:00Z")))
                .findFirst()
                .orElseThrow();
        assertThat(plain.startTime()).isEqualTo(plain.originalStartTime());

        ProviderEvent meeting = pages.upsert(s.meetingId());
        assertThat(meeting.startTime()).isEqualTo(Instant.parse("2026-03-05T13:00:00Z"));
        assertThat(meeting.timezone()).isEqualTo("Europe/Berlin");
        assertThat(meeting.status()).isEqualTo(EventStatus.TENTATIVE);
        assertThat(meeting.description()).isEqualTo("Agenda & notes\nRoom 4");
        assertThat(meeting.location()).isEqualTo("Room 4");
        assertThat(meeting.organizerEmail()).isEqualTo(s.account().email());
        assertThat(meeting.attendees())
                .containsExactly(
                        new ProviderEvent.Attendee("morgan@outlook.test", "Morgan", RsvpStatus.DECLINED, true, false));
        assertThat(meeting.etag()).isNotBlank();
        assertThat(meeting.providerUpdatedAt()).isNotNull();

        ProviderEvent offsite = pages.upsert(s.allDayId());
        assertThat(offsite.allDay()).isTrue();
        assertThat(offsite.startDate()).isEqualTo(LocalDate.of(2026, 3, 20));
        assertThat(offsite.endDate()).isEqualTo(LocalDate.of(2026, 3, 22));
        assertThat(offsite.startTime()).isEqualTo(Instant.parse("2026-03-20T00:00:00Z"));
        assertThat(offsite.reminders()).isEmpty();
        assertThat(pages.removed()).isEmpty();
    }

    @Test
    void anIncrementalPassAfterAChangeReturnsOnlyTheChange() {
        Seeded s = seedMailbox();
        Tokens tokens = new Tokens(s.account());
        SyncResult full = sync(3).sync(target(s.account(), null, FROM, TO, tokens), new Pages());

        patchInOutlook(s.meetingId(), """
                {"subject":"Quarterly planning (new room)"}""");
        Pages pages = new Pages();
        SyncResult next = sync(3).sync(target(s.account(), full.cursor(), FROM, TO, tokens), pages);

        assertThat(next.full()).isFalse();
        assertThat(next.cursor()).isNotBlank().isNotEqualTo(full.cursor());
        assertThat(pages.upserts()).singleElement().satisfies(e -> {
            assertThat(e.providerEventId()).isEqualTo(s.meetingId());
            assertThat(e.title()).isEqualTo("Quarterly planning (new room)");
        });
        assertThat(pages.removed()).isEmpty();

        Pages nothing = new Pages();
        sync(3).sync(target(s.account(), next.cursor(), FROM, TO, tokens), nothing);
        assertThat(nothing.upserts()).isEmpty();
        assertThat(nothing.removed()).isEmpty();
    }

    @Test
    void deletedEventsAndCancelledOccurrencesBecomeRemovedIds() {
        Seeded s = seedMailbox();
        Tokens tokens = new Tokens(s.account());
        Pages before = new Pages();
        SyncResult full = sync(50).sync(target(s.account(), null, FROM, TO, tokens), before);
        String occurrenceId = before.upserts().stream()
                .filter(e -> Instant.parse("2026-03-24T17:00:00Z").equals(e.originalStartTime()))
                .findFirst()
                .orElseThrow()
                .providerEventId();

        deleteInOutlook(s.meetingId());
        cancelOccurrence(s.seriesId(), "2026-03-24T17:00:00Z");
        Pages pages = new Pages();
        sync(50).sync(target(s.account(), full.cursor(), FROM, TO, tokens), pages);

        assertThat(pages.removed()).containsExactlyInAnyOrder(s.meetingId(), occurrenceId);
        assertThat(pages.upserts()).isEmpty();
    }

    @Test
    void aSeriesWhoseMasterIsGoneIsRemovedWithItsInstances() {
        Seeded s = seedMailbox();
        // the master vanishes between the delta page and its read
        String path = Pattern.quote("/me/events/" + URLEncoder.encode(s.seriesId(), StandardCharsets.UTF_8)) + "$";
        GraphSandbox.fault("GET", path, "ERROR", 404, 0, 1);
        Pages pages = new Pages();

        sync(50).sync(target(s.account(), null, FROM, TO, new Tokens(s.account())), pages);

        assertThat(pages.removed()).containsExactly(s.seriesId());
        assertThat(pages.upserts())
                .extracting(ProviderEvent::providerEventId)
                .containsExactlyInAnyOrder(s.meetingId(), s.allDayId());
    }

    @Test
    void invalidatedDeltaTokensAreSyncStateInvalid() {
        Seeded s = seedMailbox();
        Tokens tokens = new Tokens(s.account());
        SyncResult full = sync(50).sync(target(s.account(), null, FROM, TO, tokens), new Pages());

        GraphSandbox.invalidateDeltaTokens(s.account());
        ProviderException e = catchThrowableOfType(
                ProviderException.class,
                () -> sync(50).sync(target(s.account(), full.cursor(), FROM, TO, tokens), new Pages()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.SYNC_STATE_INVALID);
        assertThat(e.status()).isEqualTo(410);
        assertThat(e.code()).isEqualTo("SyncStateNotFound");
        assertThat(e.getMessage()).doesNotContain(tokens.current()).doesNotContain("deltatoken");
        assertThat(calls.sleeps()).as("not retried").isEmpty();
    }

    @Test
    void aDeltaLinkOutsideTheGraphBaseUrlIsDroppedWithoutSendingTheToken() {
        Account a = newAccount();
        Tokens tokens = new Tokens(a);
        String foreign = "https://graph.example.test/v1.0/me/calendarView/delta?$deltatoken=abc";

        ProviderException e = catchThrowableOfType(
                ProviderException.class, () -> sync(50).sync(target(a, foreign, FROM, TO, tokens), new Pages()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.SYNC_STATE_INVALID);
    }

    @Test
    void aBurstOf429WithRetryAfterIsSurvived() {
        Seeded s = seedMailbox();
        GraphSandbox.fault("GET", "calendarView/delta", "RATE_LIMIT", 429, 7, 3);
        Pages pages = new Pages();

        SyncResult result = sync(50).sync(target(s.account(), null, FROM, TO, new Tokens(s.account())), pages);

        assertThat(result.cursor()).isNotBlank();
        assertThat(pages.upserts()).hasSize(11);
        assertThat(calls.sleeps())
                .hasSize(3)
                .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void anExpiredAccessTokenIsRefreshedExactlyOnce() {
        Seeded s = seedMailbox();
        Tokens tokens = new Tokens(s.account());
        GraphSandbox.expireAccessTokens(s.account());

        Pages pages = new Pages();
        SyncResult result = sync(3).sync(target(s.account(), null, FROM, TO, tokens), pages);

        assertThat(result.cursor()).isNotBlank();
        assertThat(pages.upserts()).hasSize(11);
        assertThat(tokens.refreshes).hasValue(1);
    }

    @Test
    void aServerErrorIsRetriedAndAnotherClientErrorIsNot() {
        Seeded s = seedMailbox();
        GraphSandbox.fault("GET", "calendarView/delta", "ERROR", 502, 0, 2);
        SyncResult ok = sync(50).sync(target(s.account(), null, FROM, TO, new Tokens(s.account())), new Pages());
        assertThat(ok.cursor()).isNotBlank();
        assertThat(calls.sleeps()).hasSize(2);

        GraphSandbox.fault("GET", "calendarView/delta", "ERROR", 403, 0, 1);
        ProviderException e = catchThrowableOfType(
                ProviderException.class,
                () -> sync(50).sync(target(s.account(), null, FROM, TO, new Tokens(s.account())), new Pages()));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
        assertThat(e.status()).isEqualTo(403);
        assertThat(calls.sleeps()).hasSize(2);
    }

    /**
     * Every pattern kind, read from Graph and expanded as RFC 5545 (ical4j) over the window, gives exactly the
     * occurrences Graph lists, so the engine's expansion of the master agrees with Outlook; also where Outlook moves
     * a missing 31st or 29 February to the month's last day.
     */
    @Test
    void everyPatternKindExpandsToTheOccurrencesGraphLists() {
        Account a = newAccount();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2027-01-01T00:00:00Z");
        String[] series = {
            series("daily, every third, ten times", "2026-03-02T09:00:00", "W. Europe Standard Time", """
                    {"pattern":{"type":"daily","interval":3},
                     "range":{"type":"numbered","startDate":"2026-03-02","numberOfOccurrences":10}}"""),
            series("every other Monday and Thursday", "2026-03-02T08:30:00", "Pacific Standard Time", """
                    {"pattern":{"type":"weekly","interval":2,"daysOfWeek":["monday","thursday"],"firstDayOfWeek":"sunday"},
                     "range":{"type":"endDate","startDate":"2026-03-02","endDate":"2026-06-30"}}"""),
            series("the 31st", "2026-01-31T12:00:00", "Eastern Standard Time", """
                    {"pattern":{"type":"absoluteMonthly","interval":1,"dayOfMonth":31},
                     "range":{"type":"noEnd","startDate":"2026-01-31"}}"""),
            series("first Thursday or Friday", "2026-01-01T16:00:00", "GMT Standard Time", """
                    {"pattern":{"type":"relativeMonthly","interval":1,"daysOfWeek":["thursday","friday"],"index":"first"},
                     "range":{"type":"noEnd","startDate":"2026-01-01"}}"""),
            series("second Wednesday, every other month", "2026-01-14T10:00:00", "Tokyo Standard Time", """
                    {"pattern":{"type":"relativeMonthly","interval":2,"daysOfWeek":["wednesday"],"index":"second"},
                     "range":{"type":"noEnd","startDate":"2026-01-14"}}"""),
            series("29 February", "2024-02-29T09:00:00", "UTC", """
                    {"pattern":{"type":"absoluteYearly","interval":1,"month":2,"dayOfMonth":29},
                     "range":{"type":"noEnd","startDate":"2024-02-29"}}"""),
            series("last Wednesday of November", "2025-11-26T15:00:00", "AUS Eastern Standard Time", """
                    {"pattern":{"type":"relativeYearly","interval":1,"month":11,"daysOfWeek":["wednesday"],"index":"last"},
                     "range":{"type":"noEnd","startDate":"2025-11-26"}}"""),
        };
        for (int i = 0; i < series.length; i++) {
            series[i] = seed(a, series[i]).get("id").stringValue();
        }
        String allDaySeries = seed(a, """
                        {"subject":"on call","isAllDay":true,
                         "start":{"dateTime":"2026-04-06T00:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-04-07T00:00:00","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday","friday"]},
                                       "range":{"type":"endDate","startDate":"2026-04-06","endDate":"2026-05-29"}}}""").get("id").stringValue();
        Pages pages = new Pages();

        sync(200).sync(target(a, null, from, to, new Tokens(a)), pages);

        for (String id : series) {
            ProviderEvent master = pages.upsert(id);
            assertThat(master.recurrence())
                    .as("no cancelled occurrences: no EXDATE")
                    .hasSize(1);
            Set<Instant> listed = pages.upserts().stream()
                    .filter(e -> id.equals(e.providerRecurringId()))
                    .map(ProviderEvent::originalStartTime)
                    .collect(Collectors.toSet());
            List<Instant> expanded = GraphRecurrence.starts(
                    master.recurrenceRule(),
                    master.startTime().atZone(ZoneId.of(master.timezone())),
                    from,
                    to.minus(Duration.ofHours(1)));
            assertThat(listed)
                    .as(master.title() + " " + master.recurrenceRule())
                    .isNotEmpty();
            assertThat(Set.copyOf(expanded))
                    .as(master.title() + " " + master.recurrenceRule())
                    .isEqualTo(listed);
        }
        assertThat(pages.upsert(series[2]).recurrenceRule())
                .isEqualTo("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
        assertThat(pages.upserts().stream()
                        .filter(e -> series[2].equals(e.providerRecurringId()))
                        .map(ProviderEvent::originalStartTime))
                .contains(Instant.parse("2026-02-28T17:00:00Z"), Instant.parse("2026-04-30T16:00:00Z"));

        ProviderEvent onCall = pages.upsert(allDaySeries);
        assertThat(onCall.recurrence()).containsExactly("RRULE:FREQ=WEEKLY;BYDAY=MO,FR;WKST=SU;UNTIL=20260529");
        Set<LocalDate> listedDates = pages.upserts().stream()
                .filter(e -> allDaySeries.equals(e.providerRecurringId()))
                .map(ProviderEvent::originalStartDate)
                .collect(Collectors.toSet());
        assertThat(Set.copyOf(GraphRecurrence.dates(
                        onCall.recurrenceRule(),
                        onCall.startDate(),
                        LocalDate.of(2026, 1, 1),
                        LocalDate.of(2027, 1, 1))))
                .isEqualTo(listedDates)
                .hasSize(16);
    }

    private static String series(String subject, String start, String zone, String recurrence) {
        java.time.LocalDateTime s = java.time.LocalDateTime.parse(start);
        return """
                {"subject":"%s","start":{"dateTime":"%s","timeZone":"%s"},"end":{"dateTime":"%s","timeZone":"%s"},
                 "recurrence":%s}""".formatted(subject, s, zone, s.plusMinutes(45), zone, recurrence);
    }

    @Test
    void aFullPassNeedsAWindow() {
        Account a = newAccount();
        SyncTarget noWindow = target(a, null, null, null, new Tokens(a));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> sync(50).sync(noWindow, new Pages()));

        assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    }
}
