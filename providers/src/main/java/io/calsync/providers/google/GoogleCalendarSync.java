package io.calsync.providers.google;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;

/**
 * One sync pass over a Google calendar, as Google's "Synchronize resources efficiently" guide has it: a full pass
 * lists the target's window ({@code singleEvents=false}: series masters with their overrides and cancelled
 * occurrences, not expanded instances) and keeps the {@code nextSyncToken} of its last page; an incremental pass
 * sends that token alone and gets every change since, deletions included. A 410 on an incremental pass is
 * {@code SYNC_STATE_INVALID}: the engine drops the cursor and runs a full pass.
 *
 * <p>Each page goes to the sink as soon as it arrives. Google marks a deleted event or series {@code cancelled}
 * without a {@code recurringEventId}: its id goes into the removed ids. A cancelled entry with a
 * {@code recurringEventId} is one cancelled occurrence of a series that lives on: it is an upsert with status
 * CANCELLED.
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GoogleCalendarSync implements ProviderSync {

    private static final Logger log = LoggerFactory.getLogger(GoogleCalendarSync.class);

    /** Google's largest page; fewer round trips per pass. */
    static final int MAX_PAGE_SIZE = 2500;

    private final Calendar client;
    private final ProviderCalls calls;
    private final int pageSize;

    @Autowired
    public GoogleCalendarSync(ProviderEndpoints endpoints, ProviderCalls calls) {
        this(endpoints, calls, MAX_PAGE_SIZE);
    }

    /** With a smaller page, so that tests see paging without seeding thousands of events. */
    public GoogleCalendarSync(ProviderEndpoints endpoints, ProviderCalls calls, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be within [1, 2500]");
        }
        this.client = GoogleClients.calendar(endpoints.googleApiRootUrl());
        this.calls = calls;
        this.pageSize = pageSize;
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.GOOGLE;
    }

    @Override
    public SyncResult sync(SyncTarget target, PageSink sink) {
        boolean full = target.full();
        GoogleErrors.Call call = full ? GoogleErrors.Call.LIST : GoogleErrors.Call.LIST_INCREMENTAL;
        GoogleEventMapper.CalendarDefaults defaults = null;
        String pageToken = null;
        String nextSyncToken;
        int pages = 0;
        int items = 0;
        do {
            String token = pageToken;
            Events page = calls.execute(
                    target,
                    "events.list",
                    accessToken ->
                            GoogleClients.execute(listRequest(target, token), accessToken, "events.list", call, null));
            if (defaults == null) {
                // Every page carries the calendar's zone and default reminders; the first one's serve the pass.
                defaults = new GoogleEventMapper.CalendarDefaults(page.getTimeZone(), page.getDefaultReminders());
            }
            List<ProviderEvent> upserts = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            if (page.getItems() != null) {
                for (Event e : page.getItems()) {
                    if (e == null || e.getId() == null) {
                        continue;
                    }
                    if ("cancelled".equals(e.getStatus()) && e.getRecurringEventId() == null) {
                        removed.add(e.getId());
                    } else {
                        upserts.add(GoogleEventMapper.toProviderEvent(e, defaults));
                    }
                }
            }
            sink.accept(upserts, removed);
            pages++;
            items += upserts.size() + removed.size();
            pageToken = page.getNextPageToken();
            nextSyncToken = page.getNextSyncToken();
        } while (pageToken != null);

        if (nextSyncToken == null) {
            // Google ends every listing with a sync token; without one the next pass could only be full again.
            throw new ProviderException(
                    ProviderException.Kind.PERMANENT,
                    200,
                    "noSyncToken",
                    "Google events.list ended without a nextSyncToken");
        }
        log.debug(
                "google sync pass done connectionId={} full={} pages={} items={}",
                target.connectionId(),
                full,
                pages,
                items);
        return full ? SyncResult.fullList(nextSyncToken) : SyncResult.incremental(nextSyncToken);
    }

    /**
     * A full pass: the window, no deleted events (a full pass replaces what the store has). An incremental pass:
     * the sync token and nothing that restricts the result (Google refuses timeMin/timeMax with a sync token and
     * implies showDeleted), so {@code singleEvents} keeps its default like the full pass had it.
     */
    private Calendar.Events.List listRequest(SyncTarget target, String pageToken) {
        try {
            Calendar.Events.List list = client.events()
                    .list(target.providerCalendarId())
                    .setMaxResults(pageSize)
                    .setPageToken(pageToken);
            if (target.full()) {
                list.setSingleEvents(false).setShowDeleted(false);
                if (target.windowStart() != null) {
                    list.setTimeMin(new DateTime(target.windowStart().toEpochMilli(), 0));
                }
                if (target.windowEnd() != null) {
                    list.setTimeMax(new DateTime(target.windowEnd().toEpochMilli(), 0));
                }
            } else {
                list.setSyncToken(target.cursor());
            }
            return list;
        } catch (java.io.IOException e) {
            throw GoogleErrors.translate("events.list", GoogleErrors.Call.LIST, e);
        }
    }
}
