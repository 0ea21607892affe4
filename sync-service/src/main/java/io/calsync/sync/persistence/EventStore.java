package io.calsync.sync.persistence;

import io.calsync.providers.port.ProviderEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The provider side of {@code calendar_events}: what a sync page does to the rows, in the caller's transaction.
 *
 * <p><b>One statement per page.</b> A page of up to thousands of events is one {@code INSERT ... SELECT FROM
 * unnest(...) ON CONFLICT (connection_id, provider_event_id) DO UPDATE}, its attendees and reminders one
 * {@code unnest} insert each: a handful of round trips per page instead of several per event.
 *
 * <p><b>Newest version wins.</b> The update applies only when the incoming version is not older than the stored one
 * (sequence, then the provider's updated time) and is not the very version already stored (same etag and time: the
 * echo of our own write-back, or a redelivered page, changes nothing and is not reported as a change). Rows with a
 * local change on its way to the provider ({@code sync_status=PENDING}) are left to the write-back, which resolves
 * the conflict with the provider's current version.
 *
 * <p><b>Series.</b> Instances (overrides, cancelled occurrences) name their master by provider id; they are linked
 * to the master's row ({@code recurring_event_id}) whenever either side is written, whatever order pages come in.
 * A removed instance of a series that still exists becomes a CANCELLED row, so that the gateway's expansion of the
 * master leaves that occurrence out; a removed master takes its instances with it.
 */
@Component
public class EventStore {

    private static final Logger log = LoggerFactory.getLogger(EventStore.class);

    /** What one page did. {@code cancelledSeries}: masters (provider ids) whose instances were removed. */
    public record PageResult(
            List<UUID> changedIds, int inserted, int updated, int deleted, Set<String> cancelledSeries) {}

    private static final String UPSERT = """
            INSERT INTO calendar_events AS e (connection_id, provider_event_id, ical_uid, title, description, location,
              start_time, end_time, is_all_day, start_date, end_date, timezone, status, recurrence, recurrence_rule,
              recurrence_frequency, provider_recurring_id, original_start_time, original_start_date, organizer_email,
              html_link, etag, provider_updated_at, sequence, availability, sync_status, sync_error, last_synced_at,
              updated_at)
            SELECT ?::uuid, s.pid, s.uid, s.title, s.descr, s.loc, s.st::timestamptz, s.et::timestamptz,
              s.allday::boolean, s.sd::date, s.ed::date, s.tz, s.status::event_status, string_to_array(s.rec, E'\\n'),
              s.rrule, s.freq::recurrence_frequency, s.prid, s.ost::timestamptz, s.osd::date, s.org, s.link, s.etag,
              s.upd::timestamptz, s.seq::int, s.avail, 'SYNCED', NULL, now(), now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
              AS s(pid, uid, title, descr, loc, st, et, allday, sd, ed, tz, status, rec, rrule, freq, prid, ost, osd,
                   org, link, etag, upd, seq, avail)
            ON CONFLICT (connection_id, provider_event_id) DO UPDATE SET
              ical_uid = EXCLUDED.ical_uid, title = EXCLUDED.title, description = EXCLUDED.description,
              location = EXCLUDED.location, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
              is_all_day = EXCLUDED.is_all_day, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
              timezone = EXCLUDED.timezone, status = EXCLUDED.status, recurrence = EXCLUDED.recurrence,
              recurrence_rule = EXCLUDED.recurrence_rule, recurrence_frequency = EXCLUDED.recurrence_frequency,
              provider_recurring_id = EXCLUDED.provider_recurring_id,
              original_start_time = EXCLUDED.original_start_time, original_start_date = EXCLUDED.original_start_date,
              organizer_email = EXCLUDED.organizer_email, html_link = EXCLUDED.html_link, etag = EXCLUDED.etag,
              provider_updated_at = EXCLUDED.provider_updated_at, sequence = EXCLUDED.sequence,
              availability = EXCLUDED.availability,
              sync_status = 'SYNCED', sync_error = NULL, pending_operation = NULL, last_synced_at = now(),
              updated_at = now(), version = e.version + 1
            WHERE e.sync_status <> 'PENDING'
              AND (EXCLUDED.sequence IS NULL OR e.sequence IS NULL OR EXCLUDED.sequence >= e.sequence)
              AND (EXCLUDED.provider_updated_at IS NULL OR e.provider_updated_at IS NULL
                   OR EXCLUDED.provider_updated_at >= e.provider_updated_at)
              AND NOT (EXCLUDED.etag IS NOT NULL AND EXCLUDED.etag = e.etag
                       AND EXCLUDED.provider_updated_at IS NOT DISTINCT FROM e.provider_updated_at
                       AND EXCLUDED.status = e.status
                       AND EXCLUDED.recurrence IS NOT DISTINCT FROM e.recurrence)
            RETURNING e.id, e.provider_event_id, (xmax = 0) AS inserted,
              extract(epoch FROM e.end_time - e.start_time)::bigint AS length_secs
            """;

    private static final String LINK = """
            UPDATE calendar_events o SET recurring_event_id = m.id
            FROM calendar_events m
            WHERE o.connection_id = ? AND m.connection_id = o.connection_id AND o.provider_recurring_id IS NOT NULL
              AND m.provider_event_id = o.provider_recurring_id AND o.recurring_event_id IS DISTINCT FROM m.id
              AND (o.id = ANY(?::uuid[]) OR m.id = ANY(?::uuid[]))
            """;

    private final JdbcTemplate jdbc;

    public EventStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Applies one page; must run in a transaction. */
    public PageResult apply(UUID connectionId, List<ProviderEvent> upserts, Collection<String> removedIds) {
        List<UUID> changed = new ArrayList<>();
        int inserted = 0;
        long longest = 0;
        if (!upserts.isEmpty()) {
            Map<String, ProviderEvent> unique = new LinkedHashMap<>(); // one row may not be hit twice by one upsert
            for (ProviderEvent e : upserts) {
                ProviderEvent storable = storable(e);
                if (storable != null) {
                    unique.put(e.providerEventId(), storable);
                } else {
                    log.warn(
                            "event without id or times skipped connectionId={} providerEventId={}",
                            connectionId,
                            e.providerEventId());
                }
            }
            List<ProviderEvent> rows = new ArrayList<>(unique.values());
            Upserted up = jdbc.execute((Connection c) -> upsert(c, connectionId, rows));
            changed.addAll(up.ids());
            inserted = up.inserted();
            longest = up.longestSecs();
            writeChildren(up.updated(), rows, up.idsByProviderId());
        }
        int deleted = 0;
        Set<String> cancelledSeries = new java.util.HashSet<>();
        if (!removedIds.isEmpty()) {
            String[] removed = removedIds.toArray(String[]::new);
            // A removed master takes its instances; a removed instance whose series is gone (or unknown) goes too.
            deleted = jdbc.update("""
                    DELETE FROM calendar_events o WHERE o.connection_id = ? AND (
                      o.provider_recurring_id = ANY(?::text[])
                      OR (o.provider_event_id = ANY(?::text[]) AND (o.provider_recurring_id IS NULL
                          OR NOT EXISTS (SELECT 1 FROM calendar_events m WHERE m.connection_id = o.connection_id
                                         AND m.provider_event_id = o.provider_recurring_id))))
                    """, connectionId, removed, removed);
            // What is left of the removed ids are instances of live series: cancelled occurrences from now on.
            jdbc.query(
                    """
                    UPDATE calendar_events SET status = 'CANCELLED', sync_status = 'SYNCED', pending_operation = NULL,
                      last_synced_at = now(), updated_at = now(), version = version + 1
                    WHERE connection_id = ? AND provider_event_id = ANY(?::text[]) AND status <> 'CANCELLED'
                    RETURNING id, provider_recurring_id
                    """,
                    rs -> {
                        changed.add(rs.getObject(1, UUID.class));
                        cancelledSeries.add(rs.getString(2));
                    },
                    connectionId,
                    removed);
        }
        if (!changed.isEmpty()) {
            UUID[] ids = changed.toArray(UUID[]::new);
            jdbc.update(LINK, connectionId, ids, ids);
        }
        if (longest > 0) {
            jdbc.update(
                    "UPDATE calendar_connections SET max_event_duration_secs = ? WHERE id = ? AND max_event_duration_secs < ?",
                    longest,
                    connectionId,
                    longest);
        }
        return new PageResult(changed, inserted, changed.size() - inserted, deleted, cancelledSeries);
    }

    /**
     * After a full listing: removes the provider rows the listing did not contain (local pending rows stay).
     *
     * @param keepCancelledOccurrences keep cancelled occurrences of series the listing saw: Graph's calendarView
     *     never lists a cancelled occurrence, so a full Graph listing cannot confirm them, yet they are still
     *     cancelled (and without the row the master's expansion would bring them back)
     */
    public int sweep(UUID connectionId, Set<String> seen, boolean keepCancelledOccurrences) {
        // The difference is taken here, in a hash set, not by `NOT (provider_event_id = ANY(:seen))` in SQL: once the
        // server switches a prepared statement to its generic plan (after five runs on a pooled connection) the array
        // is a parameter, no longer hashed, and every row was compared with every seen id: 25 s for a 50,000-event
        // calendar from the eighth full sync on (bench/sync-initial, rounds 8 to 15).
        List<UUID> gone = new ArrayList<>();
        jdbc.query(
                "SELECT id, provider_event_id, status::text, provider_recurring_id FROM calendar_events"
                        + " WHERE connection_id = ? AND provider_event_id IS NOT NULL AND sync_status <> 'PENDING'",
                rs -> {
                    if (seen.contains(rs.getString(2))) {
                        return;
                    }
                    String series = rs.getString(4);
                    if (keepCancelledOccurrences
                            && "CANCELLED".equals(rs.getString(3))
                            && series != null
                            && seen.contains(series)) {
                        return;
                    }
                    gone.add(rs.getObject(1, UUID.class));
                },
                connectionId);
        if (gone.isEmpty()) {
            return 0;
        }
        // Still not PENDING: a local edit that arrived meanwhile keeps its row.
        return jdbc.update(
                "DELETE FROM calendar_events WHERE id = ANY(?::uuid[]) AND sync_status <> 'PENDING'",
                (Object) gone.stream().map(UUID::toString).toArray(String[]::new));
    }

    /** Counts the visible events of the connection into {@code calendar_connections.event_count}. */
    public void recount(UUID connectionId) {
        jdbc.update("""
                UPDATE calendar_connections SET event_count = (SELECT count(*) FROM calendar_events
                  WHERE connection_id = ? AND status <> 'CANCELLED' AND sync_status <> 'DELETED'
                  AND (pending_operation IS NULL OR pending_operation <> 'DELETE'))
                WHERE id = ?
                """, connectionId, connectionId);
    }

    private record Upserted(
            List<UUID> ids, List<UUID> updated, int inserted, long longestSecs, Map<String, UUID> idsByProviderId) {}

    private static Upserted upsert(Connection c, UUID connectionId, List<ProviderEvent> rows) throws SQLException {
        int n = rows.size();
        String[][] cols = new String[24][n];
        for (int i = 0; i < n; i++) {
            ProviderEvent e = rows.get(i);
            cols[0][i] = e.providerEventId();
            cols[1][i] = clip(e.iCalUid(), 1024);
            cols[2][i] = clip(e.title(), 1024);
            cols[3][i] = e.description();
            cols[4][i] = e.location();
            cols[5][i] = e.startTime().toString();
            cols[6][i] = e.endTime().toString();
            cols[7][i] = Boolean.toString(e.allDay());
            cols[8][i] = text(e.startDate());
            cols[9][i] = text(e.endDate());
            cols[10][i] = clip(e.timezone(), 64);
            cols[11][i] = e.status().name();
            cols[12][i] = e.recurrence() == null ? null : String.join("\n", e.recurrence());
            cols[13][i] = e.recurrenceRule();
            cols[14][i] = e.recurrenceFrequency();
            cols[15][i] = e.providerRecurringId();
            cols[16][i] =
                    e.originalStartTime() == null ? null : e.originalStartTime().toString();
            cols[17][i] = text(e.originalStartDate());
            cols[18][i] = clip(e.organizerEmail(), 320);
            cols[19][i] = e.htmlLink();
            cols[20][i] = clip(e.etag(), 512);
            cols[21][i] =
                    e.providerUpdatedAt() == null ? null : e.providerUpdatedAt().toString();
            cols[22][i] = e.sequence() == null ? null : e.sequence().toString();
            cols[23][i] = e.availability().name();
        }
        List<UUID> ids = new ArrayList<>();
        List<UUID> updated = new ArrayList<>();
        Map<String, UUID> byProviderId = new LinkedHashMap<>();
        int inserted = 0;
        long longest = 0;
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setObject(1, connectionId);
            for (int k = 0; k < cols.length; k++) {
                Array a = c.createArrayOf("text", cols[k]);
                ps.setArray(k + 2, a);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    ids.add(id);
                    byProviderId.put(rs.getString(2), id);
                    if (rs.getBoolean(3)) {
                        inserted++;
                    } else {
                        updated.add(id);
                    }
                    longest = Math.max(longest, rs.getLong(4));
                }
            }
        }
        return new Upserted(ids, updated, inserted, longest, byProviderId);
    }

    /**
     * Writes attendees and reminders of the rows the upsert changed ({@code ids}: by provider id), first removing the
     * old ones of rows it updated. Inserted rows have none, so an initial sync deletes nothing; the delete is a join
     * on the id list, which keeps an index plan even when the statement's cached generic plan was made on an empty
     * table (an {@code = ANY(array)} filter then degrades to a scan testing every row against every id).
     */
    private void writeChildren(List<UUID> updated, List<ProviderEvent> rows, Map<String, UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        if (!updated.isEmpty()) {
            UUID[] updatedIds = updated.toArray(UUID[]::new);
            jdbc.update(
                    "DELETE FROM event_attendees a USING unnest(?::uuid[]) AS u(id) WHERE a.event_id = u.id",
                    (Object) updatedIds);
            jdbc.update(
                    "DELETE FROM event_reminders r USING unnest(?::uuid[]) AS u(id) WHERE r.event_id = u.id",
                    (Object) updatedIds);
        }
        List<String> aEvent = new ArrayList<>(), aEmail = new ArrayList<>(), aName = new ArrayList<>();
        List<String> aStatus = new ArrayList<>(), aOptional = new ArrayList<>(), aOrganizer = new ArrayList<>();
        List<String> rEvent = new ArrayList<>(), rMethod = new ArrayList<>(), rMinutes = new ArrayList<>();
        for (ProviderEvent e : rows) {
            UUID id = ids.get(e.providerEventId());
            if (id == null) {
                continue; // not changed by this page (older or identical version)
            }
            for (ProviderEvent.Attendee a : e.attendees()) {
                if (a.email() == null || a.email().isBlank()) {
                    continue;
                }
                aEvent.add(id.toString());
                aEmail.add(clip(a.email(), 320));
                aName.add(clip(a.displayName(), 512));
                aStatus.add(
                        a.responseStatus() == null
                                ? "NEEDS_ACTION"
                                : a.responseStatus().name());
                aOptional.add(Boolean.toString(a.optional()));
                aOrganizer.add(Boolean.toString(a.organizer()));
            }
            for (ProviderEvent.Reminder r : e.reminders()) {
                rEvent.add(id.toString());
                rMethod.add(r.method() == null ? "POPUP" : r.method().name());
                rMinutes.add(Integer.toString(r.minutesBefore()));
            }
        }
        if (!aEvent.isEmpty()) {
            jdbc.update(
                    "INSERT INTO event_attendees (event_id, email, display_name, response_status, optional, organizer)"
                            + " SELECT a::uuid, b, c, d::rsvp_status, e::boolean, f::boolean"
                            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                            + " AS s(a, b, c, d, e, f)",
                    aEvent.toArray(String[]::new),
                    aEmail.toArray(String[]::new),
                    aName.toArray(String[]::new),
                    aStatus.toArray(String[]::new),
                    aOptional.toArray(String[]::new),
                    aOrganizer.toArray(String[]::new));
        }
        if (!rEvent.isEmpty()) {
            jdbc.update(
                    "INSERT INTO event_reminders (event_id, method, minutes_before)"
                            + " SELECT a::uuid, b::reminder_method, c::int FROM unnest(?::text[], ?::text[], ?::text[])"
                            + " AS s(a, b, c)",
                    rEvent.toArray(String[]::new),
                    rMethod.toArray(String[]::new),
                    rMinutes.toArray(String[]::new));
        }
    }

    /**
     * The event as a row can hold it. A cancelled occurrence often comes with its ids and original start only
     * (Google's incremental entries): its row spans that original start, which is all the expansion needs.
     */
    private static ProviderEvent storable(ProviderEvent e) {
        if (e.providerEventId() == null) {
            return null;
        }
        if (e.startTime() != null && e.endTime() != null) {
            return e;
        }
        Instant at = e.originalStartTime() != null
                ? e.originalStartTime()
                : e.originalStartDate() != null
                        ? e.originalStartDate()
                                .atStartOfDay(java.time.ZoneOffset.UTC)
                                .toInstant()
                        : null;
        if (at == null) {
            return null;
        }
        return e.withTimes(at, at);
    }

    private static String text(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
