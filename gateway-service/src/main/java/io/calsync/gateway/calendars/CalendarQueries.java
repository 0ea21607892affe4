package io.calsync.gateway.calendars;

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
class CalendarQueries {

    private final NamedParameterJdbcTemplate jdbc;

    CalendarQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Events per connection as the frontend counts them: stored rows that are not cancelled or being deleted. */
    Map<UUID, Long> eventCounts(Collection<UUID> connectionIds) {
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

    long upcomingEvents(Collection<UUID> connectionIds, Instant now) {
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
}
