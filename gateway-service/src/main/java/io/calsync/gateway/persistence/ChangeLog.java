package io.calsync.gateway.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the change log in an order no later commit can slip into: only changes of transactions older than every
 * transaction still running (below the snapshot's {@code xmin}), by {@code (tx_id, seq)}. A transaction that commits
 * later has a {@code tx_id} at or above that bound, so it sorts after every position already read (see V6).
 */
@Component
public class ChangeLog {

    /** A position: every change at or before it has been read. {@code (xmin, 0)} means "everything below xmin". */
    public record Position(long tx, long seq) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            int c = Long.compare(tx, o.tx);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** One change: where it is, what it is about. {@code eventId} is null for a change of the calendar itself. */
    public record Change(Position position, UUID calendarId, UUID eventId, String kind, Instant changedAt) {
        public boolean ofCalendar() {
            return "CALENDAR".equals(kind);
        }
    }

    /**
     * Changes after a position, at most {@code limit}; {@code next} is where the next read starts: after the last
     * change when there are more, else the read's horizon (nothing below it is still to come).
     */
    public record Page(List<Change> changes, Position next, boolean hasMore) {}

    private final JdbcTemplate jdbc;

    public ChangeLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The position of "now": every change of a transaction that committed before now is behind it. */
    public Position now() {
        return new Position(horizon(), 0);
    }

    public Page read(UUID userId, Position after, int limit) {
        // The horizon and the rows come from one statement, so from one snapshot: every transaction below its xmin is
        // over in the very snapshot the rows are read with, and its rows are there if it committed.
        long[] horizon = {0};
        List<Change> rows = new ArrayList<>();
        jdbc.query(
                """
                WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
                SELECT h.x::text, c.tx_id::text, c.seq, c.calendar_id, c.event_id, c.kind, c.changed_at
                FROM h LEFT JOIN LATERAL (
                  SELECT tx_id, seq, calendar_id, event_id, kind, changed_at FROM event_changes
                  WHERE user_id = ? AND (tx_id, seq) > (?::text::xid8, ?) AND tx_id < h.x
                  ORDER BY tx_id, seq
                  LIMIT ?) c ON true
                """,
                rs -> {
                    horizon[0] = Long.parseLong(rs.getString(1));
                    if (rs.getString(2) != null) {
                        rows.add(new Change(
                                new Position(Long.parseLong(rs.getString(2)), rs.getLong(3)),
                                rs.getObject(4, UUID.class),
                                rs.getObject(5, UUID.class),
                                rs.getString(6),
                                rs.getTimestamp(7).toInstant()));
                    }
                },
                userId,
                Long.toString(after.tx()),
                after.seq(),
                limit + 1);
        boolean more = rows.size() > limit;
        List<Change> page = more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows);
        Position next = more ? page.getLast().position() : max(after, new Position(horizon[0], 0));
        return new Page(page, next, more);
    }

    /**
     * A version of everything the user's event answers are made of, which every later commit that changes them
     * moves: the position of the user's last change below the snapshot's {@code xmin} (a later commit sorts after it,
     * see V6) and the count and largest {@code seq} of the changes at or above it (committed while older transactions
     * still ran). One statement, index reads only ({@code ix_event_changes_user_position}); the basis of the
     * {@code ETag} of {@code GET /events}. Changes the log drops after its retention move it too: a needless full
     * answer, never a stale 304.
     */
    public String dataVersion(UUID userId) {
        return jdbc.queryForObject("""
                WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
                SELECT coalesce((SELECT c.tx_id::text || '.' || c.seq FROM event_changes c
                                 WHERE c.user_id = ? AND c.tx_id < h.x ORDER BY c.tx_id DESC, c.seq DESC LIMIT 1),
                                '-')
                       || '+' || (SELECT count(*) || '.' || coalesce(max(c.seq), 0) FROM event_changes c
                                  WHERE c.user_id = ? AND c.tx_id >= h.x)
                FROM h
                """, String.class, userId, userId);
    }

    private long horizon() {
        return Long.parseLong(
                jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", String.class));
    }

    private static Position max(Position a, Position b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
