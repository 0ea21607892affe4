package io.calsync.providers.ics;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.http.FetchException;
import io.calsync.providers.http.FetchResult;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.ical.IcsEventMapper;
import io.calsync.providers.ical.IcsFeed;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.ical.InvalidIcsException;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;

/**
 * One refresh of a subscribed ICS feed. A feed has no cursor and no change log, so every pass is a full listing:
 *
 * <ol>
 *   <li>A conditional GET with the validators of the last pass ({@code If-None-Match}, {@code If-Modified-Since});
 *       {@code webcal://} is fetched as https. A 304 ends the pass: {@code notModified}, the sink is not called,
 *       and the validators are kept (the 304's own when it sends new ones).
 *   <li>A 200 is parsed ({@link IcsParser}: tolerant, one broken component costs only that component) and every
 *       VEVENT mapped ({@link IcsEventMapper}); the events go to the sink in pages of {@value #PAGE_SIZE}, each
 *       stored in its own transaction. The result is {@code full}: the engine deletes what the feed no longer has.
 *       It carries the new validators and the feed's REFRESH-INTERVAL (or X-PUBLISHED-TTL) in seconds, which the
 *       poller honours as a minimum between refreshes.
 * </ol>
 *
 * <p>The fetch goes through {@link ProviderCalls}, so a busy or unreachable server is retried like any provider:
 * timeouts, connection failures and 5xx are {@code TRANSIENT}; 429, and 503 with {@code Retry-After}, are
 * {@code RATE_LIMITED} (the wait is at least Retry-After). A feed that is gone or forbidden (4xx), a redirect that
 * cannot be followed, a URL the SSRF guard refuses and a body over the size cap are {@code PERMANENT}; so is
 * content that is not iCalendar ({@code ICS_INVALID: ...}), which is not fetched again within the pass. Messages
 * name the host at most: a feed's path and query often carry its secret.
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class IcsFeedSync implements ProviderSync {

    private static final Logger log = LoggerFactory.getLogger(IcsFeedSync.class);

    /** Events per page handed to the sink: one transaction of the engine each. */
    static final int PAGE_SIZE = 500;

    /** Longest reason kept in a message (it ends up in the calendar's {@code lastSyncError}). */
    private static final int MAX_REASON = 200;

    /** Anything that looks like a URL, in case a message ever carries one: reduced to its scheme and host. */
    private static final Pattern URL = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)(?:[^/@\\s]*@)?([^/?#\\s:]+)\\S*");

    private final SafeHttpFetcher fetcher;
    private final IcsParser parser;
    private final ProviderCalls calls;
    private final IcsEventMapper mapper = new IcsEventMapper();

    public IcsFeedSync(SafeHttpFetcher fetcher, IcsParser parser, ProviderCalls calls) {
        this.fetcher = fetcher;
        this.parser = parser;
        this.calls = calls;
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.ICS;
    }

    /** The contract's cap on the stored events of one feed. */
    public static final int MAX_EVENTS = 50_000;

    @Override
    public SyncResult sync(SyncTarget target, PageSink sink) {
        String url = target.icsUrl();
        if (url == null || url.isBlank()) {
            throw new ProviderException(Kind.PERMANENT, 0, "ICS_URL_MISSING", "the calendar has no feed URL");
        }
        FetchResult fetched =
                calls.execute(target, "ics.fetch", token -> fetch(url, target.icsEtag(), target.icsLastModified()));
        if (fetched.notModified()) {
            log.debug("ICS feed not modified connectionId={}", target.connectionId());
            return new SyncResult(
                    null,
                    false,
                    true,
                    fetched.etag() != null ? fetched.etag() : target.icsEtag(),
                    fetched.lastModified() != null ? fetched.lastModified() : target.icsLastModified(),
                    null);
        }
        IcsFeed feed = parse(fetched.body());
        IcsEventMapper.Mapping mapping = mapper.map(feed, target.connectionId());
        List<ProviderEvent> events = mapping.events();
        if (events.size() > MAX_EVENTS) {
            // The contract's per-feed cap: nothing of such a feed is stored, and the calendar says why.
            throw new ProviderException(
                    Kind.PERMANENT,
                    0,
                    "ICS_TOO_MANY_EVENTS",
                    "the feed holds " + events.size() + " events; a feed may hold at most " + MAX_EVENTS);
        }
        int pages = 0;
        for (int from = 0; from < events.size(); from += PAGE_SIZE) {
            sink.accept(events.subList(from, Math.min(from + PAGE_SIZE, events.size())), List.of());
            pages++;
        }
        log.info(
                "ICS feed read connectionId={} bytes={} events={} skipped={} duplicates={} unreadable={} pages={}",
                target.connectionId(),
                fetched.body().length,
                events.size(),
                mapping.skipped().size(),
                mapping.duplicates(),
                feed.skipped().size(),
                pages);
        return new SyncResult(
                null, true, false, fetched.etag(), fetched.lastModified(), seconds(feed.refreshInterval()));
    }

    private FetchResult fetch(String url, String etag, String lastModified) {
        try {
            return fetcher.fetch(url, etag, lastModified);
        } catch (FetchException e) {
            throw classify(e);
        }
    }

    private IcsFeed parse(byte[] body) {
        try {
            return parser.parse(body);
        } catch (InvalidIcsException e) {
            throw new ProviderException(
                    Kind.PERMANENT, 200, InvalidIcsException.CODE, InvalidIcsException.CODE + ": " + safe(e));
        } catch (RuntimeException e) {
            // The parser promises InvalidIcsException for bad content; anything else is its bug, and must still
            // end this pass with a reason rather than take the listener down with a stack trace.
            log.warn("ICS parser failed unexpectedly error={}", e.getClass().getName());
            throw new ProviderException(
                    Kind.PERMANENT,
                    200,
                    InvalidIcsException.CODE,
                    InvalidIcsException.CODE + ": the feed could not be read");
        }
    }

    /** A failed fetch as the engine's retry policy sees it (see the class comment). */
    static ProviderException classify(FetchException e) {
        String message = e.code().name() + ": " + safe(e);
        int status = e.status();
        return switch (e.code()) {
            case URL_NOT_ALLOWED, ICS_TOO_LARGE ->
                new ProviderException(Kind.PERMANENT, status, e.code().name(), message);
            case ICS_UNREACHABLE -> {
                String code = status == 0 ? e.code().name() : String.valueOf(status);
                Duration retryAfter = e.retryAfter();
                if (status == 429 || (status == 503 && retryAfter != null)) {
                    yield new ProviderException(Kind.RATE_LIMITED, status, code, message, retryAfter);
                }
                if (status == 0 || status == 408 || status >= 500) {
                    yield new ProviderException(Kind.TRANSIENT, status, code, message, retryAfter);
                }
                // 3xx that cannot be followed, 4xx: the feed is gone, forbidden or misaddressed.
                yield new ProviderException(Kind.PERMANENT, status, code, message);
            }
        };
    }

    /** A message fit for logs and the calendar's last error: one line, bounded, no URL beyond scheme and host. */
    static String safe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = URL.matcher(m).replaceAll("$1$2").replaceAll("\\s+", " ").strip();
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON - 3) + "..." : m;
    }

    private static Integer seconds(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            return null;
        }
        return (int) Math.min(d.toSeconds(), Integer.MAX_VALUE);
    }
}
