package io.calsync.gateway.application;

import io.calsync.gateway.persistence.AuditLog;
import io.calsync.model.api.CalendarView;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.SyncStatus;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.providers.http.FetchException;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ical.IcsFeed;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.ical.InvalidIcsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Validating, connecting and editing ICS feeds. The feed is fetched and parsed first, outside any transaction (a
 * fetch may take seconds and must not hold a database connection); the rows and the outbox message are then written
 * in one short transaction.
 */
@Service
public class IcsService {

    private static final Logger log = LoggerFactory.getLogger(IcsService.class);
    static final int MAX_NAME_LENGTH = 512; // calendar_connections.calendar_name

    private final SsrfGuard guard;
    private final SafeHttpFetcher fetcher;
    private final IcsParser parser;
    private final CalendarConnectionRepository connections;
    private final CalendarService calendars;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    IcsService(
            SsrfGuard guard,
            SafeHttpFetcher fetcher,
            IcsParser parser,
            CalendarConnectionRepository connections,
            CalendarService calendars,
            OutboxWriter outbox,
            AuditLog audit,
            PlatformTransactionManager transactions) {
        this.guard = guard;
        this.fetcher = fetcher;
        this.parser = parser;
        this.connections = connections;
        this.calendars = calendars;
        this.outbox = outbox;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
    }

    public IcsValidation validate(String url) {
        FeedUrl feedUrl = feedUrl(url);
        IcsFeed feed = read(feedUrl);
        return new IcsValidation(true, nameOf(null, feed, feedUrl), feed.eventCount(), feed.timezone());
    }

    /** Connects a feed: a read-only ICS connection, and {@code ConnectionCreated} so that its first sync runs. */
    public CalendarView connect(UUID userId, String url, String displayName) {
        FeedUrl feedUrl = feedUrl(url);
        String name = displayName(displayName);
        refuseDuplicate(userId, feedUrl, null);
        IcsFeed feed = read(feedUrl);
        UUID id = writeOrConflict(() -> {
            refuseDuplicate(userId, feedUrl, null);
            connections.lockUser(userId);
            if (connections.countByUserId(userId) >= CalendarConnection.MAX_PER_USER) {
                throw ApiException.invalid(
                        "url", "a user may connect at most " + CalendarConnection.MAX_PER_USER + " calendars");
            }
            CalendarConnection c = new CalendarConnection(
                    userId, CalendarProvider.ICS, feedUrl.identity(), nameOf(name, feed, feedUrl));
            c.setReadOnly(true);
            c.setIcsUrl(feedUrl.given());
            c.setIcsRefreshIntervalSecs(seconds(feed.refreshInterval()));
            // The first sync runs now (ConnectionCreated); the poller's first refresh comes an interval later, not
            // again at once. The sync sets the real next refresh when it has read the feed.
            c.setNextRefreshAt(java.time.Instant.now().plus(java.time.Duration.ofMinutes(15)));
            connections.saveAndFlush(c);
            outbox.write(ConnectionCreated.of(c.getId(), userId, CalendarProvider.ICS));
            audit.record(userId, "ics.connect", "calendar", c.getId(), "SUCCESS", feedUrl.host());
            return c.getId();
        });
        log.info(
                "ics feed connected calendar={} host={} events={} skipped={}",
                id,
                feedUrl.host(),
                feed.eventCount(),
                feed.skipped().size());
        return calendars.get(userId, id);
    }

    /**
     * Changes a feed's URL or name. A new URL is validated like a new feed, drops the ICS validators (the next fetch
     * must be unconditional) and asks for a sync; the name stays the user's. Omitted or blank fields keep their
     * values.
     */
    public CalendarView update(UUID userId, UUID id, String url, String displayName, String requestId) {
        CalendarConnection current = ownedFeed(userId, id);
        String name = displayName(displayName);
        FeedUrl feedUrl = url == null ? null : feedUrl(url);
        boolean newUrl = feedUrl != null && !feedUrl.identity().equals(current.getProviderCalendarId());
        boolean newName = name != null && !name.equals(current.getCalendarName());
        if (!newUrl && !newName) {
            return calendars.get(userId, id);
        }
        IcsFeed feed = null;
        if (newUrl) {
            refuseDuplicate(userId, feedUrl, id);
            feed = read(feedUrl);
        }
        IcsFeed checked = feed;
        writeOrConflict(() -> {
            CalendarConnection c = ownedFeed(userId, id);
            List<String> changed = new ArrayList<>();
            if (newUrl) {
                refuseDuplicate(userId, feedUrl, id);
                c.setIcsUrl(feedUrl.given());
                c.setProviderCalendarId(feedUrl.identity());
                c.setIcsEtag(null);
                c.setIcsLastModified(null);
                c.setIcsRefreshIntervalSecs(seconds(checked.refreshInterval()));
                c.setSyncStatus(SyncStatus.PENDING);
                c.setLastSyncError(null);
                c.setConsecutiveFailures(0); // the old URL's failures say nothing about the new one
                changed.add("url " + feedUrl.host());
            }
            if (newName) {
                c.setCalendarName(name);
                changed.add("displayName");
            }
            connections.saveAndFlush(c);
            if (newUrl) {
                outbox.write(SyncRequested.of(id, userId, SyncRequested.Reason.MANUAL, requestId));
            }
            audit.record(userId, "ics.update", "calendar", id, "SUCCESS", String.join(", ", changed));
            return id;
        });
        return calendars.get(userId, id);
    }

    /** The user's ICS connection; any other (someone else's, or a Google calendar) is 404. */
    private CalendarConnection ownedFeed(UUID userId, UUID id) {
        CalendarConnection c = calendars.owned(userId, id);
        if (c.getProvider() != CalendarProvider.ICS) {
            throw ApiException.notFound("calendar"); // the same answer as for an id that does not exist
        }
        return c;
    }

    private void refuseDuplicate(UUID userId, FeedUrl feedUrl, UUID except) {
        connections
                .findByUserIdAndProviderAndProviderCalendarId(userId, CalendarProvider.ICS, feedUrl.identity())
                .filter(c -> !c.getId().equals(except))
                .ifPresent(c -> {
                    throw ApiException.conflict("this feed is already connected");
                });
    }

    /**
     * Runs a write in a transaction. The unique index catches a duplicate that raced past the check; the row's
     * version, a sync that updated the row at the same moment.
     */
    private UUID writeOrConflict(Supplier<UUID> write) {
        try {
            return tx.execute(status -> write.get());
        } catch (DataIntegrityViolationException e) {
            throw ApiException.conflict("this feed is already connected");
        } catch (OptimisticLockingFailureException e) {
            throw ApiException.conflict("the calendar was changed at the same time; try again");
        }
    }

    private FeedUrl feedUrl(String url) {
        try {
            return FeedUrl.of(url, guard);
        } catch (FetchException e) {
            throw refused(e.code().name(), e.getMessage(), null);
        }
    }

    /** Fetches and parses the feed, or answers 422 with the contract's code and a reason for the user. */
    private IcsFeed read(FeedUrl feedUrl) {
        try {
            return parser.parse(fetcher.fetch(feedUrl.given()).body());
        } catch (FetchException e) {
            throw refused(e.code().name(), e.getMessage(), feedUrl);
        } catch (InvalidIcsException e) {
            throw refused(e.code(), e.getMessage(), feedUrl);
        }
    }

    private static ApiException refused(String code, String reason, FeedUrl feedUrl) {
        String host = feedUrl == null ? null : feedUrl.host();
        if (code.equals(FetchException.Code.URL_NOT_ALLOWED.name())) {
            // Possibly someone probing the server's network through the feed URL: worth a warning.
            log.warn("ics feed refused code={} host={} reason={}", code, host, reason);
        } else {
            log.info("ics feed refused code={} host={} reason={}", code, host, reason);
        }
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, reason, null);
    }

    /** A display name: trimmed; blank means none; at most {@value #MAX_NAME_LENGTH} characters. */
    private static String displayName(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return null;
        }
        String name = displayName.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("displayName", "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    /** The user's name, else the feed's, else the host; cut to the column's size. */
    private static String nameOf(String displayName, IcsFeed feed, FeedUrl feedUrl) {
        String name = displayName != null
                ? displayName
                : feed.calendarName() != null && !feed.calendarName().isBlank() ? feed.calendarName() : feedUrl.host();
        if (name.length() <= MAX_NAME_LENGTH) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_NAME_LENGTH - 1)) ? MAX_NAME_LENGTH - 1 : MAX_NAME_LENGTH;
        return name.substring(0, end);
    }

    private static Integer seconds(Duration interval) {
        return interval == null ? null : (int) Math.min(interval.toSeconds(), Integer.MAX_VALUE);
    }
}
