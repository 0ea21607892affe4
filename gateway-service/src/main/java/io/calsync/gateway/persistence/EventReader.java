package io.calsync.gateway.persistence;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.EventView;
import io.calsync.gateway.application.OccurrenceCache;
import io.calsync.gateway.application.OccurrenceId;
import io.calsync.gateway.application.RecurrenceExpander;
import io.calsync.gateway.application.RuleWindow;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.persistence.CalendarEvent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads of events: one event (a row, or an occurrence of a series by its composite id) and the range query, which
 * merges single events and overrides with the occurrences of series expanded inside the window, ordered by start.
 *
 * <p>The range query bounds {@code start_time} from below by the window start minus the longest event of the
 * user's calendars ({@code max_event_duration_secs}), so the (connection_id, start_time) index limits both ends.
 */
@Component
@Transactional(readOnly = true)
public class EventReader {

    /** Rows that are not shown: cancelled ones and those being deleted at the provider. */
    private static final String VISIBLE = " AND e.status <> :cancelled AND e.syncStatus <> :deleted"
            + " AND (e.pendingOperation IS NULL OR e.pendingOperation <> 'DELETE')";

    private final EntityManager em;
    private final CalendarConnectionRepository connections;
    private final OccurrenceCache occurrences;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public EventReader(
            EntityManager em,
            CalendarConnectionRepository connections,
            OccurrenceCache occurrences,
            org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.em = em;
        this.connections = connections;
        this.occurrences = occurrences;
        this.jdbc = jdbc;
    }

    public static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Locks the row until the transaction ends and reads it again (a writer that committed meanwhile shows). */
    public void lockAndRefresh(CalendarEvent e) {
        em.refresh(e, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /** The row if its calendar is the user's and it is not being deleted. */
    public Optional<CalendarEvent> ownedRow(UUID userId, UUID id) {
        return em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.id = :id AND e.connectionId IN"
                                + " (SELECT c.id FROM CalendarConnection c WHERE c.userId = :user)"
                                + " AND (e.pendingOperation IS NULL OR e.pendingOperation <> 'DELETE')",
                        CalendarEvent.class)
                .setParameter("id", id)
                .setParameter("user", userId)
                .getResultStream()
                .findFirst();
    }

    /**
     * The user's event rows among {@code ids} as they are now, by id: series as masters, overrides and cancelled
     * occurrences as their own rows; rows being deleted (or deleted at the provider) are left out, as gone.
     */
    public Map<UUID, EventView> current(UUID userId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<CalendarEvent> rows = em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.id IN :ids AND e.connectionId IN"
                                + " (SELECT c.id FROM CalendarConnection c WHERE c.userId = :user)"
                                + " AND e.syncStatus <> :deleted"
                                + " AND (e.pendingOperation IS NULL OR e.pendingOperation <> 'DELETE')",
                        CalendarEvent.class)
                .setParameter("ids", ids)
                .setParameter("user", userId)
                .setParameter("deleted", io.calsync.model.domain.SyncStatus.DELETED)
                .getResultList();
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<UUID, CalendarConnection> calendars = connections.findByUserIdOrderByCreatedAtAsc(userId).stream()
                .collect(Collectors.toMap(CalendarConnection::getId, c -> c));
        Map<UUID, EventView> out = new HashMap<>();
        for (EventView v : views(rows, calendars)) {
            out.put(UUID.fromString(v.id()), v);
        }
        return out;
    }

    public EventView get(UUID userId, String id) {
        Optional<OccurrenceId> occurrence = OccurrenceId.parse(id);
        if (occurrence.isEmpty()) {
            CalendarEvent e =
                    uuid(id).flatMap(u -> ownedRow(userId, u)).orElseThrow(() -> ApiException.notFound("event"));
            return view(e, connections.findById(e.getConnectionId()).orElseThrow());
        }
        OccurrenceId o = occurrence.get();
        CalendarEvent master = ownedRow(userId, o.seriesId())
                .filter(m -> m.getRecurrenceRule() != null)
                .orElseThrow(() -> ApiException.notFound("event"));
        Instant at = o.originalStart() != null
                ? o.originalStart()
                : o.originalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        Duration length = Duration.between(master.getStartTime(), master.getEndTime());
        CalendarConnection calendar =
                connections.findById(master.getConnectionId()).orElseThrow();
        List<EventView> found = expand(
                List.of(master),
                at,
                at.plus(length.isZero() ? Duration.ofSeconds(1) : length),
                Map.of(calendar.getId(), calendar));
        return found.stream()
                .filter(v -> v.id().equals(id))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("event"));
    }

    /** At most this many events in one answer (the contract's Tightenings); then {@code truncated}. */
    static final int MAX_EVENTS = 5_000;

    /** How long one answer may spend expanding series before it answers with what it has ({@code truncated}). */
    static final Duration EXPANSION_BUDGET = Duration.ofSeconds(2);

    /** An answer of the range query: the events, ordered by start, and whether some were left out. */
    public record Range(List<EventView> events, boolean truncated) {}

    /**
     * Events overlapping {@code [start, end)} of the user's calendars (or one of them), series expanded unless not:
     * at most {@link #MAX_EVENTS}, the earliest ones, and {@code truncated} when more overlap the window or the
     * expansion ran out of its {@link #EXPANSION_BUDGET}.
     */
    public Range range(UUID userId, UUID calendarId, Instant start, Instant end, boolean expand) {
        List<CalendarConnection> calendars = calendarId == null
                ? connections.findByUserIdOrderByCreatedAtAsc(userId)
                : List.of(connections
                        .findByIdAndUserId(calendarId, userId)
                        .orElseThrow(() -> ApiException.notFound("calendar")));
        if (calendars.isEmpty()) {
            return new Range(List.of(), false);
        }
        Map<UUID, CalendarConnection> byId =
                calendars.stream().collect(Collectors.toMap(CalendarConnection::getId, c -> c));
        long longest = calendars.stream()
                .mapToLong(CalendarConnection::getMaxEventDurationSecs)
                .max()
                .orElse(86_400);
        List<CalendarEvent> singles = visible(em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.connectionId IN :ids"
                                + " AND e.recurrenceRule IS NULL AND e.startTime < :end AND e.endTime > :start"
                                + " AND e.startTime >= :lower" + VISIBLE,
                        CalendarEvent.class))
                .setParameter("ids", byId.keySet())
                .setParameter("start", start)
                .setParameter("end", end)
                .setParameter("lower", start.minusSeconds(longest))
                .getResultList();
        List<CalendarEvent> masters = visible(em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.connectionId IN :ids"
                                + " AND e.recurrenceRule IS NOT NULL AND e.startTime < :end"
                                + " AND (e.seriesEnd IS NULL OR e.seriesEnd > :start)" + VISIBLE,
                        CalendarEvent.class))
                .setParameter("ids", byId.keySet())
                .setParameter("end", end)
                .setParameter("start", start)
                .getResultList();
        Earliest out = new Earliest(MAX_EVENTS);
        out.addAll(views(singles, byId));
        if (expand) {
            expand(masters, start, end, byId, out, RecurrenceExpander.MAX_OCCURRENCES, deadline());
        } else {
            out.addAll(views(masters, byId));
        }
        return out.range();
    }

    /**
     * The next {@code limit} events from now (those still running included), series expanded a year ahead: the single
     * events by an ordered, limited query; each series only as far as its first {@code limit} occurrences.
     */
    public List<EventView> upcoming(UUID userId, int limit, Instant now) {
        List<CalendarConnection> calendars = connections.findByUserIdOrderByCreatedAtAsc(userId);
        if (calendars.isEmpty()) {
            return List.of();
        }
        Map<UUID, CalendarConnection> byId =
                calendars.stream().collect(Collectors.toMap(CalendarConnection::getId, c -> c));
        Instant horizon = now.plus(Duration.ofDays(366));
        List<CalendarEvent> singles = visible(em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.connectionId IN :ids"
                                + " AND e.recurrenceRule IS NULL AND e.endTime > :now AND e.startTime < :horizon"
                                + VISIBLE + " ORDER BY e.startTime, e.id",
                        CalendarEvent.class))
                .setParameter("ids", byId.keySet())
                .setParameter("now", now)
                .setParameter("horizon", horizon)
                .setMaxResults(limit)
                .getResultList();
        List<CalendarEvent> masters = visible(em.createQuery(
                        "SELECT e FROM CalendarEvent e WHERE e.connectionId IN :ids"
                                + " AND e.recurrenceRule IS NOT NULL AND e.startTime < :horizon"
                                + " AND (e.seriesEnd IS NULL OR e.seriesEnd > :now)" + VISIBLE,
                        CalendarEvent.class))
                .setParameter("ids", byId.keySet())
                .setParameter("horizon", horizon)
                .setParameter("now", now)
                .getResultList();
        Earliest out = new Earliest(limit);
        out.addAll(views(singles, byId));
        expand(masters, now, horizon, byId, out, limit, deadline());
        return out.events();
    }

    /** A query using {@link #VISIBLE}, with its two parameters set. */
    private static <T> TypedQuery<T> visible(TypedQuery<T> query) {
        return query.setParameter("cancelled", EventStatus.CANCELLED)
                .setParameter("deleted", io.calsync.model.domain.SyncStatus.DELETED);
    }

    private static Instant deadline() {
        return Instant.now().plus(EXPANSION_BUDGET);
    }

    /**
     * The earliest events seen, at most {@code max} of them, ordered by start: what is added beyond that is dropped
     * as it comes (kept below twice the cap), so that no answer holds more than a bounded number of events.
     */
    static final class Earliest {
        private final int max;
        private final List<EventView> events = new ArrayList<>();
        private boolean truncated;

        Earliest(int max) {
            this.max = max;
        }

        void addAll(List<EventView> more) {
            events.addAll(more);
            if (events.size() > 2 * max) {
                trim();
            }
        }

        void budgetExhausted() {
            truncated = true;
        }

        /** The events and whether some were left out, sorted and cut once. */
        Range range() {
            trim();
            return new Range(List.copyOf(events), truncated);
        }

        List<EventView> events() {
            return range().events();
        }

        private void trim() {
            events.sort(Comparator.comparing(EventView::startTime).thenComparing(EventView::id));
            if (events.size() > max) {
                events.subList(max, events.size()).clear();
                truncated = true;
            }
        }
    }

    private List<EventView> expand(
            List<CalendarEvent> masters, Instant start, Instant end, Map<UUID, CalendarConnection> calendars) {
        Earliest out = new Earliest(RecurrenceExpander.MAX_OCCURRENCES);
        expand(masters, start, end, calendars, out, RecurrenceExpander.MAX_OCCURRENCES, deadline());
        return out.events();
    }

    /**
     * Expands each series into {@code out}, each at most {@code perSeries} occurrences; stops, and says so, when the
     * answer's time budget is spent (each series' expansion is bounded on its own: see {@link RuleWindow}).
     */
    private void expand(
            List<CalendarEvent> masters,
            Instant start,
            Instant end,
            Map<UUID, CalendarConnection> calendars,
            Earliest out,
            int perSeries,
            Instant deadline) {
        if (masters.isEmpty()) {
            return;
        }
        List<UUID> ids = masters.stream().map(CalendarEvent::getId).toList();
        // Overrides and cancelled occurrences have rows of their own: their original starts are not expanded again.
        Map<UUID, Set<Instant>> taken = new HashMap<>();
        for (Object[] row : em.createQuery(
                        "SELECT e.recurringEventId, e.originalStartTime, e.originalStartDate"
                                + " FROM CalendarEvent e WHERE e.recurringEventId IN :ids",
                        Object[].class)
                .setParameter("ids", ids)
                .getResultList()) {
            Instant original = row[1] != null
                    ? (Instant) row[1]
                    : row[2] != null
                            ? ((LocalDate) row[2]).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : null;
            if (original != null) {
                taken.computeIfAbsent((UUID) row[0], k -> new HashSet<>()).add(original);
            }
        }
        Children children = children(ids);
        for (CalendarEvent m : masters) {
            if (Instant.now().isAfter(deadline)) {
                out.budgetExhausted();
                return;
            }
            List<EventView> series = new ArrayList<>();
            CalendarConnection calendar = calendars.get(m.getConnectionId());
            List<RecurrenceExpander.Occurrence> expanded;
            try {
                expanded = this.occurrences.expand(
                        new OccurrenceCache.Series(
                                m.getId(),
                                m.getVersion(),
                                m.getRecurrenceRule(),
                                m.getRecurrence(),
                                m.getStartTime(),
                                m.getEndTime(),
                                m.isAllDay(),
                                m.getStartDate(),
                                m.getEndDate(),
                                m.getTimezone()),
                        start,
                        end,
                        taken.getOrDefault(m.getId(), Set.of()));
            } catch (RuntimeException e) {
                // A rule ical4j cannot read shows the series' first occurrence rather than failing the whole range.
                expanded = m.getStartTime().isBefore(end) && m.getEndTime().isAfter(start)
                        ? List.of(new RecurrenceExpander.Occurrence(
                                m.getStartTime(), m.getEndTime(), m.getStartDate(), m.getEndDate()))
                        : List.of();
            }
            if (expanded.size() > perSeries) {
                expanded = expanded.subList(0, perSeries);
            }
            for (RecurrenceExpander.Occurrence o : expanded) {
                String id = m.isAllDay()
                        ? OccurrenceId.of(m.getId(), o.startDate())
                        : OccurrenceId.of(m.getId(), o.start());
                series.add(new EventView(
                        id,
                        calendar.getId(),
                        calendar.getProvider(),
                        m.getProviderEventId(),
                        m.getIcalUid(),
                        m.getTitle(),
                        m.getDescription(),
                        m.getLocation(),
                        o.start(),
                        o.end(),
                        m.isAllDay(),
                        o.startDate(),
                        o.endDate(),
                        m.getTimezone(),
                        m.getStatus(),
                        null,
                        m.getId(),
                        o.start(),
                        m.getOrganizerEmail(),
                        m.getHtmlLink(),
                        children.attendees(m.getId()),
                        children.reminders(m.getId()),
                        m.getSyncStatus(),
                        m.getSyncError(),
                        m.getCreatedAt(),
                        m.getUpdatedAt(),
                        m.getVersion()));
            }
            out.addAll(series);
        }
    }

    public EventView view(CalendarEvent e, CalendarConnection calendar) {
        return views(List.of(e), Map.of(calendar.getId(), calendar)).getFirst();
    }

    private List<EventView> views(Collection<CalendarEvent> rows, Map<UUID, CalendarConnection> calendars) {
        Children children = children(rows.stream().map(CalendarEvent::getId).toList());
        return rows.stream()
                .map(e -> {
                    CalendarConnection c = calendars.get(e.getConnectionId());
                    return new EventView(
                            e.getId().toString(),
                            c.getId(),
                            c.getProvider(),
                            e.getProviderEventId(),
                            e.getIcalUid(),
                            e.getTitle(),
                            e.getDescription(),
                            e.getLocation(),
                            e.getStartTime(),
                            e.getEndTime(),
                            e.isAllDay(),
                            e.isAllDay() ? e.getStartDate() : null,
                            e.isAllDay() ? e.getEndDate() : null,
                            e.getTimezone(),
                            e.getStatus() == null ? EventStatus.CONFIRMED : e.getStatus(),
                            e.getRecurrenceRule(),
                            e.getRecurringEventId(),
                            e.getOriginalStartTime(),
                            e.getOrganizerEmail(),
                            e.getHtmlLink(),
                            children.attendees(e.getId()),
                            children.reminders(e.getId()),
                            e.getSyncStatus(),
                            e.getSyncError(),
                            e.getCreatedAt(),
                            e.getUpdatedAt(),
                            e.getVersion());
                })
                .toList();
    }

    private record Children(Map<UUID, List<EventView.Attendee>> a, Map<UUID, List<EventView.Reminder>> r) {
        List<EventView.Attendee> attendees(UUID id) {
            return a.getOrDefault(id, List.of());
        }

        List<EventView.Reminder> reminders(UUID id) {
            return r.getOrDefault(id, List.of());
        }
    }

    /**
     * Attendees and reminders of many events in one statement each: {@code event_id = ANY(uuid[])} keeps one
     * statement text (a reusable plan) and uses the event_id indexes, where an IN list of thousands of bind
     * parameters made PostgreSQL fall back to parallel scans of the whole tables.
     */
    private Children children(List<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return new Children(Map.of(), Map.of());
        }
        Object[] ids = eventIds.toArray();
        Map<UUID, List<EventView.Attendee>> a = new HashMap<>();
        jdbc.query(
                "SELECT event_id, email, display_name, response_status::text, optional, organizer"
                        + " FROM event_attendees WHERE event_id = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)),
                rs -> {
                    a.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new EventView.Attendee(
                                    rs.getString(2),
                                    rs.getString(3),
                                    io.calsync.model.domain.RsvpStatus.valueOf(rs.getString(4)),
                                    rs.getBoolean(5),
                                    rs.getBoolean(6)));
                });
        Map<UUID, List<EventView.Reminder>> r = new HashMap<>();
        jdbc.query(
                "SELECT event_id, method::text, minutes_before FROM event_reminders WHERE event_id = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids)),
                rs -> {
                    r.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new EventView.Reminder(
                                    io.calsync.model.domain.ReminderMethod.valueOf(rs.getString(2)), rs.getInt(3)));
                });
        return new Children(a, r);
    }
}
