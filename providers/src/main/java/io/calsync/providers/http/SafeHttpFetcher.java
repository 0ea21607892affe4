package io.calsync.providers.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * GETs a user-given URL without letting it reach the server's own network, for ICS feeds (gateway validation now,
 * the sync engine's refreshes later).
 *
 * <p><b>Addresses.</b> Apache HttpClient 5 is used rather than {@code java.net.http}, because the JDK client has no
 * resolver hook: it resolves names itself, after any check we could make, so a DNS answer that changes in between
 * (rebinding) would be connected to unchecked. Here the client's only resolver is {@link GuardedDnsResolver}: the
 * addresses are checked at connect time and the socket goes to exactly those addresses. TLS still verifies the
 * certificate against the host name. Limits: a connection kept alive in the pool is reused without a new lookup
 * (it was checked when opened, under the same policy); the lookup itself uses the system resolver, whose timeout
 * is the operating system's and is not cut short by ours; no proxy is ever used (a proxy would resolve the name
 * itself), so these fetches need direct internet access.
 *
 * <p><b>Redirects</b> are followed here, not by the client, at most {@code maxRedirects}, and every hop's URL passes
 * the guard again (and its host the resolver).
 *
 * <p><b>Limits.</b> Connect timeout per connection; a total deadline for the whole fetch, enforced by cancelling the
 * request when it passes (a server that trickles bytes cannot hold us); the body counted while it streams, after
 * decompression, and cut at {@code maxBodySize} whatever {@code Content-Length} says; header lines and counts
 * bounded.
 *
 * <p>Thread-safe; one instance per application, closed with it.
 */
public class SafeHttpFetcher implements AutoCloseable {

    static final String ACCEPT = "text/calendar, */*;q=0.5";
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private final SsrfGuard guard;
    private final SafeFetchProperties properties;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    public SafeHttpFetcher(SsrfGuard guard, SafeFetchProperties properties) {
        this.guard = guard;
        this.properties = properties;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(guard))
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                                .http1Config(Http1Config.custom()
                                        .setMaxLineLength(16 * 1024)
                                        .setMaxHeaderCount(200)
                                        .build())
                                .build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                                .setSocketTimeout(Timeout.of(properties.totalTimeout()))
                                .build())
                        .setMaxConnPerRoute(4)
                        .setMaxConnTotal(64)
                        .build())
                // Never through a proxy, whatever the system properties say: the proxy would resolve the name.
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(properties.userAgent())
                .evictIdleConnections(TimeValue.ofMinutes(1))
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("safe-http-deadlines").factory());
    }

    /** An unconditional GET. */
    public FetchResult fetch(String url) {
        return fetch(url, null, null);
    }

    /**
     * GETs the URL, following redirects.
     *
     * @param ifNoneMatch the ETag of the copy already held, or null
     * @param ifModifiedSince the Last-Modified of the copy already held (sent back as given), or null
     * @return the 2xx answer with its body, or a 304
     * @throws FetchException {@code URL_NOT_ALLOWED}, {@code ICS_UNREACHABLE} or {@code ICS_TOO_LARGE}
     */
    public FetchResult fetch(String url, String ifNoneMatch, String ifModifiedSince) {
        long deadline = System.nanoTime() + properties.totalTimeout().toNanos();
        URI uri = guard.checkUrl(url);
        for (int hop = 0; ; hop++) {
            Exchange exchange = exchange(uri, ifNoneMatch, ifModifiedSince, deadline);
            if (exchange.redirect() == null) {
                return exchange.result();
            }
            if (hop >= properties.maxRedirects()) {
                throw FetchException.httpStatus(
                        "the feed redirects more than " + properties.maxRedirects() + " times",
                        exchange.status(),
                        null);
            }
            uri = followRedirect(uri, exchange.redirect());
        }
    }

    /**
     * Any answer to a {@link #send}: the status as it came (errors and redirects are the caller's to read), the
     * body (capped like a feed's), and the headers by lower-case name (the first value of each).
     */
    public record Answer(int status, byte[] body, Map<String, String> headers) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One request of any method (WebDAV's PROPFIND and REPORT, PUT, DELETE) to a URL the guard allows, under the same
     * limits as a fetch: connect timeout, total deadline, body cap, no proxy, addresses checked at connect time.
     * Redirects are not followed: a 3xx comes back as it is, for the caller to decide (and to check the next URL
     * with {@link #check}). Only transport failures throw; every HTTP status is an answer.
     *
     * @param headers request headers (credentials among them are never logged here)
     * @param body the request body, or null
     * @param contentType the body's media type, or null
     * @throws FetchException {@code URL_NOT_ALLOWED}, {@code ICS_UNREACHABLE} (transport) or {@code ICS_TOO_LARGE}
     */
    public Answer send(String method, URI url, Map<String, String> headers, byte[] body, String contentType) {
        long deadline = System.nanoTime() + properties.totalTimeout().toNanos();
        URI uri = guard.checkUrl(url.toString());
        long remaining = remainingMillis(deadline, uri);
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(remaining))
                .setConnectionRequestTimeout(Timeout.of(properties.connectTimeout()))
                .build());
        headers.forEach(request::setHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(
                    body, contentType == null ? ContentType.APPLICATION_OCTET_STREAM : ContentType.parse(contentType)));
        }
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = deadlines.schedule(
                () -> {
                    expired.set(true);
                    request.cancel();
                },
                remaining,
                TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        boolean bodyRead = false;
        try {
            response = client.executeOpen(HttpHost.create(uri), request, null);
            byte[] answer = read(response.getEntity(), uri, deadline);
            bodyRead = true;
            Map<String, String> received = new LinkedHashMap<>();
            for (Header h : response.getHeaders()) {
                received.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
            }
            return new Answer(response.getCode(), answer, Map.copyOf(received));
        } catch (IOException e) {
            throw expired.get() ? timedOut(uri) : translate(e, uri);
        } finally {
            timer.cancel(false);
            if (!bodyRead) {
                request.cancel();
            }
            closeQuietly(response);
        }
    }

    /** The guard's check of a URL (the form; addresses are checked when connecting), for callers of {@link #send}. */
    public URI check(String url) {
        return guard.checkUrl(url);
    }

    /** One request's outcome: a final result, or where it redirects to (and with which status). */
    private record Exchange(FetchResult result, String redirect, int status) {}

    private Exchange exchange(URI uri, String ifNoneMatch, String ifModifiedSince, long deadline) {
        long remaining = remainingMillis(deadline, uri);
        HttpGet get = new HttpGet(uri);
        get.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(remaining))
                .setConnectionRequestTimeout(Timeout.of(properties.connectTimeout()))
                .build());
        get.setHeader("Accept", ACCEPT);
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            get.setHeader("If-None-Match", ifNoneMatch);
        }
        if (ifModifiedSince != null && !ifModifiedSince.isBlank()) {
            get.setHeader("If-Modified-Since", ifModifiedSince);
        }
        // Cancelling closes the socket at once: a stalled or trickling server cannot outlast the deadline.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> timer = deadlines.schedule(
                () -> {
                    expired.set(true);
                    get.cancel();
                },
                remaining,
                TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        boolean bodyRead = false;
        try {
            response = client.executeOpen(HttpHost.create(uri), get, null);
            int status = response.getCode();
            if (status == 304) {
                bodyRead = true;
                return new Exchange(result(response, uri, new byte[0]), null, status);
            }
            if (isRedirect(status)) {
                String location = header(response, "Location");
                if (location == null || location.isBlank()) {
                    throw FetchException.httpStatus(
                            "the server at " + uri.getHost() + " answered HTTP " + status + " without a Location",
                            status,
                            null);
                }
                return new Exchange(null, location.strip(), status);
            }
            if (status < 200 || status >= 300) {
                throw FetchException.httpStatus(
                        "the server at " + uri.getHost() + " answered HTTP " + status,
                        status,
                        retryAfter(header(response, "Retry-After")));
            }
            byte[] body = read(response.getEntity(), uri, deadline);
            bodyRead = true;
            return new Exchange(result(response, uri, body), null, status);
        } catch (IOException e) {
            throw expired.get() ? timedOut(uri) : translate(e, uri);
        } finally {
            timer.cancel(false);
            if (!bodyRead) {
                // Closing a response drains its unread body so that the connection can be reused, and that body
                // (error page, redirect, over the cap) may be endless. Cancelling first discards the connection.
                get.cancel();
            }
            closeQuietly(response);
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                // the connection is discarded either way
            }
        }
    }

    private URI followRedirect(URI from, String location) {
        URI next;
        try {
            next = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw FetchException.unreachable("the server at " + from.getHost() + " redirects to an invalid URL", null);
        }
        try {
            return guard.checkUrl(next.toString());
        } catch (FetchException e) {
            throw new FetchException(
                    e.code(),
                    "the feed at " + from.getHost() + " redirects to a URL that is not allowed: " + e.getMessage());
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private byte[] read(HttpEntity entity, URI uri, long deadline) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        long max = properties.maxBodySize().toBytes();
        if (entity.getContentLength() > max) {
            throw tooLarge();
        }
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(Math.max(entity.getContentLength(), 16 * 1024), max));
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        // Not closed here: closing drains the rest of the body. Read to the end it releases itself; cut short, the
        // caller cancels the request first.
        InputStream in = entity.getContent();
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > max) {
                throw tooLarge();
            }
            remainingMillis(deadline, uri);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private FetchException tooLarge() {
        return new FetchException(
                FetchException.Code.ICS_TOO_LARGE,
                "the feed is larger than " + properties.maxBodySize().toMegabytes() + " MB");
    }

    private long remainingMillis(long deadline, URI uri) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw timedOut(uri);
        }
        return remaining;
    }

    private FetchException timedOut(URI uri) {
        return FetchException.unreachable(
                "the server at " + uri.getHost() + " did not deliver the feed within "
                        + properties.totalTimeout().toSeconds() + " seconds",
                null);
    }

    private FetchException translate(IOException e, URI uri) {
        String host = uri.getHost();
        if (e instanceof GuardedDnsResolver.GuardFailure failure) {
            return failure.failure();
        }
        if (e instanceof ConnectTimeoutException) {
            return FetchException.unreachable("could not connect to " + host + " in time", e);
        }
        if (e instanceof InterruptedIOException) {
            return timedOut(uri);
        }
        if (e instanceof UnknownHostException) {
            return FetchException.unreachable("the host " + host + " could not be found", e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return FetchException.unreachable("could not connect to " + host, e);
        }
        if (e instanceof SSLException) {
            return FetchException.unreachable(
                    "the secure connection to " + host + " failed (certificate or TLS problem)", e);
        }
        return FetchException.unreachable("the feed could not be fetched from " + host, e);
    }

    private static FetchResult result(ClassicHttpResponse response, URI uri, byte[] body) {
        Header type = response.getFirstHeader("Content-Type");
        return new FetchResult(
                response.getCode(),
                body,
                header(response, "ETag"),
                header(response, "Last-Modified"),
                uri,
                type == null ? null : type.getValue());
    }

    /**
     * {@code Retry-After} as a wait from now: delta-seconds or an HTTP date (RFC 9110); null when absent or
     * unreadable. Capped at a day, so that a server cannot park a caller for ever.
     */
    public static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        Duration wait;
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                wait = v.length() > 9 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(v));
            } else {
                wait = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            }
        } catch (DateTimeException e) {
            return null;
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
