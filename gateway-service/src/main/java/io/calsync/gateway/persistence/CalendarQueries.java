package io.calsync.gateway.persistence;

import io.calsync.gateway.application.SyncState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Counting reads of calendars, in SQL: one grouped query rather than a count per calendar. */
@Component
public class CalendarQueries {

    private final NamedParameterJdbcTemplate jdbc;

    CalendarQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Events per connection as the frontend counts them: stored rows that are not cancelled or being deleted. */
    public Map<UUID, Long> eventCounts(Collection<UUID> connectionIds) {
        Map<UUID, Long> counts = new HashMap<>();
        if (connectionIds.isEmpty()) {
            return counts;
        }
        jdbc.query(
                "SELECT connection_id, count(*) FROM calendar_events WHERE connection_id IN (:ids)"
                        + " AND status <> 'CANCELLED' AND sync_status <> 'DELETED'"
                        + " AND (pending_operation IS NULL OR pending_operation <> 'DELETE') GROUP BY connection_id",
                new MapSqlParameterSource("ids", connectionIds),
                rs -> {
                    counts.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        return counts;
    }

    public long upcomingEvents(Collection<UUID> connectionIds, Instant now) {
        if (connectionIds.isEmpty()) {
            return 0;
        }
        Long n = jdbc.queryForObject(
                "SELECT count(*) FROM calendar_events WHERE connection_id IN (:ids)"
                        + " AND end_time > :now AND status <> 'CANCELLED' AND sync_status <> 'DELETED'"
                        + " AND (pending_operation IS NULL OR pending_operation <> 'DELETE')",
                new MapSqlParameterSource("ids", connectionIds).addValue("now", java.sql.Timestamp.from(now)),
                Long.class);
        return n == null ? 0 : n;
    }

    /** The sync state of the user's calendar, or empty when it is not the user's. */
    public java.util.Optional<SyncState> syncState(UUID userId, UUID connectionId, Instant now) {
        return jdbc
                .query("""
                        SELECT c.id, c.provider::text, c.push_state, c.push_error, c.last_synced_at, c.last_attempt_at,
                          c.consecutive_failures, c.last_sync_error, c.disconnected_reason, c.is_connected,
                          c.initial_sync_state, c.initial_sync_events, c.initial_sync_started_at,
                          c.initial_sync_finished_at,
                          (SELECT max(s.expires_at) FROM webhook_subscriptions s
                            WHERE s.connection_id = c.id AND s.status = 'ACTIVE') AS expires
                        FROM calendar_connections c WHERE c.id = :id AND c.user_id = :user
                        """, new MapSqlParameterSource("id", connectionId).addValue("user", userId), (rs, n) -> {
                    Instant expires = instant(rs.getTimestamp(15));
                    SyncState.Mode mode = SyncState.mode(rs.getString(2), rs.getString(3), expires, now);
                    String error = rs.getString(8);
                    if (!rs.getBoolean(10)) {
                        error = error != null ? error : rs.getString(9);
                    } else if (error == null && mode == SyncState.Mode.DEGRADED) {
                        error = rs.getString(4);
                    }
                    return new SyncState(
                            rs.getObject(1, UUID.class),
                            mode,
                            expires != null && expires.isAfter(now) ? expires : null,
                            instant(rs.getTimestamp(5)),
                            instant(rs.getTimestamp(6)),
                            rs.getInt(7),
                            error,
                            new SyncState.InitialSync(
                                    rs.getString(11),
                                    rs.getInt(12),
                                    instant(rs.getTimestamp(13)),
                                    instant(rs.getTimestamp(14))));
                })
                .stream()
                .findFirst();
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
