package io.calsync.providers.microsoft;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.microsoft.GraphClient.Scope;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;

/**
 * One sync pass over an Outlook calendar, as Graph's "Get incremental changes to events in a calendar view" has it.
 * A full pass asks {@code /me/calendars/{id}/calendarView/delta} for the target's window and follows
 * {@code @odata.nextLink} verbatim until a page carries {@code @odata.deltaLink}, the cursor of the next pass; an
 * incremental pass follows the stored delta link the same way and gets what changed since. A dead delta link (410,
 * {@code SyncStateNotFound} and its kin) is {@code SYNC_STATE_INVALID}: the engine drops it and runs a full pass.
 *
 * <p>calendarView lists series as their expanded occurrences and exceptions, never the master, while the engine
 * stores a series as a master with its RRULE. So the first time a pass meets a {@code seriesMasterId} it reads that
 * master ({@link GraphReader}: RRULE, and EXDATEs for occurrences cancelled before) and puts it on the page ahead of
 * the instances; a master that is gone (404) means the whole series is, and its id goes into the removed ids with
 * its instances left out. Every occurrence and exception becomes an instance pointing at its master with its
 * original start. {@code @removed} entries are removed ids (for an occurrence of a live series the engine keeps it
 * as a cancelled occurrence).
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GraphCalendarSync implements ProviderSync {

    private static final Logger log = LoggerFactory.getLogger(GraphCalendarSync.class);

    /** Events per delta page ({@code Prefer: odata.maxpagesize}); Graph's own default is smaller. */
    public static final int DEFAULT_PAGE_SIZE = 200;
    /** A pass that has not reached its delta link after this many pages is broken, not long. */
    private static final int MAX_PAGES = 10_000;

    private final GraphClient graph;
    private final GraphReader reader;
    private final int pageSize;

    @Autowired
    public GraphCalendarSync(ProviderEndpoints endpoints, ProviderCalls calls) {
        this(endpoints, calls, DEFAULT_PAGE_SIZE);
    }

    /** With another page size, so that tests see paging without seeding hundreds of events. */
    public GraphCalendarSync(ProviderEndpoints endpoints, ProviderCalls calls, int pageSize) {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be within [1, 1000]");
        }
        this.graph = new GraphClient(endpoints.microsoftGraphBaseUrl(), calls);
        this.reader = new GraphReader(graph);
        this.pageSize = pageSize;
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.MICROSOFT;
    }

    @Override
    public SyncResult sync(SyncTarget target, PageSink sink) {
        URI url = target.full() ? start(target) : cursor(target);
        Map<String, Boolean> masters = new HashMap<>(); // master id -> still there, for this pass
        int pages = 0;
        int upserts = 0;
        int removed = 0;
        while (true) {
            if (++pages > MAX_PAGES) {
                throw new ProviderException(
                        Kind.PERMANENT,
                        0,
                        "tooManyPages",
                        "Graph calendarView.delta did not end after " + MAX_PAGES + " pages");
            }
            JsonNode page = graph.call(target, "calendarView.delta", "GET", url, null, null, pageSize, Scope.DELTA);
            if (page == null) {
                throw new ProviderException(
                        Kind.TRANSIENT, 0, "emptyAnswer", "Graph calendarView.delta answered without a body");
            }
            Page p = page(target, page, masters);
            sink.accept(p.upserts(), p.removed());
            upserts += p.upserts().size();
            removed += p.removed().size();

            String next = GraphEventMapper.text(page, "@odata.nextLink");
            String delta = GraphEventMapper.text(page, "@odata.deltaLink");
            if (next != null) {
                url = graph.link(next);
                if (url == null) {
                    throw new ProviderException(
                            Kind.PERMANENT,
                            0,
                            "foreignNextLink",
                            "Graph calendarView.delta answered a next link outside the Graph base URL");
                }
            } else if (delta != null) {
                log.info(
                        "graph sync pass done connectionId={} full={} pages={} upserts={} removed={} series={}",
                        target.connectionId(),
                        target.full(),
                        pages,
                        upserts,
                        removed,
                        masters.size());
                return target.full() ? SyncResult.fullList(delta) : SyncResult.incremental(delta);
            } else {
                throw new ProviderException(
                        Kind.TRANSIENT,
                        0,
                        "noLink",
                        "Graph calendarView.delta answered a page with neither a next nor a delta link");
            }
        }
    }

    private record Page(List<ProviderEvent> upserts, List<String> removed) {}

    private Page page(SyncTarget target, JsonNode page, Map<String, Boolean> masters) {
        List<ProviderEvent> seriesMasters = new ArrayList<>();
        List<ProviderEvent> events = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (JsonNode item : page.path("value")) {
            String id = GraphEventMapper.text(item, "id");
            if (item.has("@removed")) {
                if (id != null) {
                    removed.add(id);
                }
                continue;
            }
            String masterId = GraphEventMapper.text(item, "seriesMasterId");
            if (masterId != null && !masterId.equals(id)) {
                Boolean live = masters.get(masterId);
                if (live == null) {
                    ProviderEvent master = reader.event(target, masterId);
                    live = master != null;
                    masters.put(masterId, live);
                    if (master == null) {
                        removed.add(masterId);
                    } else {
                        seriesMasters.add(master);
                    }
                }
                if (!live) {
                    continue; // the series is gone; its instances go with it
                }
            }
            try {
                ProviderEvent e = reader.map(target, item);
                if (e.recurrenceRule() != null && !e.isInstance()) {
                    // calendarView lists no masters, but should one come, it is that series' master
                    if (masters.put(e.providerEventId(), true) == null) {
                        seriesMasters.add(e);
                    }
                } else {
                    events.add(e);
                }
            } catch (IllegalArgumentException unreadable) {
                // one event Graph wrote without a start or end must not stop the calendar's sync
                log.warn(
                        "skipped a Graph event without readable times connectionId={} reason={}",
                        target.connectionId(),
                        unreadable.getMessage());
            }
        }
        List<ProviderEvent> upserts = new ArrayList<>(seriesMasters); // masters ahead of their instances
        upserts.addAll(events);
        return new Page(upserts, removed);
    }

    /** The first request of a full pass: the calendar's view over the target's window. */
    private URI start(SyncTarget target) {
        if (target.windowStart() == null
                || target.windowEnd() == null
                || !target.windowEnd().isAfter(target.windowStart())) {
            throw new ProviderException(
                    Kind.PERMANENT, 0, "noWindow", "a full Graph sync needs a window (start before end)");
        }
        if (target.providerCalendarId() == null || target.providerCalendarId().isBlank()) {
            throw new ProviderException(Kind.PERMANENT, 0, "noCalendar", "a Graph sync needs a calendar id");
        }
        return graph.url("/me/calendars/" + GraphClient.segment(target.providerCalendarId())
                + "/calendarView/delta?startDateTime="
                + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(target.windowStart()))
                + "&endDateTime="
                + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(target.windowEnd())));
    }

    /**
     * The stored delta link. One that does not point at the configured Graph (another base URL since, or a damaged
     * row) is never called with the token: it is a cursor to drop, and the engine then runs a full pass.
     */
    private URI cursor(SyncTarget target) {
        URI url = graph.link(target.cursor());
        if (url == null) {
            throw new ProviderException(
                    Kind.SYNC_STATE_INVALID,
                    0,
                    "foreignDeltaLink",
                    "the stored Graph delta link does not point at the Graph base URL");
        }
        return url;
    }
}
