package io.calsync.providers.ical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.http.SafeFetchProperties;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ics.IcsFeedSync;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import io.calsync.testsupport.Corpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-world {@code .ics} of the shared corpus ({@code shared/corpus/ics}), mapped: each file either maps
 * (every VEVENT of it becomes a {@link ProviderEvent}, a counted skip or a counted duplicate) or is refused with a
 * clear reason, never with another exception, both through the mapper and through the whole adapter over HTTP.
 * Then the counts and values that the upstream suites state in {@code EXPECTED.md}, where they are about what a
 * feed means (dates, zones, statuses, people, occurrences in a window) rather than about a library's API.
 *
 * <p>Where our rules knowingly differ from an upstream library's, the test pins our behaviour and says why:
 *
 * <ul>
 *   <li>{@code nylas-sync-engine/multiple_events.ics}: two VEVENTs with one UID and no RECURRENCE-ID are one event
 *       to a store keyed by UID; the later is kept (nylas keeps both).
 *   <li>{@code nylas-sync-engine/icloud_cancelled2.ics}: cancelled by iTIP {@code METHOD:CANCEL}, a scheduling
 *       message rather than a feed; the parsed feed does not expose METHOD, so the event stays as its STATUS says.
 *   <li>{@code nylas-sync-engine/bogus_sequence_number.ics}: the parser drops a SEQUENCE beyond an int (nylas clamps
 *       it); the event maps with the default 0.
 *   <li>{@code nylas-sync-engine/meetup_infinite.ics}: no DTEND is a zero-length event (RFC 5545 §3.6.1), not a
 *       refusal.
 *   <li>Outlook display names as TZID ({@code "(UTC+07:00) Bangkok, Hanoi, Jakarta"}, {@code "(UTC-03:00)
 *       Brasília"}) are neither IANA nor Windows ids: the instant is right (ical4j reads the feed's VTIMEZONE), the
 *       zone name is null rather than guessed (node-ical guesses Asia/Bangkok).
 *   <li>Floating times are read in X-WR-TIMEZONE, else the feed's first VTIMEZONE when it is a known zone, else UTC:
 *       a custom-named VTIMEZONE ({@code floating-dtstart-custom-vtimezone.ics}) or a second TZID inside one
 *       VTIMEZONE ({@code test_with_multiple_tzids_in_vtimezone.ics}) is not used for them, and khal's local zone is
 *       not ours.
 * </ul>
 */
class IcsFeedCorpusTest {

    static final IcsParser PARSER = new IcsParser();
    static final IcsEventMapper MAPPER = new IcsEventMapper();
    static final Pattern VEVENT = Pattern.compile("(?im)^BEGIN:VEVENT[ \\t]*$");
    static final Pattern NORMALISED_DATES =
            Pattern.compile("^(EXDATE|RDATE)(:\\d{8}T\\d{6}Z(,\\d{8}T\\d{6}Z)*|;VALUE=DATE:\\d{8}(,\\d{8})*)$");

    static HttpServer server;
    static SafeHttpFetcher fetcher;

    static Path corpus() {
        return Corpus.root().resolve("ics");
    }

    static List<String> files() throws IOException {
        Path root = corpus();
        try (Stream<Path> all = Files.walk(root)) {
            List<String> files = all.filter(p -> p.toString().endsWith(".ics"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
            assertThat(files).as("corpus files").hasSizeGreaterThan(300);
            return files;
        }
    }

    /** Serves the corpus as feeds, for the adapter: {@code /<relative path>}. */
    @BeforeAll
    static void serveTheCorpus() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", x -> {
            Path file =
                    corpus().resolve(x.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = file.startsWith(corpus()) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            x.getResponseHeaders().set("Content-Type", "text/calendar");
            x.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length == 0 ? -1 : body.length);
            try (OutputStream out = x.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        fetcher = new SafeHttpFetcher(new SsrfGuard(true), SafeFetchProperties.defaults(true));
    }

    @AfterAll
    static void stopServing() throws IOException {
        server.stop(0);
        fetcher.close();
    }

    static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(corpus().resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static IcsEventMapper.Mapping mapping(String file) {
        return MAPPER.map(PARSER.parse(bytes(file)));
    }

    static List<ProviderEvent> events(String file) {
        return mapping(file).events();
    }

    static ProviderEvent byId(List<ProviderEvent> events, String id) {
        return events.stream()
                .filter(e -> e.providerEventId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id));
    }

    static ProviderEvent byTitle(List<ProviderEvent> events, String title) {
        return events.stream()
                .filter(e -> title.equals(e.title()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event titled " + title));
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    // --- every file -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void mapsEveryEventOrRefusesWithAReason(String file) {
        byte[] content = bytes(file);
        IcsFeed feed;
        try {
            feed = PARSER.parse(content);
        } catch (InvalidIcsException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception").hasSizeLessThan(300);
            return;
        }
        IcsEventMapper.Mapping m = MAPPER.map(feed);

        long written = VEVENT.matcher(text(content)).results().count();
        long unreadable = feed.skipped().stream()
                .filter(s -> s.component().equals("VEVENT"))
                .count();
        assertThat(feed.events().size() + unreadable)
                .as("VEVENTs written = read by the parser + skipped by it")
                .isEqualTo(written);
        assertThat(m.events().size() + m.skipped().size() + m.duplicates())
                .as("VEVENTs read = mapped + skipped + duplicates")
                .isEqualTo(feed.events().size());
        assertThat(m.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        assertThat(m.events()).extracting(ProviderEvent::providerEventId).doesNotHaveDuplicates();
        assertThat(m.events()).allSatisfy(IcsFeedCorpusTest::wellFormed);
    }

    /** The text to count VEVENTs in: UTF-16 when a byte-order mark says so (Windows exports), else byte by byte. */
    static String text(byte[] content) {
        if (content.length >= 2 && (content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xFE) {
            return new String(content, StandardCharsets.UTF_16LE);
        }
        if (content.length >= 2 && (content[0] & 0xFF) == 0xFE && (content[1] & 0xFF) == 0xFF) {
            return new String(content, StandardCharsets.UTF_16BE);
        }
        return new String(content, StandardCharsets.ISO_8859_1);
    }

    /** What the store and the gateway rely on, for any event of any feed. */
    static void wellFormed(ProviderEvent e) {
        assertThat(e.providerEventId()).isNotBlank().hasSizeLessThanOrEqualTo(IcsEventMapper.MAX_ID);
        assertThat(e.startTime()).isNotNull();
        assertThat(e.endTime()).isAfterOrEqualTo(e.startTime());
        assertThat(e.status()).isNotNull();
        if (e.allDay()) {
            assertThat(e.startDate()).isNotNull();
            assertThat(e.endDate()).isAfter(e.startDate());
            assertThat(e.startTime())
                    .isEqualTo(e.startDate().atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(e.endTime())
                    .isEqualTo(e.endDate().atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(e.timezone()).isNull();
        } else {
            assertThat(e.startDate()).isNull();
            assertThat(e.endDate()).isNull();
        }
        if (e.timezone() != null) {
            try {
                ZoneId.of(e.timezone());
            } catch (DateTimeException notAZone) {
                fail("timezone %s of %s is not a zone", e.timezone(), e.providerEventId());
            }
        }
        if (e.isInstance()) {
            assertThat(e.originalStartTime()).isNotNull();
            assertThat(e.recurrence()).isNull();
        }
        if (e.title() != null) {
            assertThat(e.title()).hasSizeLessThanOrEqualTo(IcsEventMapper.MAX_TITLE);
        }
        if (e.recurrence() != null) {
            assertThat(e.recurrence())
                    .allSatisfy(line -> assertThat(line.startsWith("RRULE:")
                                    || NORMALISED_DATES.matcher(line).matches())
                            .as(line)
                            .isTrue());
        }
        assertThat(e.attendees())
                .allSatisfy(
                        a -> assertThat(a.email()).contains("@").hasSizeLessThanOrEqualTo(IcsEventMapper.MAX_EMAIL));
        assertThat(e.reminders()).allSatisfy(r -> assertThat(r.minutesBefore()).isNotNegative());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theAdapterSyncsItOrFailsPermanentlyWithAReason(String file) throws URISyntaxException {
        String url = new URI("http", null, "127.0.0.1", server.getAddress().getPort(), "/" + file, null, null)
                .toASCIIString();
        ProviderCalls calls = new ProviderCalls(new SimpleMeterRegistry(), 2, Duration.ZERO, Duration.ZERO, d -> {});
        IcsFeedSync adapter = new IcsFeedSync(fetcher, PARSER, calls);
        SyncTarget target = new SyncTarget(
                UUID.randomUUID(), CalendarProvider.ICS, null, null, url, null, null, null, null, null, null);
        List<ProviderEvent> received = new ArrayList<>();
        try {
            SyncResult result = adapter.sync(target, (upserts, removed) -> received.addAll(upserts));
            assertThat(result.full()).isTrue();
            assertThat(result.notModified()).isFalse();
            assertThat(received).hasSize(mapping(file).events().size());
        } catch (ProviderException e) {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
            assertThat(e.code()).isEqualTo("ICS_INVALID");
            assertThat(e.getMessage()).startsWith("ICS_INVALID: ").doesNotContain("Exception");
            assertThat(received).isEmpty();
        }
    }

    // --- counts ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1} VEVENTs, {2} events, {3} series or singles")
    @CsvSource({
        // the ninth VEVENT's DTSTART is "Next Year": the parser skips it, with its reason
        "node-ical/multi-event-basic.ics, 9, 8, 8",
        "node-ical/mixed-timezone-handling.ics, 5, 5, 5",
        "icalendar-py/issue_165_missing_event.ics, 1, 1, 1",
        "ical4android/dst-only-vtimezone.ics, 1, 1, 1",
        "nylas-sync-engine/windows_event.ics, 1, 1, 1",
        // one UID with two VEVENTs and no RECURRENCE-ID: one event (see the class comment)
        "nylas-sync-engine/multiple_events.ics, 2, 1, 1",
        // 3 series; an override repeated with a higher SEQUENCE, and one whose RECURRENCE-ID is unreadable
        "ical4android/multiple.ics, 7, 5, 3",
        // Google: 186 overrides, most of series the feed does not have
        "recurring-ical-events/issue_173_only_modifications_error.ics, 677, 677, 491"
    })
    void countsTheEventsTheUpstreamSuitesState(String file, int vevents, int events, int seriesOrSingles) {
        IcsFeed feed = PARSER.parse(bytes(file));
        IcsEventMapper.Mapping m = MAPPER.map(feed);
        assertThat(VEVENT.matcher(text(bytes(file))).results().count()).isEqualTo(vevents);
        assertThat(m.events()).hasSize(events);
        assertThat(m.events().stream().filter(e -> !e.isInstance())).hasSize(seriesOrSingles);
        assertThat(m.skipped()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "icalevents/empty.ics, empty",
        "icalendar-py/big_bad_calendar.ics, none of the feed's events could be read",
        "icalendar-py/small_bad_calendar.ics, none of the feed's events could be read"
    })
    void refusesWhatUpstreamRefuses(String file, String reason) {
        try {
            PARSER.parse(bytes(file));
            fail("%s was accepted", file);
        } catch (InvalidIcsException e) {
            assertThat(e.getMessage()).contains(reason).hasSizeLessThanOrEqualTo(200);
        }
    }

    // --- nylas/sync-engine ----------------------------------------------------------------------------------

    @Test
    void nylasWindowsZoneEvent() {
        ProviderEvent e = events("nylas-sync-engine/windows_event.ics").getFirst();
        assertThat(e.title()).isEqualTo("Pommes");
        assertThat(e.startTime()).isEqualTo(at("2015-02-20T08:30:00Z"));
        assertThat(e.endTime()).isEqualTo(at("2015-02-20T09:00:00Z"));
        assertThat(e.timezone()).isEqualTo("Europe/Paris"); // "Romance Standard Time"
        assertThat(e.attendees()).extracting(ProviderEvent.Attendee::email).containsExactly("karim@nilas.com");
    }

    @Test
    void nylasAllDayAndExchangeTimes() {
        ProviderEvent day = events("nylas-sync-engine/icloud_oneday_event.ics").getFirst();
        assertThat(day.allDay()).isTrue();
        assertThat(day.startDate()).isEqualTo(LocalDate.of(2015, 3, 16));
        assertThat(day.endDate()).isEqualTo(LocalDate.of(2015, 3, 17));
        assertThat(day.attendees()).hasSize(2);

        ProviderEvent iphone =
                events("nylas-sync-engine/iphone_through_exchange.ics").getFirst();
        assertThat(iphone.startTime()).isEqualTo(at("2014-12-27T15:00:00Z"));
        assertThat(iphone.endTime()).isEqualTo(at("2014-12-27T16:00:00Z"));

        List<ProviderEvent> two = events("nylas-sync-engine/multiple_events.ics");
        assertThat(two).singleElement().satisfies(e -> {
            assertThat(e.startDate()).isEqualTo(LocalDate.of(2015, 3, 17));
            assertThat(e.attendees()).isEmpty();
        });
    }

    @Test
    void nylasRecurringSummaryAndSequence() {
        ProviderEvent recur = events("nylas-sync-engine/gcal_recur.ics").getFirst();
        assertThat(recur.recurrenceRule()).isNotNull();
        assertThat(recur.timezone()).isEqualTo("America/Los_Angeles");

        assertThat(events("nylas-sync-engine/multiple_summaries.ics"))
                .singleElement()
                .extracting(ProviderEvent::title)
                .isEqualTo("The Strokes - Is this it?");
        assertThat(events("nylas-sync-engine/event_without_sequence.ics"))
                .singleElement()
                .extracting(ProviderEvent::sequence)
                .isEqualTo(0);
        assertThat(events("nylas-sync-engine/bogus_sequence_number.ics"))
                .singleElement()
                .extracting(ProviderEvent::sequence)
                .isEqualTo(0);
        assertThat(events("nylas-sync-engine/meetup_infinite.ics"))
                .singleElement()
                .satisfies(e -> assertThat(e.endTime()).isEqualTo(e.startTime()));
    }

    @Test
    void nylasCancellationsKeepTheIdAndRaiseTheVersion() {
        ProviderEvent before = events("nylas-sync-engine/google_cancelled1.ics").getFirst();
        ProviderEvent after = events("nylas-sync-engine/google_cancelled2.ics").getFirst();
        assertThat(after.providerEventId()).isEqualTo(before.providerEventId());
        assertThat(before.status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(after.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(after.sequence()).isGreaterThan(before.sequence());

        ProviderEvent icloudBefore =
                events("nylas-sync-engine/icloud_cancelled1.ics").getFirst();
        ProviderEvent icloudAfter =
                events("nylas-sync-engine/icloud_cancelled2.ics").getFirst();
        assertThat(icloudAfter.providerEventId()).isEqualTo(icloudBefore.providerEventId());
        assertThat(icloudAfter.sequence()).isGreaterThan(icloudBefore.sequence());
        assertThat(icloudAfter.providerUpdatedAt()).isAfter(icloudBefore.providerUpdatedAt());
    }

    // --- node-ical ------------------------------------------------------------------------------------------

    @Test
    void nodeIcalZones() {
        ProviderEvent meetup = byId(events("node-ical/meetup-timed-tz.ics"), "event_nsmxnyppbfc@meetup.com");
        assertThat(meetup.timezone()).isEqualTo("America/Phoenix");
        assertThat(meetup.startTime()).isEqualTo(at("2011-11-10T02:00:00Z"));

        ProviderEvent floating = events("node-ical/dst-transition-rules.ics").getFirst();
        assertThat(floating.startTime()).isEqualTo(at("2022-10-09T08:00:00Z"));
        assertThat(floating.endTime()).isEqualTo(at("2022-10-09T09:00:00Z"));

        ProviderEvent custom = events("node-ical/bad_ms_tz.ics").getFirst();
        assertThat(custom.startTime()).isEqualTo(at("2020-08-25T14:35:00Z"));
        assertThat(custom.endTime()).isEqualTo(at("2020-08-25T15:50:00Z"));
        assertThat(custom.timezone()).isEqualTo("America/New_York"); // its rules, never "Customized Time Zone"

        ProviderEvent bangkok = events("node-ical/exchange-custom-tz.ics").getFirst();
        assertThat(bangkok.startTime()).isEqualTo(at("2019-04-30T02:00:00Z")); // 09:00 in Bangkok

        List<ProviderEvent> eras = events("node-ical/multi-era-vtimezone.ics");
        assertThat(byId(eras, "multi-era-2025@test").startTime()).isEqualTo(at("2025-06-10T18:00:00Z"));

        ProviderEvent vienna = events("ical4android/vienna-evolution.ics").getFirst();
        assertThat(vienna.startTime().toEpochMilli()).isEqualTo(1381330800000L);
        assertThat(vienna.endTime().toEpochMilli()).isEqualTo(1381334400000L);
        assertThat(vienna.timezone()).isEqualTo("Europe/Vienna");

        ProviderEvent berlin = events("ical4android/dst-only-vtimezone.ics").getFirst();
        assertThat(berlin.providerEventId()).isEqualTo("only-dst@example.com");
        assertThat(berlin.startTime().toEpochMilli()).isEqualTo(1522738800000L);
    }

    @Test
    void nodeIcalOldOutlookZonesBeforeAndAfterDst() {
        List<ProviderEvent> owa = events("node-ical/Office-2012-owa.ics");
        assertThat(LocalDate.ofInstant(byTitle(owa, "TEST").endTime(), ZoneOffset.UTC))
                .isEqualTo(LocalDate.of(2020, 10, 28));
        assertThat(LocalDate.ofInstant(byTitle(owa, "TEST 3").endTime(), ZoneOffset.UTC))
                .isEqualTo(LocalDate.of(2020, 11, 2));
    }

    @Test
    void nodeIcalDatesStatusesAndOverrides() {
        ProviderEvent fear = byTitle(events("node-ical/test_with_forward_TZ.ics"), "Fear TWD");
        assertThat(fear.allDay()).isTrue();
        assertThat(fear.startDate()).isEqualTo(LocalDate.of(2020, 10, 17));

        List<ProviderEvent> apple = events("node-ical/tentative-apple-calendar.ics");
        assertThat(byTitle(apple, "Tentative").status()).isEqualTo(EventStatus.TENTATIVE);
        assertThat(byTitle(apple, "Confirmed").status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(byTitle(apple, "Cancelled").status()).isEqualTo(EventStatus.CANCELLED);

        ProviderEvent tripit = byId(
                events("node-ical/tripit-location-escaping.ics"),
                "c32a5eaba2354bb29e012ec18da827db90550a3b@tripit.com");
        assertThat(tripit.startDate()).isEqualTo(LocalDate.of(2011, 10, 11));

        ProviderEvent episode = byId(events("node-ical/tv-show-episode.ics"), "20110505T220000Z-83@tvcountdown.com");
        assertThat(LocalDate.ofInstant(episode.startTime(), ZoneOffset.UTC).getMonthValue())
                .isEqualTo(5);

        List<ProviderEvent> kiev = events("node-ical/google-calendar-kiev-tz.ics");
        assertThat(kiev.stream().filter(ProviderEvent::isInstance))
                .isNotEmpty()
                .allSatisfy(i -> assertThat(kiev)
                        .anySatisfy(m -> assertThat(m.providerEventId()).isEqualTo(i.providerRecurringId())));
    }

    @Test
    void nodeIcalTheHighestSequenceWinsAmongRepeatedVersions() {
        IcsEventMapper.Mapping sequences = mapping("node-ical/recurrence-sequence.ics");
        assertThat(sequences.duplicates()).isPositive();
        for (ProviderEvent kept : sequences.events()) {
            assertThat(kept.sequence()).isGreaterThanOrEqualTo(0);
        }
        List<ProviderEvent> order = events("node-ical/google-recurrence-order.ics");
        assertThat(order).anySatisfy(e -> assertThat(e.recurrenceRule()).isNotNull());
        assertThat(order.stream().filter(ProviderEvent::isInstance))
                .allSatisfy(i -> assertThat(order)
                        .anySatisfy(m -> assertThat(m.providerEventId()).isEqualTo(i.providerRecurringId())));
    }

    // --- ical4android, golang-ical, icalendar-ruby, khal, icalendar-py, icalevents --------------------------

    @Test
    void ical4androidTextAndPeople() {
        ProviderEvent utf8 = events("ical4android/utf8.ics").getFirst();
        assertThat(utf8.title()).isEqualTo("© äö — üß");
        assertThat(utf8.location()).isEqualTo("中华人民共和国");
        assertThat(utf8.attendees()).extracting(ProviderEvent.Attendee::email).contains("cyrus@example.com");

        assertThat(events("ical4android/latin1.ics").getFirst().title()).isEqualTo("äöüß");
        assertThat(events("ical4android/two-line-description-without-crlf.ics")
                        .getFirst()
                        .description())
                .isEqualTo("http://www.tgbornheim.de/index.php?sessionid=&page=&id=&sportcentergroup=&day=6");

        List<ProviderEvent> multiple = events("ical4android/multiple.ics");
        assertThat(multiple.stream().filter(e -> "multiple-0@ical4android.EventTest".equals(e.providerRecurringId())))
                .isEmpty();

        List<ProviderEvent> exceptions = events("ical4android/one-event-with-multiple-exceptions-one-without.ics");
        assertThat(exceptions.stream().filter(e -> !e.isInstance())).hasSize(2);
        assertThat(exceptions.stream().filter(e -> "event1".equals(e.providerRecurringId())))
                .hasSize(2);
        assertThat(byId(exceptions, "event1_20150503"))
                .satisfies(e -> assertThat(e.title()).isEqualTo("Final summary"))
                .satisfies(e -> assertThat(e.sequence()).isEqualTo(2));
    }

    @Test
    void golangIcalTimeForms() {
        List<ProviderEvent> forms = events("golang-ical/timeparsing.ics"); // X-WR-TIMEZONE Europe/Copenhagen
        ProviderEvent local = byId(forms, "be7c9690-d42a-40ef-b82f-1634dc5033b4");
        assertThat(local.startTime().atZone(ZoneId.of("Europe/Copenhagen")).toLocalDateTime())
                .isEqualTo("1998-01-18T23:00");
        ProviderEvent utc = byId(forms, "53634aed-1b7d-4d85-aa38-ede76a2e4fe3");
        assertThat(utc.startTime()).isEqualTo(at("2022-01-22T17:00:00Z"));
        assertThat(utc.endTime()).isEqualTo(at("2022-01-22T20:00:00Z"));
        ProviderEvent zoned = byId(forms, "269cf715-4e14-4a10-8753-f2feeb9d060e");
        assertThat(zoned.startTime()).isEqualTo(at("2021-12-07T13:00:00Z"));
        assertThat(zoned.timezone()).isEqualTo("Europe/Copenhagen");
        ProviderEvent day = byId(forms, "fb54680e-7f69-46d3-9632-00aed2469f7b");
        assertThat(day.startDate()).isEqualTo(LocalDate.of(2021, 6, 27));
        assertThat(day.endDate()).isEqualTo(LocalDate.of(2021, 6, 28));
    }

    @Test
    void icalendarRubyAndKhal() {
        ProviderEvent reversed = events("icalendar-ruby/reversed_timezone.ics").getFirst();
        assertThat(reversed.startTime()).isEqualTo(at("2023-10-25T23:30:00Z")); // 16:30 at -07:00

        assertThat(events("icalendar-ruby/two_day_events.ics").stream()
                        .map(ProviderEvent::startDate)
                        .min(LocalDate::compareTo))
                .contains(LocalDate.of(2014, 7, 13));
        assertThat(events("icalendar-ruby/two_time_events.ics").stream()
                        .map(ProviderEvent::startTime)
                        .min(Instant::compareTo))
                .contains(at("2014-07-14T13:00:00Z")); // 09:00 at -04:00

        ProviderEvent floating = events("khal/event_dt_floating.ics").getFirst();
        assertThat(floating.startTime()).isEqualTo(at("2014-04-09T09:30:00Z"));
        assertThat(floating.endTime()).isEqualTo(at("2014-04-09T10:30:00Z"));

        List<ProviderEvent> cancelled = events("khal/event_rrule_recuid_cancelled.ics");
        assertThat(cancelled)
                .filteredOn(
                        e -> LocalDate.ofInstant(e.startTime(), ZoneOffset.UTC).equals(LocalDate.of(2014, 7, 14)))
                .singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.CANCELLED))
                .satisfies(e -> assertThat(e.isInstance()).isTrue());
    }

    @Test
    void icalendarPyAndIcalevents() {
        ProviderEvent saoPaulo = events("icalendar-py/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics")
                .getFirst();
        assertThat(saoPaulo.startTime()).isEqualTo(at("2017-05-11T16:30:00Z")); // 13:30 in São Paulo

        List<ProviderEvent> statuses = events("icalevents/status_and_url.ics");
        assertThat(statuses.get(0).status()).isEqualTo(EventStatus.TENTATIVE);
        assertThat(statuses.get(0).htmlLink()).isNull();
        assertThat(statuses.get(1).status()).isEqualTo(EventStatus.CONFIRMED);
        assertThat(statuses.get(1).htmlLink()).isEqualTo("https://example.com/");

        for (String file : List.of("icalevents/response.ics", "icalevents/multi_attendee_response.ics")) {
            assertThat(events(file).getFirst().attendees().getFirst().responseStatus())
                    .as(file)
                    .isEqualTo(RsvpStatus.DECLINED);
        }
        assertThat(events("icalevents/non_ascii_uid.ics").getFirst().providerEventId())
                .isNotEqualTo("-1")
                .isNotBlank();
        assertThat(events("icalevents/ms_tz.ics").stream()
                        .filter(e -> e.startTime().atZone(ZoneOffset.UTC).getYear() == 2021)
                        .min(java.util.Comparator.comparing(ProviderEvent::startTime)))
                .hasValueSatisfying(e -> assertThat(e.allDay()).isTrue());
        ProviderEvent google = events("icalevents/google_2024.ics").getFirst();
        assertThat(google.startTime()).isEqualTo(at("2024-03-25T06:00:00Z"));
        assertThat(google.endTime()).isEqualTo(at("2024-03-25T07:00:00Z"));
    }

    @Test
    void recurringIcalEventsValues() {
        List<ProviderEvent> cancel = events("recurring-ical-events/issue_18_cancel_status.ics");
        assertThat(cancel)
                .filteredOn(ProviderEvent::isInstance)
                .singleElement()
                .satisfies(e -> assertThat(e.originalStartTime()).isEqualTo(at("2020-01-29T21:00:00Z")))
                .satisfies(e -> assertThat(e.status()).isEqualTo(EventStatus.CANCELLED));

        ProviderEvent mixed = events("recurring-ical-events/issue_201_mixed_datetime_and_date.ics")
                .getFirst();
        assertThat(mixed.startTime()).isEqualTo(at("2023-07-24T00:00:00Z"));

        assertThat(events("recurring-ical-events/issue_223_thunderbird.ics"))
                .filteredOn(e -> e.startTime().toString().startsWith("2025-04-25"))
                .singleElement()
                .extracting(ProviderEvent::sequence)
                .isEqualTo(3);

        ProviderEvent floating = events("recurring-ical-events/issue_86_x_wr_timezone_without_time_zone_in_dt.ics")
                .getFirst();
        assertThat(floating.startTime().atZone(ZoneId.of("Europe/Brussels")).getHour())
                .isEqualTo(21);
        assertThat(floating.timezone()).isEqualTo("Europe/Brussels");

        // A series of RDATEs without an RRULE: the lines are all there (12 dates), and its rule generates DTSTART
        // alone, so the gateway expands DTSTART and the RDATEs (upstream: 12 occurrences).
        ProviderEvent rdates =
                events("recurring-ical-events/rdate_hackerpublicradio.ics").getFirst();
        assertThat(rdates.recurrenceRule()).isEqualTo(ProviderEvent.RDATES_ONLY);
        assertThat(rdates.recurrence())
                .hasSize(12)
                .allSatisfy(l -> assertThat(l).matches("RDATE:\\d{8}T\\d{6}Z"));

        List<ProviderEvent> google = events("recurring-ical-events/issue_173_only_modifications_error.ics");
        ProviderEvent paris = byId(
                google,
                "_6krj2dhl74q34b9j60sj4b9k8h238b9p6gok2ba68gojgchl6cpj0h1o88_R20231009T130000@google.com"
                        + "_20240108T140000Z"); // RECURRENCE-ID 2024-01-08 15:00 Europe/Paris
        assertThat(paris.originalStartTime()).isEqualTo(at("2024-01-08T14:00:00Z"));
    }

    // --- occurrences in a window, read from the mapped lines as the gateway reads them ----------------------

    @Test
    void googleSeriesWithMovedAndCancelledOccurrencesShowsExactlyTheStatedDays() {
        List<LocalDate> days = WindowReader.read(
                        events("recurring-ical-events/machbar_16_feb_2019.ics"),
                        at("2018-09-01T00:00:00Z"),
                        at("2019-08-01T00:00:00Z"))
                .stream()
                .filter(s -> s.title() != null && s.title().startsWith("mB-onTour"))
                .map(s -> LocalDate.ofInstant(s.start(), ZoneId.of("Europe/Berlin")))
                .toList();
        assertThat(days)
                .containsExactly(
                        LocalDate.of(2018, 9, 22),
                        LocalDate.of(2018, 10, 20),
                        LocalDate.of(2018, 11, 17),
                        LocalDate.of(2018, 12, 8),
                        LocalDate.of(2019, 1, 12),
                        LocalDate.of(2019, 1, 27),
                        LocalDate.of(2019, 2, 9),
                        LocalDate.of(2019, 2, 24),
                        LocalDate.of(2019, 3, 23),
                        LocalDate.of(2019, 4, 27),
                        LocalDate.of(2019, 5, 25),
                        LocalDate.of(2019, 6, 22));
    }

    @Test
    void severalExdatesOnOneLineOfAWindowsZoneSeries() { // "Eastern Standard Time"
        List<Instant> starts = WindowReader.read(
                        events("icalevents/multi_exdate_same_line_ms.ics"),
                        at("2022-03-01T00:00:00Z"),
                        at("2022-05-01T00:00:00Z"))
                .stream()
                .map(WindowReader.Shown::start)
                .toList();
        assertThat(starts.subList(0, 2))
                .extracting(i -> i.atZone(ZoneId.of("America/New_York")).toLocalDateTime())
                .containsExactly(
                        java.time.LocalDateTime.parse("2022-03-11T11:00"),
                        java.time.LocalDateTime.parse("2022-03-25T11:00"));
    }

    @ParameterizedTest(name = "{0}: {3} occurrences in [{1}, {2})")
    @CsvSource({
        // recurring-ical-events: an EXDATE removes one (Exchange, UNTIL without zone)
        "recurring-ical-events/issue_27_t1.ics, 2020-04-25T00:00:00Z, 2020-04-30T00:00:00Z, 2",
        // recurring-ical-events count(): EXDATEs of a DAVx5 series
        "recurring-ical-events/issue_20_exdate_ignored.ics, 2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z, 7",
        // icalevents: 7 all-day Fridays minus EXDATE;TZID=W. Europe Standard Time:20210430T000000
        "icalevents/rrule_until_all_day_ms.ics, 2021-01-01T00:00:00Z, 2022-01-01T00:00:00Z, 6",
        // icalevents: UNTIL as a date on a timed series, with an EXDATE
        "icalevents/rrule_until_only_date.ics, 2021-09-29T00:00:00Z, 2021-10-20T00:00:00Z, 8",
        "icalevents/recurrenceid_google.ics, 2021-01-01T00:00:00Z, 2022-01-01T00:00:00Z, 4",
        "icalevents/recurr_id_dtstart_missmatch.ics, 2022-03-01T00:00:00Z, 2022-07-01T00:00:00Z, 4",
        "icalevents/recurrenceid_ms.ics, 2021-01-01T00:00:00Z, 2022-01-01T00:00:00Z, 42",
        "recurring-ical-events/issue_62_moved_event_2.ics, 2023-08-01T00:00:00Z, 2023-09-01T00:00:00Z, 6",
        // Exchange, two zones; all-day series whose UNTIL is local midnight of their last day, in UTC
        "icalevents/cest.ics, 2010-01-01T00:00:00Z, 2024-01-01T00:00:00Z, 239",
        "icalevents/cest.ics, 2021-02-01T00:00:00Z, 2021-03-01T00:00:00Z, 17",
        // five hours of America/Chicago across a DST-defined series
        "recurring-ical-events/issue_48_dst.ics, 2020-12-11T16:00:00Z, 2020-12-11T21:00:00Z, 3",
        "recurring-ical-events/same_event_recurring_at_same_time.ics, 2024-09-23T00:00:00Z, 2024-09-24T00:00:00Z, 0",
        "recurring-ical-events/same_event_recurring_at_same_time.ics, 2024-09-24T00:00:00Z, 2024-09-25T00:00:00Z, 3",
        "recurring-ical-events/same_event_recurring_at_same_time.ics, 2024-09-26T00:00:00Z, 2024-09-27T00:00:00Z, 3",
        "recurring-ical-events/Germany_Holidays.ics, 2020-01-01T00:00:00Z, 2021-01-01T00:00:00Z, 17",
        "recurring-ical-events/Germany.ics, 2014-05-11T00:00:00Z, 2014-05-12T00:00:00Z, 1",
        "icalevents/recurring_override.ics, 2021-11-23T00:00:00Z, 2021-11-24T00:00:00Z, 3",
        // an override of an occurrence the (newer) master excludes by EXDATE is not shown
        "recurring-ical-events/issue_148_edge_case_1.ics, 2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z, 2",
        "recurring-ical-events/issue_163_deleted_modification.ics, 2024-08-19T00:00:00Z, 2024-08-20T00:00:00Z, 0",
        "recurring-ical-events/discourse_no_dtend.ics, 2019-01-17T00:00:00Z, 2019-01-18T00:00:00Z, 1",
        "recurring-ical-events/end_before_start_event.ics, 2019-01-01T00:00:00Z, 2020-01-01T00:00:00Z, 1",
        "recurring-ical-events/issue_201_mixed_datetime_and_date.ics, 2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z, 1",
        "recurring-ical-events/issue_223_thunderbird.ics, 2025-04-23T00:00:00Z, 2025-04-24T00:00:00Z, 1",
        "recurring-ical-events/issue_223_thunderbird.ics, 2025-04-24T00:00:00Z, 2025-04-25T00:00:00Z, 1"
    })
    void occurrencesInAWindowAsTheUpstreamSuitesCountThem(String file, String from, String to, int expected) {
        List<WindowReader.Shown> shown = WindowReader.read(events(file), at(from), at(to));
        assertThat(shown).as(shown.toString()).hasSize(expected);
    }
}
