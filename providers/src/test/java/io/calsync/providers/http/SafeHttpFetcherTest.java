package io.calsync.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The fetcher against a real HTTP server on 127.0.0.1: the guard, redirects, the size cap, 304 and the deadline. */
class SafeHttpFetcherTest {

    /** The one answer for every refused address, naming no kind of address (no DNS oracle). */
    static final String PUBLIC_ONLY = "does not resolve to a public internet address";

    static final String FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";

    HttpServer server;
    String base;
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/feed.ics", this::feed);
        server.createContext("/redirect/", this::redirect);
        server.createContext("/to-metadata", x -> redirectTo(x, "http://169.254.169.254/latest/meta-data/"));
        server.createContext("/to-ipv6-metadata", x -> redirectTo(x, "http://[::ffff:169.254.169.254]/"));
        server.createContext("/endless", this::endless);
        server.createContext("/bomb", this::gzipBomb);
        server.createContext("/slow", this::slow);
        server.createContext("/trickle", this::trickle);
        server.createContext("/missing", x -> answer(x, 404, "not here"));
        server.createContext("/busy", x -> {
            x.getResponseHeaders().set("Retry-After", "7");
            answer(x, 503, "busy");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    SafeHttpFetcher fetcher(boolean allowPrivateNetworks) {
        return new SafeHttpFetcher(
                new SsrfGuard(allowPrivateNetworks), SafeFetchProperties.defaults(allowPrivateNetworks));
    }

    @Test
    void refusesLoopbackWhenPrivateNetworksAreNotAllowed() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(false)) {
            assertFails(() -> fetcher.fetch(base + "/feed.ics"), FetchException.Code.URL_NOT_ALLOWED, PUBLIC_ONLY);
            assertFails(
                    () -> fetcher.fetch(
                            "http://localhost:" + server.getAddress().getPort() + "/feed.ics"),
                    FetchException.Code.URL_NOT_ALLOWED,
                    PUBLIC_ONLY);
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void fetchesFromLoopbackWhenPrivateNetworksAreAllowed() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            FetchResult r = fetcher.fetch(base + "/feed.ics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(FEED);
            assertThat(r.etag()).isEqualTo("\"v1\"");
            assertThat(r.lastModified()).isEqualTo("Tue, 24 Nov 2026 10:00:00 GMT");
            assertThat(r.contentType()).startsWith("text/calendar");
            assertThat(r.finalUri()).hasToString(base + "/feed.ics");
            assertThat(r.notModified()).isFalse();
        }
        assertThat(lastHeaders.get("Accept")).isEqualTo("text/calendar, */*;q=0.5");
        assertThat(lastHeaders.get("User-agent")).startsWith("calsync/");
        assertThat(lastHeaders).doesNotContainKeys("If-none-match", "If-modified-since");
    }

    @Test
    void answers304WhenTheValidatorsMatch() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            FetchResult r = fetcher.fetch(base + "/feed.ics", "\"v1\"", "Tue, 24 Nov 2026 10:00:00 GMT");
            assertThat(r.notModified()).isTrue();
            assertThat(r.body()).isEmpty();
            assertThat(lastHeaders.get("If-modified-since")).isEqualTo("Tue, 24 Nov 2026 10:00:00 GMT");
            assertThat(fetcher.fetch(base + "/feed.ics", "\"v0\"", null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void followsRedirectsUpToFiveAndRefusesTheSixth() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            FetchResult r = fetcher.fetch(base + "/redirect/5");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.finalUri()).hasToString(base + "/feed.ics");
            assertFails(() -> fetcher.fetch(base + "/redirect/6"), FetchException.Code.ICS_UNREACHABLE, "more than 5");
        }
    }

    @Test
    void refusesARedirectToCloudMetadataEvenWithPrivateNetworksAllowed() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            assertFails(() -> fetcher.fetch(base + "/to-metadata"), FetchException.Code.URL_NOT_ALLOWED, PUBLIC_ONLY);
            assertFails(
                    () -> fetcher.fetch(base + "/to-ipv6-metadata"), FetchException.Code.URL_NOT_ALLOWED, PUBLIC_ONLY);
        }
    }

    @Test
    void cutsAnEndlessChunkedBodyAtTheCapWhileStreaming() throws Exception {
        long start = System.nanoTime();
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            assertFails(() -> fetcher.fetch(base + "/endless"), FetchException.Code.ICS_TOO_LARGE, "10 MB");
            // The connection was discarded, not drained: the next fetch works at once.
            assertThat(fetcher.fetch(base + "/feed.ics").status()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void countsTheDecompressedSizeOfAGzipBody() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            assertFails(() -> fetcher.fetch(base + "/bomb"), FetchException.Code.ICS_TOO_LARGE, "larger than");
        }
    }

    @Test
    void givesUpWhenTheServerIsTooSlowOrTrickles() throws Exception {
        SafeFetchProperties quick = new SafeFetchProperties(
                true, Duration.ofSeconds(1), Duration.ofMillis(800), DataSize.ofMegabytes(10), 5, "calsync-test");
        try (SafeHttpFetcher fetcher = new SafeHttpFetcher(new SsrfGuard(true), quick)) {
            long start = System.nanoTime();
            assertFails(() -> fetcher.fetch(base + "/slow"), FetchException.Code.ICS_UNREACHABLE, "within");
            assertFails(() -> fetcher.fetch(base + "/trickle"), FetchException.Code.ICS_UNREACHABLE, "within");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void reportsHttpErrorsRefusedConnectionsAndUnknownHosts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            assertFails(() -> fetcher.fetch(base + "/missing"), FetchException.Code.ICS_UNREACHABLE, "HTTP 404");
            assertFails(
                    () -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/feed.ics"),
                    FetchException.Code.ICS_UNREACHABLE,
                    "could not connect to 127.0.0.1");
            // Read exactly like a refused address (no DNS oracle): see SsrfGuardTest.
            assertFails(
                    () -> fetcher.fetch("https://no-such-host.invalid/cal.ics"),
                    FetchException.Code.URL_NOT_ALLOWED,
                    "does not resolve to a public internet address");
            assertFails(() -> fetcher.fetch("ftp://example.com/cal.ics"), FetchException.Code.URL_NOT_ALLOWED, "http");
        }
    }

    @Test
    void carriesTheStatusAndRetryAfterOfAnErrorAnswer() throws Exception {
        try (SafeHttpFetcher fetcher = fetcher(true)) {
            assertThatThrownBy(() -> fetcher.fetch(base + "/busy")).isInstanceOfSatisfying(FetchException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            });
            assertThatThrownBy(() -> fetcher.fetch(base + "/missing"))
                    .isInstanceOfSatisfying(FetchException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.retryAfter()).isNull();
                    });
            assertThatThrownBy(() -> fetcher.fetch(base + "/redirect/6"))
                    .isInstanceOfSatisfying(
                            FetchException.class, e -> assertThat(e.status()).isEqualTo(302));
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        assertThat(SafeHttpFetcher.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(SafeHttpFetcher.retryAfter("99999999999")).isEqualTo(Duration.ofDays(1));
        assertThat(SafeHttpFetcher.retryAfter("Tue, 24 Nov 1998 10:00:00 GMT")).isEqualTo(Duration.ZERO);
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(90));
        assertThat(SafeHttpFetcher.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90));
        assertThat(SafeHttpFetcher.retryAfter("soon")).isNull();
        assertThat(SafeHttpFetcher.retryAfter(null)).isNull();
    }

    static void assertFails(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, FetchException.Code code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FetchException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message)
                .hasMessageNotContaining("Exception");
    }

    // --- the server's routes ---

    void feed(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        lastHeaders.clear();
        x.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k, v.getFirst()));
        x.getResponseHeaders().set("ETag", "\"v1\"");
        x.getResponseHeaders().set("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT");
        if ("\"v1\"".equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
            x.sendResponseHeaders(304, -1);
            x.close();
            return;
        }
        x.getResponseHeaders().set("Content-Type", "text/calendar; charset=utf-8");
        answer(x, 200, FEED);
    }

    void redirect(HttpExchange x) throws IOException {
        int left = Integer.parseInt(x.getRequestURI().getPath().substring("/redirect/".length()));
        redirectTo(x, left <= 1 ? "/feed.ics" : "/redirect/" + (left - 1));
    }

    static void redirectTo(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        answer(x, 302, "moved");
    }

    void endless(HttpExchange x) throws IOException {
        x.sendResponseHeaders(200, 0); // chunked
        byte[] chunk = "X-JUNK:0123456789abcdef0123456789abcdef\r\n".repeat(400).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = x.getResponseBody()) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // the client hung up, as it should
        }
    }

    void gzipBomb(HttpExchange x) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 12; i++) {
                gz.write(zeros);
            }
        }
        x.getResponseHeaders().set("Content-Encoding", "gzip");
        x.sendResponseHeaders(200, compressed.size());
        try (OutputStream out = x.getResponseBody()) {
            out.write(compressed.toByteArray());
        } catch (IOException e) {
            // the client hung up
        }
    }

    void slow(HttpExchange x) throws IOException {
        sleep(3_000);
        answer(x, 200, FEED);
    }

    void trickle(HttpExchange x) throws IOException {
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 100; i++) {
                out.write('X');
                out.flush();
                sleep(100);
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
