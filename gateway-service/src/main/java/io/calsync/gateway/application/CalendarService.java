package io.calsync.gateway.application;

import io.calsync.gateway.persistence.AuditLog;
import io.calsync.gateway.persistence.CalendarQueries;
import io.calsync.model.api.CalendarView;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.SyncStatus;
import io.calsync.model.messaging.ConnectionRemoved;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.persistence.WebhookSubscription;
import io.calsync.model.persistence.WebhookSubscriptionRepository;
import io.calsync.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The user's calendar connections: reads, disconnect, and sync requests (sent through the outbox). */
@Service
public class CalendarService {

    private final CalendarConnectionRepository connections;
    private final WebhookSubscriptionRepository subscriptions;
    private final CalendarQueries queries;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    public CalendarService(
            CalendarConnectionRepository connections,
            WebhookSubscriptionRepository subscriptions,
            CalendarQueries queries,
            OutboxWriter outbox,
            AuditLog audit) {
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.queries = queries;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** The connection if it is the user's; otherwise 404, whether it exists or not. */
    public CalendarConnection owned(UUID userId, UUID connectionId) {
        return connections.findByIdAndUserId(connectionId, userId).orElseThrow(() -> ApiException.notFound("calendar"));
    }

    /** The calendar's sync state; 404 when it is not the user's. */
    @Transactional(readOnly = true)
    public SyncState syncState(UUID userId, UUID connectionId) {
        return queries.syncState(userId, connectionId, clock.instant())
                .orElseThrow(() -> ApiException.notFound("calendar"));
    }

    @Transactional(readOnly = true)
    public List<CalendarView> list(UUID userId) {
        List<CalendarConnection> all = connections.findByUserIdOrderByCreatedAtAsc(userId);
        Map<UUID, Long> counts =
                queries.eventCounts(all.stream().map(CalendarConnection::getId).toList());
        return all.stream()
                .map(c -> CalendarView.of(c, counts.getOrDefault(c.getId(), 0L)))
                .toList();
    }

    @Transactional(readOnly = true)
    public CalendarView get(UUID userId, UUID id) {
        CalendarConnection c = owned(userId, id);
        return CalendarView.of(c, queries.eventCounts(List.of(id)).getOrDefault(id, 0L));
    }

    /** Counts for the dashboard (contract: {@code GET /calendars/stats}). */
    public record Stats(
            long totalCalendars,
            Map<CalendarProvider, Long> byProvider,
            long totalEvents,
            long upcomingEvents,
            long failedSyncs,
            Instant lastSyncedAt) {}

    @Transactional(readOnly = true)
    public Stats stats(UUID userId) {
        List<CalendarConnection> all = connections.findByUserIdOrderByCreatedAtAsc(userId);
        List<UUID> ids = all.stream().map(CalendarConnection::getId).toList();
        Map<CalendarProvider, Long> byProvider = new EnumMap<>(CalendarProvider.class);
        for (CalendarProvider p : CalendarProvider.values()) {
            byProvider.put(p, all.stream().filter(c -> c.getProvider() == p).count());
        }
        long totalEvents = queries.eventCounts(ids).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        return new Stats(
                all.size(),
                byProvider,
                totalEvents,
                queries.upcomingEvents(ids, clock.instant()),
                all.stream().filter(c -> c.getSyncStatus() == SyncStatus.FAILED).count(),
                all.stream()
                        .map(CalendarConnection::getLastSyncedAt)
                        .filter(Objects::nonNull)
                        .max(Instant::compareTo)
                        .orElse(null));
    }

    /**
     * Disconnects a calendar: its events and subscriptions go with the row (ON DELETE CASCADE), and a
     * {@link ConnectionRemoved} tells the sync engine which push channels to stop at the provider, all in one
     * transaction.
     */
    @Transactional
    public void delete(UUID userId, UUID id) {
        CalendarConnection c = owned(userId, id);
        List<WebhookSubscription> subs = subscriptions.findByConnectionId(id);
        List<String> subscriptionIds = new ArrayList<>();
        List<String> resourceIds = new ArrayList<>();
        for (WebhookSubscription s : subs) {
            subscriptionIds.add(s.getSubscriptionId());
            resourceIds.add(s.getResourceId() == null ? "" : s.getResourceId());
        }
        outbox.write(new ConnectionRemoved(
                UUID.randomUUID(),
                1,
                clock.instant(),
                id,
                userId,
                c.getProvider(),
                c.getAccountEmail(),
                subscriptionIds,
                resourceIds));
        connections.delete(c);
        audit.record(
                userId, "calendar.disconnect", "calendar", id, "SUCCESS", c.getProvider() + " " + c.getCalendarName());
    }

    @Transactional
    public String requestSync(UUID userId, UUID id, String requestId) {
        CalendarConnection c = owned(userId, id);
        if (!c.isConnected()) {
            throw ApiException.conflict("the calendar is disconnected; connect it again before syncing");
        }
        outbox.write(SyncRequested.of(id, userId, SyncRequested.Reason.MANUAL, requestId));
        audit.record(userId, "calendar.sync", "calendar", id, "QUEUED", null);
        return requestId;
    }

    @Transactional
    public int requestSyncAll(UUID userId, String requestId) {
        int n = 0;
        for (CalendarConnection c : connections.findByUserIdOrderByCreatedAtAsc(userId)) {
            if (c.isConnected()) {
                outbox.write(SyncRequested.of(c.getId(), userId, SyncRequested.Reason.MANUAL, requestId));
                n++;
            }
        }
        audit.record(userId, "calendar.sync_all", "user", userId, "QUEUED", n + " calendars");
        return n;
    }
}
