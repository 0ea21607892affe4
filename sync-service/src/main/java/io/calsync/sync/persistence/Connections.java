package io.calsync.sync.persistence;

import io.calsync.model.domain.CalendarProvider;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The engine's reads and writes of {@code calendar_connections}: the sync state of one calendar. */
@Component
public class Connections {

    /**
     * What a sync pass needs of a connection. {@code cursor}: Google's sync token, Graph's delta link, or a CalDAV
     * calendar's {@code sync:}/{@code ctag:} cursor (kept in {@code google_sync_token}).
     */
    public record Connection(
            UUID id,
            UUID userId,
            CalendarProvider provider,
            String providerCalendarId,
            String accountEmail,
            String icsUrl,
            boolean connected,
            boolean readOnly,
            String cursor,
            String icsEtag,
            String icsLastModified) {}

    private final JdbcTemplate jdbc;

    public Connections(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Connection> find(UUID id) {
        List<Connection> found = jdbc.query(
                """
                SELECT id, user_id, provider::text, provider_calendar_id, account_email, ics_url, is_connected,
                  is_read_only, google_sync_token, graph_delta_link, ics_etag, ics_last_modified
                FROM calendar_connections WHERE id = ?
                """,
                (rs, n) -> {
                    CalendarProvider provider = CalendarProvider.valueOf(rs.getString(3));
                    return new Connection(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            provider,
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getBoolean(7),
                            rs.getBoolean(8),
                            provider == CalendarProvider.MICROSOFT ? rs.getString(10) : rs.getString(9),
                            rs.getString(11),
                            rs.getString(12));
                },
                id);
        return found.stream().findFirst();
    }

    /** Forgets the cursor, so that the next pass lists everything. */
    public void clearCursor(UUID id) {
        jdbc.update(
                "UPDATE calendar_connections SET google_sync_token = NULL, graph_delta_link = NULL, ics_etag = NULL,"
                        + " ics_last_modified = NULL, updated_at = now() WHERE id = ?",
                id);
    }

    /** A pass ended well: its cursor and validators, SYNCED, no error. */
    public void succeeded(
            Connection c,
            String cursor,
            String icsEtag,
            String icsLastModified,
            Integer refreshIntervalSecs,
            Instant nextRefresh,
            Instant now) {
        jdbc.update(
                """
                UPDATE calendar_connections SET
                  google_sync_token = CASE WHEN provider IN ('GOOGLE', 'APPLE', 'CALDAV') THEN ? ELSE google_sync_token END,
                  graph_delta_link = CASE WHEN provider = 'MICROSOFT' THEN ? ELSE graph_delta_link END,
                  ics_etag = coalesce(?, ics_etag), ics_last_modified = coalesce(?, ics_last_modified),
                  ics_refresh_interval_secs = coalesce(?, ics_refresh_interval_secs),
                  next_refresh_at = coalesce(?, next_refresh_at),
                  sync_status = 'SYNCED', last_synced_at = ?, last_sync_error = NULL, consecutive_failures = 0,
                  initial_sync_finished_at = CASE WHEN initial_sync_state = 'RUNNING' THEN now()
                    ELSE initial_sync_finished_at END,
                  initial_sync_state = CASE WHEN initial_sync_state = 'RUNNING' THEN 'DONE' ELSE initial_sync_state END,
                  updated_at = now(), version = version + 1
                WHERE id = ?
                """,
                cursor,
                cursor,
                icsEtag,
                icsLastModified,
                refreshIntervalSecs,
                nextRefresh == null ? null : Timestamp.from(nextRefresh),
                Timestamp.from(now),
                c.id());
    }

    /** A pass failed: the reason (safe text), FAILED, one more consecutive failure. */
    public void failed(UUID id, String reason) {
        jdbc.update(
                "UPDATE calendar_connections SET sync_status = 'FAILED', last_sync_error = ?,"
                        + " consecutive_failures = consecutive_failures + 1, updated_at = now(), version = version + 1,"
                        + " initial_sync_state = CASE WHEN initial_sync_state = 'RUNNING' THEN 'FAILED'"
                        + " ELSE initial_sync_state END"
                        + " WHERE id = ?",
                reason == null ? "sync failed" : (reason.length() > 1000 ? reason.substring(0, 1000) : reason),
                id);
    }

    /**
     * The provider asked to wait (or the pass ran out of time): the sync is moved, not failed. {@code next_refresh_at}
     * holds when to come back; the poller requests the sync then (the ICS refresh for feeds, the backstop for the
     * others). The reason shows as the calendar's last error until a pass succeeds.
     */
    public void retryAt(UUID id, Instant at, String reason) {
        jdbc.update(
                "UPDATE calendar_connections SET next_refresh_at = ?, last_sync_error = ?, updated_at = now(),"
                        + " version = version + 1 WHERE id = ?",
                java.sql.Timestamp.from(at),
                reason.length() > 1000 ? reason.substring(0, 1000) : reason,
                id);
    }

    /**
     * A pass starts: its time is the calendar's last attempt, and a connection whose initial sync is still to come (or
     * failed) begins it now, counting from zero.
     */
    public void attempted(UUID id) {
        jdbc.update("""
                UPDATE calendar_connections SET last_attempt_at = now(),
                  initial_sync_started_at = CASE WHEN initial_sync_state IN ('QUEUED', 'FAILED') THEN now()
                    ELSE initial_sync_started_at END,
                  initial_sync_events = CASE WHEN initial_sync_state IN ('QUEUED', 'FAILED') THEN 0
                    ELSE initial_sync_events END,
                  initial_sync_finished_at = CASE WHEN initial_sync_state IN ('QUEUED', 'FAILED') THEN NULL
                    ELSE initial_sync_finished_at END,
                  initial_sync_state = CASE WHEN initial_sync_state IN ('QUEUED', 'FAILED') THEN 'RUNNING'
                    ELSE initial_sync_state END
                WHERE id = ?
                """, id);
    }

    /** One page of a running initial sync was stored: {@code events} more so far (in the page's transaction). */
    public void progressed(UUID id, int events) {
        if (events > 0) {
            jdbc.update(
                    "UPDATE calendar_connections SET initial_sync_events = initial_sync_events + ?"
                            + " WHERE id = ? AND initial_sync_state = 'RUNNING'",
                    events,
                    id);
        }
    }

    /** How push stands for a connection: {@code ACTIVE}, {@code OFF} or {@code DEGRADED} with the reason. */
    public void push(UUID id, String state, String error) {
        jdbc.update(
                "UPDATE calendar_connections SET push_state = ?, push_error = ? WHERE id = ?"
                        + " AND (push_state IS DISTINCT FROM ? OR push_error IS DISTINCT FROM ?)",
                state,
                error == null ? null : (error.length() > 1000 ? error.substring(0, 1000) : error),
                id,
                state,
                error == null ? null : (error.length() > 1000 ? error.substring(0, 1000) : error));
    }
}
