package io.calsync.gateway.persistence;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.FreeBusy;
import io.calsync.gateway.application.OccurrenceCache;
import io.calsync.gateway.application.RecurrenceExpander;
import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Free/busy from the store: the user's calendars, their visible events that block time (projected, no attendees or
 * reminders), series expanded with the same {@link RecurrenceExpander} as {@code GET /events} (overrides and cancelled
 * occurrences have rows of their own and are not expanded again).
 *
 * <p>The rows are read a day wider than the window on both sides, since an all-day event blocks its dates in its own
 * zone (up to 14 hours away from the UTC midnights it is stored at); every interval is then clipped to the window.
 */
@Component
@Transactional(readOnly = true)
public class FreeBusyReader {

    /** Rows that block time: not cancelled, not being deleted, not free. */
    private static final String BLOCKING = " AND status <> 'CANCELLED' AND sync_status <> 'DELETED'"
            + " AND (pending_operation IS NULL OR pending_operation <> 'DELETE')"
            + " AND (availability IS NULL OR availability <> 'FREE')";

    private static final Duration MARGIN = Duration.ofDays(1);

    /**
     * An instant column as microseconds since the epoch (dates go as days since it): decoding thousands of
     * {@code timestamptz} values through {@code getTimestamp} (calendars, zones) costs more than reading them.
     */
    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    private static final int MAX_PER_SERIES = 5_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final OccurrenceCache occurrences;

    public FreeBusyReader(NamedParameterJdbcTemplate jdbc, OccurrenceCache occurrences) {
        this.jdbc = jdbc;
        this.occurrences = occurrences;
    }

    /** A calendar asked for: its id, when it last synced, and its longest event. */
    public record Calendar(UUID id, Instant lastSyncedAt, long longestSecs) {}

    /** One calendar's busy intervals. */
    public record CalendarBusy(UUID calendarId, List<FreeBusy.Busy> busy, Instant lastSyncedAt) {}

    /** The answer: each calendar, and the union of all. */
    public record Answer(List<CalendarBusy> calendars, List<FreeBusy.Interval> merged) {}

    /**
     * The user's calendars, all of them when {@code ids} is null, else those (in the order asked, repeats once); a
     * calendar that is not the user's is 404 as if it did not exist.
     */
    public List<Calendar> calendars(UUID userId, List<UUID> ids) {
        MapSqlParameterSource p = new MapSqlParameterSource("user", userId);
        String sql =
                "SELECT id, last_synced_at, max_event_duration_secs FROM calendar_connections WHERE user_id = :user";
        if (ids != null) {
            if (ids.isEmpty()) {
                return List.of();
            }
            sql += " AND id IN (:ids)";
            p.addValue("ids", ids);
        }
        Map<UUID, Calendar> found = new LinkedHashMap<>();
        jdbc.query(sql + " ORDER BY created_at, id", p, rs -> {
            UUID id = rs.getObject(1, UUID.class);
            found.put(id, new Calendar(id, instant(rs.getTimestamp(2)), rs.getLong(3)));
        });
        if (ids == null) {
            return List.copyOf(found.values());
        }
        List<Calendar> asked = new ArrayList<>();
        for (UUID id : new LinkedHashSet<>(ids)) {
            Calendar c = found.get(id);
            if (c == null) {
                throw ApiException.notFound("calendar");
            }
            asked.add(c);
        }
        return asked;
    }

    /** Busy intervals of these calendars inside {@code [from, to)}. */
    public Answer read(List<Calendar> calendars, Instant from, Instant to) {
        Map<UUID, List<FreeBusy.Busy>> busy = new LinkedHashMap<>();
        calendars.forEach(c -> busy.put(c.id(), new ArrayList<>()));
        if (!calendars.isEmpty()) {
            Instant wideFrom = from.minus(MARGIN);
            Instant wideTo = to.plus(MARGIN);
            long longest =
                    calendars.stream().mapToLong(Calendar::longestSecs).max().orElse(86_400);
            MapSqlParameterSource p = new MapSqlParameterSource("ids", busy.keySet())
                    .addValue("from", Timestamp.from(wideFrom))
                    .addValue("to", Timestamp.from(wideTo))
                    .addValue("lower", Timestamp.from(wideFrom.minusSeconds(longest)));
            // Timed single events, clipped to the window and merged per calendar and status inside PostgreSQL
            // (range_agg): a busy user's thousands of rows come back as the few stretches they make.
            p.addValue("winFrom", Timestamp.from(from)).addValue("winTo", Timestamp.from(to));
            jdbc.query(
                    "SELECT g.connection_id, g.tentative, " + micros("lower(r)") + ", " + micros("upper(r)")
                            + " FROM (SELECT connection_id,"
                            + " (status = 'TENTATIVE' OR availability = 'TENTATIVE') AS tentative,"
                            + " range_agg(tstzrange(greatest(start_time, :winFrom), least(end_time, :winTo))) AS m"
                            + " FROM calendar_events WHERE connection_id IN (:ids) AND recurrence_rule IS NULL"
                            + " AND NOT is_all_day AND start_time < :winTo AND end_time > :winFrom"
                            + " AND start_time >= :lower" + BLOCKING
                            + " GROUP BY 1, 2) g, unnest(g.m) r",
                    p,
                    rs -> {
                        busy.get(rs.getObject(1, UUID.class))
                                .add(new FreeBusy.Busy(
                                        instant(rs.getLong(3)),
                                        instant(rs.getLong(4)),
                                        rs.getBoolean(2) ? FreeBusy.Status.TENTATIVE : FreeBusy.Status.BUSY));
                    });
            // All-day single events: few, and blocking their dates in their own zones (a day of margin each side).
            jdbc.query(
                    "SELECT connection_id, " + micros("start_time") + ", " + micros("end_time") + ", is_all_day,"
                            + " start_date - DATE '1970-01-01', end_date - DATE '1970-01-01', timezone,"
                            + " status::text, availability FROM calendar_events"
                            + " WHERE connection_id IN (:ids) AND recurrence_rule IS NULL AND is_all_day"
                            + " AND start_time < :to AND end_time > :from AND start_time >= :lower" + BLOCKING,
                    p,
                    rs -> {
                        FreeBusy.Status status = status(rs, 8, 9);
                        if (status != null) {
                            add(busy.get(rs.getObject(1, UUID.class)), times(rs), status, from, to);
                        }
                    });
            expandSeries(p, busy, from, to, wideFrom, wideTo);
        }
        List<CalendarBusy> out = new ArrayList<>();
        List<FreeBusy.Interval> all = new ArrayList<>();
        for (Calendar c : calendars) {
            List<FreeBusy.Busy> joined = FreeBusy.join(busy.get(c.id()));
            joined.forEach(b -> all.add(new FreeBusy.Interval(b.start(), b.end())));
            out.add(new CalendarBusy(c.id(), joined, c.lastSyncedAt()));
        }
        return new Answer(out, FreeBusy.union(all));
    }

    private record Master(UUID calendarId, OccurrenceCache.Series series, FreeBusy.Status status) {
        UUID id() {
            return series.id();
        }
    }

    private void expandSeries(
            MapSqlParameterSource p,
            Map<UUID, List<FreeBusy.Busy>> busy,
            Instant from,
            Instant to,
            Instant wideFrom,
            Instant wideTo) {
        List<Master> masters = jdbc.query(
                "SELECT id, connection_id, recurrence_rule, recurrence, start_time, end_time, is_all_day, start_date,"
                        + " end_date, timezone, status::text, availability, version FROM calendar_events"
                        + " WHERE connection_id IN (:ids) AND recurrence_rule IS NOT NULL AND start_time < :to"
                        + " AND (series_end IS NULL OR series_end > :from)" + BLOCKING,
                p,
                (rs, n) -> {
                    Array lines = rs.getArray(4);
                    return new Master(
                            rs.getObject(2, UUID.class),
                            new OccurrenceCache.Series(
                                    rs.getObject(1, UUID.class),
                                    rs.getLong(13),
                                    rs.getString(3),
                                    lines == null ? List.of() : Arrays.asList((String[]) lines.getArray()),
                                    rs.getTimestamp(5).toInstant(),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getBoolean(7),
                                    rs.getObject(8, LocalDate.class),
                                    rs.getObject(9, LocalDate.class),
                                    rs.getString(10)),
                            status(rs, 11, 12));
                });
        masters = masters.stream().filter(m -> m.status() != null).toList();
        if (masters.isEmpty()) {
            return;
        }
        Map<UUID, Set<Instant>> taken = new HashMap<>();
        jdbc.query(
                "SELECT recurring_event_id, original_start_time, original_start_date FROM calendar_events"
                        + " WHERE recurring_event_id IN (:masters)",
                new MapSqlParameterSource(
                        "masters", masters.stream().map(Master::id).toList()),
                rs -> {
                    Timestamp t = rs.getTimestamp(2);
                    LocalDate d = rs.getObject(3, LocalDate.class);
                    Instant original = t != null
                            ? t.toInstant()
                            : d != null ? d.atStartOfDay(ZoneOffset.UTC).toInstant() : null;
                    if (original != null) {
                        taken.computeIfAbsent(rs.getObject(1, UUID.class), k -> new java.util.HashSet<>())
                                .add(original);
                    }
                });
        for (Master m : masters) {
            OccurrenceCache.Series series = m.series();
            List<RecurrenceExpander.Occurrence> expanded;
            try {
                expanded = occurrences.expand(series, wideFrom, wideTo, taken.getOrDefault(m.id(), Set.of()));
            } catch (RuntimeException e) {
                // As GET /events: a rule that cannot be read counts as its first occurrence.
                expanded = List.of(new RecurrenceExpander.Occurrence(
                        series.start(), series.end(), series.startDate(), series.endDate()));
            }
            List<FreeBusy.Busy> into = busy.get(m.calendarId());
            int n = 0;
            for (RecurrenceExpander.Occurrence o : expanded) {
                if (++n > MAX_PER_SERIES) {
                    break;
                }
                FreeBusy.Interval times = series.allDay() && o.startDate() != null && o.endDate() != null
                        ? FreeBusy.allDay(o.startDate(), o.endDate(), series.timezone())
                        : new FreeBusy.Interval(o.start(), o.end());
                add(into, times, m.status(), from, to);
            }
        }
    }

    private static void add(
            List<FreeBusy.Busy> into, FreeBusy.Interval times, FreeBusy.Status status, Instant from, Instant to) {
        FreeBusy.Busy b = FreeBusy.clip(times.start(), times.end(), status, from, to);
        if (b != null) {
            into.add(b);
        }
    }

    /** A single event's interval: its instants, or its dates in its zone when all-day. */
    private static FreeBusy.Interval times(ResultSet rs) throws SQLException {
        long sd = rs.getLong(5);
        boolean dates = !rs.wasNull();
        long ed = rs.getLong(6);
        dates = dates && !rs.wasNull();
        if (rs.getBoolean(4) && dates) {
            return FreeBusy.allDay(LocalDate.ofEpochDay(sd), LocalDate.ofEpochDay(ed), rs.getString(7));
        }
        return new FreeBusy.Interval(instant(rs.getLong(2)), instant(rs.getLong(3)));
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static FreeBusy.Status status(ResultSet rs, int statusColumn, int availabilityColumn) throws SQLException {
        return FreeBusy.status(
                EventStatus.valueOf(rs.getString(statusColumn)), Availability.parse(rs.getString(availabilityColumn)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
