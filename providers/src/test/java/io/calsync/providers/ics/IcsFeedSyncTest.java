package io.calsync.providers.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.http.FetchException;
import io.calsync.providers.http.SafeFetchProperties;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/**
 * The adapter against a real HTTP server on 127.0.0.1 (the fetcher built with private networks allowed, as
 * {@code ICS_ALLOW_PRIVATE_NETWORKS=true} would): validators and 304, paging, the retry policy for busy servers
 * (a recording sleeper, no real waits), and the permanent failures.
 */
class IcsFeedSyncTest {

    static final String ETAG = "\"v1\"";
    static final String LAST_MODIFIED = "Tue, 24 Nov 2026 10:00:00 GMT";

    HttpServer server;
    String base;
    SafeHttpFetcher fetcher;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    volatile String body = feed(2, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    /** Statuses the /flaky route answers before it serves the feed, one per request. */
    final List<Integer> failuresFirst = new CopyOnWriteArrayList<>();

    /** What the sink received: one entry per page. */
    final List<List<ProviderEvent>> pages = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/feed.ics", this::feed);
        server.createContext("/flaky.ics", this::flaky);
        server.createContext("/missing.ics", x -> answer(x, 404, "text/plain", "no such feed"));
        server.createContext("/login.ics", x -> {
            requests.incrementAndGet();
            answer(x, 200, "text/html", "<!DOCTYPE html><html>Sign in</html>");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        fetcher = new SafeHttpFetcher(new SsrfGuard(true), SafeFetchProperties.defaults(true));
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        fetcher.close();
    }

    IcsFeedSync adapter(SafeHttpFetcher fetcher) {
        ProviderCalls calls = new ProviderCalls(
                new SimpleMeterRegistry(), 4, Duration.ofMillis(100), Duration.ofSeconds(30), sleeps::add);
        return new IcsFeedSync(fetcher, new IcsParser(), calls);
    }

    IcsFeedSync adapter() {
        return adapter(fetcher);
    }

    static SyncTarget target(String url, String etag, String lastModified) {
        return new SyncTarget(
                UUID.randomUUID(), CalendarProvider.ICS, null, null, url, null, etag, lastModified, null, null, null);
    }

    SyncResult sync(IcsFeedSync adapter, SyncTarget target) {
        return adapter.sync(target, (upserts, removed) -> {
            assertThat(removed).isEmpty();
            pages.add(List.copyOf(upserts));
        });
    }

    @Test
    void aFirstPassMapsTheFeedAndAnswersItsValidatorsAndRefreshInterval() {
        SyncResult result = sync(adapter(), target(base + "/feed.ics", null, null));

        assertThat(result.full()).isTrue();
        assertThat(result.notModified()).isFalse();
        assertThat(result.cursor()).isNull();
        assertThat(result.icsEtag()).isEqualTo(ETAG);
        assertThat(result.icsLastModified()).isEqualTo(LAST_MODIFIED);
        assertThat(result.refreshIntervalSecs()).isEqualTo(3600);
        assertThat(pages)
                .singleElement()
                .satisfies(page -> assertThat(page)
                        .extracting(ProviderEvent::providerEventId)
                        .containsExactly("event-0@test", "event-1@test"));
        assertThat(lastHeaders).doesNotContainKeys("If-none-match", "If-modified-since");
    }

    @Test
    void aPassWithTheValidatorsGets304AndCallsNoSink() {
        SyncResult result = sync(adapter(), target(base + "/feed.ics", ETAG, LAST_MODIFIED));

        assertThat(result.notModified()).isTrue();
        assertThat(result.full()).isFalse();
        assertThat(result.icsEtag()).isEqualTo(ETAG);
        assertThat(result.icsLastModified()).isEqualTo(LAST_MODIFIED);
        assertThat(pages).isEmpty();
        assertThat(lastHeaders).containsEntry("If-none-match", ETAG).containsEntry("If-modified-since", LAST_MODIFIED);
        assertThat(requests).hasValue(1);
    }

    @Test
    void aBigFeedGoesToTheSinkInPagesOf500() {
        body = feed(1_201, "X-PUBLISHED-TTL:P1D");
        SyncResult result = sync(adapter(), target(base + "/feed.ics", null, null));

        assertThat(pages).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(pages.stream()
                        .flatMap(List::stream)
                        .map(ProviderEvent::providerEventId)
                        .distinct())
                .hasSize(1_201);
        assertThat(result.refreshIntervalSecs()).isEqualTo(86_400);
    }

    @Test
    void aFeedOverTheContractsCapStoresNothingAndSaysWhy() {
        body = feed(IcsFeedSync.MAX_EVENTS + 1, "X-PUBLISHED-TTL:P1D");
        assertThatThrownBy(() -> sync(adapter(), target(base + "/feed.ics", null, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
                    assertThat(e.code()).isEqualTo("ICS_TOO_MANY_EVENTS");
                })
                .hasMessageContaining("50001 events")
                .hasMessageContaining("at most 50000");
        assertThat(pages).as("nothing reached the store").isEmpty();
    }

    @Test
    void a503WithRetryAfterIsRetriedAfterAtLeastThatLong() {
        failuresFirst.addAll(List.of(503, 503));
        SyncResult result = sync(adapter(), target(base + "/flaky.ics?retry-after=7", null, null));

        assertThat(result.full()).isTrue();
        assertThat(pages).hasSize(1);
        assertThat(requests).hasValue(3);
        assertThat(sleeps).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void a429IsRateLimitedAndA5xxTransientAndBothGiveUpAfterTheLastAttempt() {
        failuresFirst.addAll(List.of(429, 429, 429, 429));
        assertThatThrownBy(() -> sync(adapter(), target(base + "/flaky.ics", null, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
                    assertThat(e.status()).isEqualTo(429);
                });
        assertThat(requests).hasValue(4);
        assertThat(sleeps).hasSize(3);

        failuresFirst.clear();
        failuresFirst.addAll(List.of(502, 500));
        requests.set(0);
        SyncResult result = sync(adapter(), target(base + "/flaky.ics", null, null));
        assertThat(result.full()).isTrue();
        assertThat(requests).hasValue(3);
    }

    @ParameterizedTest(name = "HTTP {0}, Retry-After {1} s: {2}")
    @CsvSource({
        "404, , PERMANENT",
        "410, , PERMANENT",
        "401, , PERMANENT",
        "302, , PERMANENT",
        "408, , TRANSIENT",
        "500, , TRANSIENT",
        "502, , TRANSIENT",
        "503, , TRANSIENT",
        "503, 30, RATE_LIMITED",
        "429, , RATE_LIMITED",
        "0, , TRANSIENT"
    })
    void fetchFailuresAreClassifiedByStatus(int status, Long retryAfterSecs, ProviderException.Kind kind) {
        Duration retryAfter = retryAfterSecs == null ? null : Duration.ofSeconds(retryAfterSecs);
        ProviderException e = IcsFeedSync.classify(new FetchException(
                FetchException.Code.ICS_UNREACHABLE,
                "the server at cal.example.com answered HTTP " + status,
                null,
                status,
                retryAfter));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.retryAfter()).isEqualTo(kind == ProviderException.Kind.PERMANENT ? null : retryAfter);
        assertThat(e.getMessage()).isEqualTo("ICS_UNREACHABLE: the server at cal.example.com answered HTTP " + status);
    }

    @Test
    void a404IsPermanentAtOnceAndTheMessageKeepsTheFeedsSecretOut() {
        assertThatThrownBy(() -> sync(adapter(), target(base + "/missing.ics?token=s3cr3t", null, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("404");
                })
                .hasMessageContaining("HTTP 404")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("missing.ics");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void contentThatIsNotICalendarIsPermanentIcsInvalid() {
        assertThatThrownBy(() -> sync(adapter(), target(base + "/login.ics", null, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
                    assertThat(e.code()).isEqualTo("ICS_INVALID");
                })
                .hasMessageStartingWith("ICS_INVALID: ")
                .hasMessageContaining("HTML");
        assertThat(requests).hasValue(1);
        assertThat(sleeps).isEmpty();
        assertThat(pages).isEmpty();
    }

    @Test
    void aUrlTheGuardRefusesATooLargeFeedAndNoUrlArePermanent() throws IOException {
        try (SafeHttpFetcher guarded = new SafeHttpFetcher(new SsrfGuard(false), SafeFetchProperties.defaults(false))) {
            assertThatThrownBy(() -> sync(adapter(guarded), target(base + "/feed.ics", null, null)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT))
                    .hasMessageStartingWith("URL_NOT_ALLOWED: ");
        }
        assertThat(requests).hasValue(0);

        SafeFetchProperties small = new SafeFetchProperties(
                true, Duration.ofSeconds(5), Duration.ofSeconds(20), DataSize.ofBytes(100), 5, "calsync-test");
        try (SafeHttpFetcher capped = new SafeHttpFetcher(new SsrfGuard(true), small)) {
            assertThatThrownBy(() -> sync(adapter(capped), target(base + "/feed.ics", null, null)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT))
                    .hasMessageStartingWith("ICS_TOO_LARGE: ");
        }

        assertThatThrownBy(() -> sync(adapter(), target(null, null, null)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aServerThatCannotBeReachedIsTransientAndRetried() {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + closedPort + "/feed.ics";
        assertThatThrownBy(() -> sync(adapter(), target(url, null, null)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.TRANSIENT);
                    assertThat(e.status()).isZero();
                })
                .hasMessageStartingWith("ICS_UNREACHABLE: ");
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void aWebcalUrlIsFetchedAsHttps() throws Exception {
        // A bare socket that records the first byte each client sends: 0x16 opens a TLS handshake, 'G' a plain GET.
        List<Integer> firstBytes = new CopyOnWriteArrayList<>();
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket client = socket.accept()) {
                        firstBytes.add(client.getInputStream().read());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String url = "webcal://127.0.0.1:" + socket.getLocalPort() + "/feed.ics";
            assertThatThrownBy(() -> sync(adapter(), target(url, null, null)))
                    .isInstanceOfSatisfying(
                            ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.TRANSIENT));
        }
        assertThat(firstBytes).isNotEmpty().allSatisfy(b -> assertThat(b).isEqualTo(0x16));
    }

    @Test
    void messagesAreReducedToSchemeAndHostWhateverTheyCarry() {
        String safe = IcsFeedSync.safe(
                new RuntimeException("failed for https://user:pw@cal.example.com:8443/private/abc.ics?key=s3cr3t now"));
        assertThat(safe).isEqualTo("failed for https://cal.example.com now");
    }

    // --- the server ---

    static String feed(int events, String calendarLine) {
        StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n")
                .append(calendarLine)
                .append("\r\n");
        for (int i = 0; i < events; i++) {
            b.append("BEGIN:VEVENT\r\nUID:event-")
                    .append(i)
                    .append("@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261124T100000Z\r\nSUMMARY:Event ")
                    .append(i)
                    .append("\r\nEND:VEVENT\r\n");
        }
        return b.append("END:VCALENDAR\r\n").toString();
    }

    void feed(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        lastHeaders.clear();
        x.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k, v.getFirst()));
        x.getResponseHeaders().set("ETag", ETAG);
        x.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        if (ETAG.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
            x.sendResponseHeaders(304, -1);
            x.close();
            return;
        }
        answer(x, 200, "text/calendar; charset=utf-8", body);
    }

    void flaky(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        if (!failuresFirst.isEmpty()) {
            int status = failuresFirst.removeFirst();
            String query = x.getRequestURI().getQuery();
            if (query != null && query.startsWith("retry-after=")) {
                x.getResponseHeaders().set("Retry-After", query.substring("retry-after=".length()));
            }
            answer(x, status, "text/plain", "busy");
            return;
        }
        answer(x, 200, "text/calendar", body);
    }

    static void answer(HttpExchange x, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
