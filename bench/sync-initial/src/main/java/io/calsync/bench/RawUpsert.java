package io.calsync.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The baseline: the same rows the engine stored, written back by the plainest fast JDBC there is. A snapshot of the
 * connection's events, attendees and reminders is read into memory (one SELECT per table, untimed); a round then
 * writes them in one transaction with {@code addBatch} per row and {@code executeBatch} every 1,000 rows, through the
 * same pool (pgjdbc with {@code reWriteBatchedInserts=true}, so a batch goes out as multi-row INSERTs). Events are an
 * upsert on the engine's key, {@code ON CONFLICT (connection_id, provider_event_id) DO UPDATE} with the engine's SET
 * list (every value from EXCLUDED, so pgjdbc may still rewrite it); attendees and reminders have no natural key and
 * are plain inserts, as the engine's are after it deleted the old ones.
 *
 * <p>Each row keeps the id the engine gave it, so that attendees and reminders point at their events without a
 * RETURNING round trip (which would stop the batch rewrite). Parameters are bound with one SQL type per column, nulls
 * included (uuids as untyped text, the recurrence lines as one text), so that a rewritten multi-row statement has the
 * same parameter types whichever rows it holds, and pgjdbc can reuse its server-side prepared statement.
 */
final class RawUpsert {

    static final int BATCH = 1000;

    private static final String EVENT_COLUMNS = """
            id, connection_id, provider_event_id, ical_uid, title, description, location, start_time, end_time,
            is_all_day, start_date, end_date, timezone, status::text, recurrence, recurrence_rule,
            recurrence_frequency::text, recurring_event_id, provider_recurring_id, original_start_time,
            original_start_date, organizer_email, html_link, etag, provider_updated_at, sequence""";

    private static final String UPSERT_EVENT = """
            INSERT INTO calendar_events (id, connection_id, provider_event_id, ical_uid, title, description, location,
              start_time, end_time, is_all_day, start_date, end_date, timezone, status, recurrence, recurrence_rule,
              recurrence_frequency, recurring_event_id, provider_recurring_id, original_start_time, original_start_date,
              organizer_email, html_link, etag, provider_updated_at, sequence, sync_status, last_synced_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::event_status, string_to_array(?, E'\\n'), ?,
              ?::recurrence_frequency, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'SYNCED', now(), now())
            ON CONFLICT (connection_id, provider_event_id) DO UPDATE SET
              ical_uid = EXCLUDED.ical_uid, title = EXCLUDED.title, description = EXCLUDED.description,
              location = EXCLUDED.location, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
              is_all_day = EXCLUDED.is_all_day, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
              timezone = EXCLUDED.timezone, status = EXCLUDED.status, recurrence = EXCLUDED.recurrence,
              recurrence_rule = EXCLUDED.recurrence_rule, recurrence_frequency = EXCLUDED.recurrence_frequency,
              recurring_event_id = EXCLUDED.recurring_event_id, provider_recurring_id = EXCLUDED.provider_recurring_id,
              original_start_time = EXCLUDED.original_start_time, original_start_date = EXCLUDED.original_start_date,
              organizer_email = EXCLUDED.organizer_email, html_link = EXCLUDED.html_link, etag = EXCLUDED.etag,
              provider_updated_at = EXCLUDED.provider_updated_at, sequence = EXCLUDED.sequence,
              sync_status = 'SYNCED', sync_error = NULL, pending_operation = NULL, last_synced_at = now(),
              updated_at = now(), version = calendar_events.version + 1
            """;

    private static final String INSERT_ATTENDEE = "INSERT INTO event_attendees (event_id, email, display_name,"
            + " response_status, optional, organizer) VALUES (?, ?, ?, ?::rsvp_status, ?, ?)";

    private static final String INSERT_REMINDER =
            "INSERT INTO event_reminders (event_id, method, minutes_before) VALUES (?, ?::reminder_method, ?)";

    /** The SQL type each column of {@link #EVENT_COLUMNS} is bound with, in order. */
    private static final int[] EVENT_TYPES = {
        Types.OTHER,
        Types.OTHER,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.BOOLEAN,
        Types.DATE,
        Types.DATE,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.ARRAY,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.OTHER,
        Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.DATE,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.VARCHAR,
        Types.TIMESTAMP_WITH_TIMEZONE,
        Types.INTEGER
    };

    private final List<Object[]> events;
    private final List<Object[]> attendees;
    private final List<Object[]> reminders;
    /** Whether pgjdbc rewrote the last round's batches into multi-row INSERTs (it then reports SUCCESS_NO_INFO). */
    boolean rewritten;

    private RawUpsert(List<Object[]> events, List<Object[]> attendees, List<Object[]> reminders) {
        this.events = events;
        this.attendees = attendees;
        this.reminders = reminders;
    }

    int events() {
        return events.size();
    }

    int attendees() {
        return attendees.size();
    }

    int reminders() {
        return reminders.size();
    }

    /** Reads what the engine stored for the connection (call it right after a round of the engine). */
    static RawUpsert snapshot(DataSource pool, UUID connectionId) throws SQLException {
        try (Connection c = pool.getConnection()) {
            List<Object[]> events = read(
                    c,
                    "SELECT " + EVENT_COLUMNS + " FROM calendar_events WHERE connection_id = ? ORDER BY id",
                    connectionId,
                    EVENT_TYPES);
            List<Object[]> attendees = read(
                    c,
                    "SELECT a.event_id, a.email, a.display_name, a.response_status::text, a.optional, a.organizer"
                            + " FROM event_attendees a JOIN calendar_events e ON e.id = a.event_id"
                            + " WHERE e.connection_id = ? ORDER BY a.event_id, a.id",
                    connectionId,
                    new int[] {Types.OTHER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN, Types.BOOLEAN});
            List<Object[]> reminders = read(
                    c,
                    "SELECT r.event_id, r.method::text, r.minutes_before FROM event_reminders r"
                            + " JOIN calendar_events e ON e.id = r.event_id WHERE e.connection_id = ?"
                            + " ORDER BY r.event_id, r.id",
                    connectionId,
                    new int[] {Types.OTHER, Types.VARCHAR, Types.INTEGER});
            return new RawUpsert(events, attendees, reminders);
        }
    }

    /** Writes the snapshot in one transaction; answers the wall time in nanoseconds. */
    long write(DataSource pool) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean a = batch(c, UPSERT_EVENT, events, EVENT_TYPES);
                boolean b = batch(c, INSERT_ATTENDEE, attendees, new int[] {
                    Types.OTHER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN, Types.BOOLEAN
                });
                boolean r = batch(c, INSERT_REMINDER, reminders, new int[] {Types.OTHER, Types.VARCHAR, Types.INTEGER});
                c.commit();
                rewritten = a && b && r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return System.nanoTime() - t0;
    }

    /**
     * True when pgjdbc rewrote the batches: it sends them as multi-row statements of up to 128 rows (powers of two)
     * and reports {@code SUCCESS_NO_INFO} for their rows; only a lone leftover row goes out as itself and reports its
     * count. Without the rewrite every row reports 1.
     */
    private static boolean batch(Connection c, String sql, List<Object[]> rows, int[] types) throws SQLException {
        boolean rewritten = false;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(ps, i + 1, row[i], types[i]);
                }
                ps.addBatch();
                if (++pending == BATCH) {
                    rewritten |= noInfo(ps.executeBatch());
                    pending = 0;
                }
            }
            if (pending > 0) {
                rewritten |= noInfo(ps.executeBatch());
            }
        }
        return rewritten;
    }

    private static boolean noInfo(int[] counts) {
        for (int n : counts) {
            if (n == Statement.SUCCESS_NO_INFO) {
                return true;
            }
        }
        return false;
    }

    private static void bind(PreparedStatement ps, int index, Object value, int type) throws SQLException {
        if (value == null) {
            ps.setNull(index, type == Types.ARRAY ? Types.VARCHAR : type);
        } else if (type == Types.ARRAY) {
            // As the engine sends it (lines joined, split again by the server), so that a null and a series' lines
            // have one parameter type.
            ps.setString(index, String.join("\n", (String[]) value));
        } else {
            ps.setObject(index, value, type);
        }
    }

    private static List<Object[]> read(Connection c, String sql, UUID connectionId, int[] types) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        row[i] = switch (types[i]) {
                            case Types.OTHER -> rs.getObject(i + 1, UUID.class);
                            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i + 1, OffsetDateTime.class);
                            case Types.DATE -> rs.getObject(i + 1, LocalDate.class);
                            case Types.BOOLEAN -> rs.getObject(i + 1, Boolean.class);
                            case Types.INTEGER -> rs.getObject(i + 1, Integer.class);
                            case Types.ARRAY -> {
                                Array a = rs.getArray(i + 1);
                                yield a == null ? null : (String[]) a.getArray();
                            }
                            default -> rs.getString(i + 1);
                        };
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
