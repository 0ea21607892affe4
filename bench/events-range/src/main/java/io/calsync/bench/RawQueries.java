package io.calsync.bench;

import io.calsync.bench.support.Db;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The rows EventReader.range reads for a window, straight through JDBC: the baseline of the benchmark.
 *
 * <ul>
 *   <li>{@link #rows}: what the issue asks to compare with, the single events (and overrides) overlapping the window,
 *       bounded below by the window start minus the longest event of the user's calendars, plus the series masters
 *       that start before the window ends; the same predicates, every column read, as EventReader's two queries.
 *   <li>{@link #allReads}: for context, every read EventReader makes for the request (calendars, both queries above,
 *       attendees and reminders of the singles, and per calendar with series: the overrides' original starts and the
 *       masters' attendees and reminders) in the same number of round trips, with {@code = ANY(array)} for id lists.
 * </ul>
 *
 * A small pool of connections (like the gateway's Hikari pool of 10) serves concurrent calls.
 */
final class RawQueries implements AutoCloseable {

    static final String EVENT_COLUMNS =
            "e.id, e.connection_id, e.provider_event_id, e.ical_uid, e.title, e.description,"
                    + " e.location, e.start_time, e.end_time, e.is_all_day, e.start_date, e.end_date, e.timezone, e.status,"
                    + " e.recurrence_rule, e.recurrence, e.recurrence_frequency, e.recurring_event_id, e.provider_recurring_id,"
                    + " e.original_start_time, e.original_start_date, e.organizer_email, e.html_link, e.etag,"
                    + " e.provider_updated_at, e.sequence, e.sync_status, e.sync_error, e.sync_attempts, e.pending_operation,"
                    + " e.last_synced_at, e.version, e.created_at, e.updated_at";
    /** Only what the API's answer carries of an event (EventView), for the lean baseline. */
    static final String LEAN_COLUMNS = "e.id, e.connection_id, e.provider_event_id, e.ical_uid, e.title, e.description,"
            + " e.location, e.start_time, e.end_time, e.is_all_day, e.start_date, e.end_date, e.timezone, e.status,"
            + " e.recurrence_rule, e.recurrence, e.recurring_event_id, e.original_start_time, e.organizer_email,"
            + " e.html_link, e.sync_status, e.sync_error, e.created_at, e.updated_at, e.version";

    private static final String VISIBLE = " AND e.status <> ?::event_status AND e.sync_status <> ?::sync_status"
            + " AND (e.pending_operation IS NULL OR e.pending_operation <> 'DELETE')";

    private final BlockingQueue<Connection> pool;
    private final UUID userId;
    private final List<UUID> calendarIds;
    private final long longestSeconds;
    private final String singlesSql;
    private final String mastersSql;
    private final String freeBusySinglesSql;
    private final String leanSinglesSql;
    private final String leanMastersSql;
    private final String freeBusyMastersSql;

    RawQueries(Db db, UUID userId, List<UUID> calendarIds, long longestSeconds, int poolSize) throws SQLException {
        this.pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(db.open());
        }
        this.userId = userId;
        this.calendarIds = List.copyOf(calendarIds);
        this.longestSeconds = longestSeconds;
        String in = "(" + String.join(", ", calendarIds.stream().map(x -> "?").toList()) + ")";
        this.singlesSql = "SELECT " + EVENT_COLUMNS + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NULL AND e.start_time < ? AND e.end_time > ? AND e.start_time >= ?"
                + VISIBLE;
        this.mastersSql = "SELECT " + EVENT_COLUMNS + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NOT NULL AND e.start_time < ?" + VISIBLE;
        this.leanSinglesSql = "SELECT " + LEAN_COLUMNS + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NULL AND e.start_time < ? AND e.end_time > ? AND e.start_time >= ?"
                + VISIBLE;
        this.leanMastersSql = "SELECT " + LEAN_COLUMNS + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NOT NULL AND e.start_time < ?"
                + " AND (e.series_end IS NULL OR e.series_end > ?)" + VISIBLE;
        // What FreeBusyReader reads: projected columns, free events left out, a day of margin on both sides.
        String blocking = VISIBLE + " AND (e.availability IS NULL OR e.availability <> 'FREE')";
        this.freeBusySinglesSql = "SELECT g.connection_id, g.tentative, lower(r), upper(r) FROM (SELECT"
                + " e.connection_id, (e.status = 'TENTATIVE' OR e.availability = 'TENTATIVE') AS tentative,"
                + " range_agg(tstzrange(greatest(e.start_time, ?), least(e.end_time, ?))) AS m"
                + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NULL AND NOT e.is_all_day AND e.start_time < ? AND e.end_time > ?"
                + " AND e.start_time >= ?" + blocking + " GROUP BY 1, 2) g, unnest(g.m) r";
        this.freeBusyMastersSql = "SELECT e.id, e.connection_id, e.recurrence_rule, e.recurrence, e.start_time,"
                + " e.end_time, e.is_all_day, e.start_date, e.end_date, e.timezone, e.status, e.availability"
                + " FROM calendar_events e WHERE e.connection_id IN " + in
                + " AND e.recurrence_rule IS NOT NULL AND e.start_time < ?" + blocking;
    }

    /**
     * The reads of POST /freebusy for the window (timed singles merged in SQL, masters, their instances; the all-day
     * singles are left out, a handful): the number of rows read.
     */
    long freeBusyReads(Instant start, Instant end) throws SQLException, InterruptedException {
        Connection c = pool.take();
        try {
            Instant from = start.minus(java.time.Duration.ofDays(1));
            Instant to = end.plus(java.time.Duration.ofDays(1));
            long n;
            try (PreparedStatement p = c.prepareStatement(freeBusySinglesSql)) {
                p.setObject(1, utc(start));
                p.setObject(2, utc(end));
                int i = 3;
                for (UUID id : calendarIds) {
                    p.setObject(i++, id);
                }
                p.setObject(i++, utc(end));
                p.setObject(i++, utc(start));
                p.setObject(i++, utc(from.minusSeconds(longestSeconds)));
                p.setString(i++, "CANCELLED");
                p.setString(i, "DELETED");
                n = drain(p.executeQuery(), null);
            }
            List<UUID> masters = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(freeBusyMastersSql)) {
                int i = bindCalendars(p);
                p.setObject(i++, utc(to));
                p.setString(i++, "CANCELLED");
                p.setString(i, "DELETED");
                n += drain(p.executeQuery(), masters);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT recurring_event_id, original_start_time,"
                    + " original_start_date FROM calendar_events WHERE recurring_event_id = ANY(?)")) {
                p.setArray(1, uuids(c, masters));
                n += drain(p.executeQuery(), null);
            }
            return n;
        } finally {
            pool.add(c);
        }
    }

    /**
     * The lean baseline: the same rows the answer is made of (singles overlapping the window above a lower bound;
     * the masters that can reach it, ended series left out by {@code series_end}; the overrides' original starts, and
     * the attendees and reminders of all of them by {@code = ANY}), only the columns the answer carries, in four round
     * trips on one connection. The number of rows read.
     */
    long lean(Instant start, Instant end) throws SQLException, InterruptedException {
        Connection c = pool.take();
        try {
            List<UUID> ids = new ArrayList<>();
            List<UUID> masters = new ArrayList<>();
            long n;
            try (PreparedStatement p = c.prepareStatement(leanSinglesSql)) {
                int i = bindCalendars(p);
                p.setObject(i++, utc(end));
                p.setObject(i++, utc(start));
                p.setObject(i++, utc(start.minusSeconds(longestSeconds)));
                p.setString(i++, "CANCELLED");
                p.setString(i, "DELETED");
                n = drain(p.executeQuery(), ids);
            }
            try (PreparedStatement p = c.prepareStatement(leanMastersSql)) {
                int i = bindCalendars(p);
                p.setObject(i++, utc(end));
                p.setObject(i++, utc(start));
                p.setString(i++, "CANCELLED");
                p.setString(i, "DELETED");
                n += drain(p.executeQuery(), masters);
            }
            ids.addAll(masters);
            try (PreparedStatement p = c.prepareStatement("SELECT recurring_event_id, original_start_time,"
                    + " original_start_date FROM calendar_events WHERE recurring_event_id = ANY(?)")) {
                p.setArray(1, uuids(c, masters));
                n += drain(p.executeQuery(), null);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT event_id, email, display_name, response_status,"
                    + " optional, organizer FROM event_attendees WHERE event_id = ANY(?)")) {
                p.setArray(1, uuids(c, ids));
                n += drain(p.executeQuery(), null);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT event_id, method, minutes_before FROM event_reminders WHERE event_id = ANY(?)")) {
                p.setArray(1, uuids(c, ids));
                n += drain(p.executeQuery(), null);
            }
            return n;
        } finally {
            pool.add(c);
        }
    }

    /** Singles overlapping the window and the masters: the number of rows read. */
    long rows(Instant start, Instant end) throws SQLException, InterruptedException {
        Connection c = pool.take();
        try {
            return singles(c, start, end, null) + masters(c, end, null);
        } finally {
            pool.add(c);
        }
    }

    /** Every read EventReader.range makes for the window: the number of rows read. */
    long allReads(Instant start, Instant end) throws SQLException, InterruptedException {
        Connection c = pool.take();
        try {
            long n = 0;
            try (PreparedStatement p =
                    c.prepareStatement("SELECT * FROM calendar_connections WHERE user_id = ? ORDER BY created_at")) {
                p.setObject(1, userId);
                n += drain(p.executeQuery(), null);
            }
            List<UUID> singleIds = new ArrayList<>();
            Map<UUID, List<UUID>> mastersByCalendar = new HashMap<>();
            n += singles(c, start, end, singleIds);
            n += masters(c, end, mastersByCalendar);
            n += children(c, singleIds);
            for (List<UUID> masterIds : mastersByCalendar.values()) {
                try (PreparedStatement p = c.prepareStatement("SELECT e.recurring_event_id, e.original_start_time,"
                        + " e.original_start_date FROM calendar_events e WHERE e.recurring_event_id = ANY(?)")) {
                    p.setArray(1, uuids(c, masterIds));
                    n += drain(p.executeQuery(), null);
                }
                n += children(c, masterIds);
            }
            return n;
        } finally {
            pool.add(c);
        }
    }

    private long singles(Connection c, Instant start, Instant end, List<UUID> ids) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(singlesSql)) {
            int i = bindCalendars(p);
            p.setObject(i++, utc(end));
            p.setObject(i++, utc(start));
            p.setObject(i++, utc(start.minusSeconds(longestSeconds)));
            p.setString(i++, "CANCELLED");
            p.setString(i, "DELETED");
            return drain(p.executeQuery(), ids);
        }
    }

    private long masters(Connection c, Instant end, Map<UUID, List<UUID>> byCalendar) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(mastersSql)) {
            int i = bindCalendars(p);
            p.setObject(i++, utc(end));
            p.setString(i++, "CANCELLED");
            p.setString(i, "DELETED");
            try (ResultSet rs = p.executeQuery()) {
                long n = 0;
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int k = 1; k <= columns; k++) {
                        rs.getObject(k);
                    }
                    if (byCalendar != null) {
                        byCalendar
                                .computeIfAbsent((UUID) rs.getObject(2), x -> new ArrayList<>())
                                .add((UUID) rs.getObject(1));
                    }
                    n++;
                }
                return n;
            }
        }
    }

    private long children(Connection c, List<UUID> eventIds) throws SQLException {
        if (eventIds.isEmpty()) {
            return 0;
        }
        long n = 0;
        Array ids = uuids(c, eventIds);
        for (String table : new String[] {"event_attendees", "event_reminders"}) {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + table + " WHERE event_id = ANY(?)")) {
                p.setArray(1, ids);
                n += drain(p.executeQuery(), null);
            }
        }
        return n;
    }

    private int bindCalendars(PreparedStatement p) throws SQLException {
        int i = 1;
        for (UUID id : calendarIds) {
            p.setObject(i++, id);
        }
        return i;
    }

    /** Reads every column of every row (as a mapper would), collecting column 1 as ids when asked. */
    private static long drain(ResultSet rs, List<UUID> ids) throws SQLException {
        try (rs) {
            long n = 0;
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int k = 1; k <= columns; k++) {
                    rs.getObject(k);
                }
                if (ids != null) {
                    ids.add((UUID) rs.getObject(1));
                }
                n++;
            }
            return n;
        }
    }

    private static Array uuids(Connection c, List<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        for (Connection c : pool) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing at the end of the run
            }
        }
    }
}
