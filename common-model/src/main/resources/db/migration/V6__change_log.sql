-- calsync schema, version 6: the per-user change log behind GET /events/changes and GET /stream.
--
-- Every change of a user's events and calendars is logged by triggers, in the transaction that made it, whoever made
-- it (a gateway write, a sync pass, a write-back's result, a disconnect that removes a calendar's events), so that no
-- writer can forget to. A row names what changed, not how: readers answer the event as it is when they read.
--
-- Commit order: seq is taken when the row is written, so a transaction that took a smaller seq may commit after one
-- that took a larger one. Each row also keeps its transaction id (tx_id, xid8), and readers only return rows of
-- transactions older than every transaction still running (tx_id < pg_snapshot_xmin(pg_current_snapshot())), in
-- (tx_id, seq) order. A transaction that commits later always has a tx_id at or above that bound, so it sorts after
-- every position already handed out: nothing is skipped, nothing is answered twice. The bound must be taken in the
-- same statement (the same snapshot) as the rows: taken in a statement of its own, a concurrent test saw it pass
-- transactions whose rows the next statement did not see yet (gateway ChangeLogIT).

CREATE TABLE IF NOT EXISTS event_changes (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  user_id      uuid NOT NULL,
  calendar_id  uuid NOT NULL,
  -- null for a change of the calendar itself (kind CALENDAR)
  event_id     uuid,
  -- UPSERTED, DELETED (of an event) or CALENDAR (its sync status, connection or sync state changed)
  kind         varchar(8) NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ix_event_changes_user_position ON event_changes (user_id, tx_id, seq);
CREATE INDEX IF NOT EXISTS ix_event_changes_changed_at ON event_changes (changed_at);

-- An event row changed. Rows the API does not show (sync_status DELETED, a DELETE waiting for the provider) count as
-- gone: becoming one is a DELETED change, and a change between two such states is none. Updates that change nothing
-- are not logged (the trigger's WHEN). A row whose calendar is being removed is not logged here: the calendar's own
-- trigger logged the removal of all its events first.
CREATE OR REPLACE FUNCTION calsync_log_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_visible boolean := false;
  is_visible  boolean := false;
  row_connection uuid;
  row_id uuid;
  owner uuid;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    was_visible := OLD.sync_status <> 'DELETED' AND OLD.pending_operation IS DISTINCT FROM 'DELETE';
    row_connection := OLD.connection_id;
    row_id := OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    is_visible := NEW.sync_status <> 'DELETED' AND NEW.pending_operation IS DISTINCT FROM 'DELETE';
    row_connection := NEW.connection_id;
    row_id := NEW.id;
  END IF;
  IF NOT was_visible AND NOT is_visible THEN
    RETURN NULL;
  END IF;
  SELECT user_id INTO owner FROM calendar_connections WHERE id = row_connection;
  IF owner IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO event_changes (user_id, calendar_id, event_id, kind)
    VALUES (owner, row_connection, row_id, CASE WHEN is_visible THEN 'UPSERTED' ELSE 'DELETED' END);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS calendar_events_log_insert ON calendar_events;
CREATE TRIGGER calendar_events_log_insert AFTER INSERT ON calendar_events
  FOR EACH ROW EXECUTE FUNCTION calsync_log_event_change();
DROP TRIGGER IF EXISTS calendar_events_log_update ON calendar_events;
CREATE TRIGGER calendar_events_log_update AFTER UPDATE ON calendar_events
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION calsync_log_event_change();
DROP TRIGGER IF EXISTS calendar_events_log_delete ON calendar_events;
CREATE TRIGGER calendar_events_log_delete AFTER DELETE ON calendar_events
  FOR EACH ROW EXECUTE FUNCTION calsync_log_event_change();

-- A calendar was added, or what the frontend shows of its state changed: a CALENDAR change (GET /stream says
-- "event: calendar"). Removed: every shown event of it is DELETED, then the calendar itself, before the cascade.
CREATE OR REPLACE FUNCTION calsync_log_calendar_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO event_changes (user_id, calendar_id, event_id, kind)
      SELECT OLD.user_id, OLD.id, e.id, 'DELETED' FROM calendar_events e
      WHERE e.connection_id = OLD.id AND e.sync_status <> 'DELETED'
        AND e.pending_operation IS DISTINCT FROM 'DELETE'
      ORDER BY e.id;
    INSERT INTO event_changes (user_id, calendar_id, event_id, kind) VALUES (OLD.user_id, OLD.id, NULL, 'CALENDAR');
    RETURN OLD;
  END IF;
  INSERT INTO event_changes (user_id, calendar_id, event_id, kind) VALUES (NEW.user_id, NEW.id, NULL, 'CALENDAR');
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS calendar_connections_log_insert ON calendar_connections;
CREATE TRIGGER calendar_connections_log_insert AFTER INSERT ON calendar_connections
  FOR EACH ROW EXECUTE FUNCTION calsync_log_calendar_change();
DROP TRIGGER IF EXISTS calendar_connections_log_update ON calendar_connections;
CREATE TRIGGER calendar_connections_log_update AFTER UPDATE ON calendar_connections
  FOR EACH ROW WHEN (
    OLD.sync_status IS DISTINCT FROM NEW.sync_status
    OR OLD.is_connected IS DISTINCT FROM NEW.is_connected
    OR OLD.last_sync_error IS DISTINCT FROM NEW.last_sync_error
    OR OLD.consecutive_failures IS DISTINCT FROM NEW.consecutive_failures
    OR OLD.initial_sync_state IS DISTINCT FROM NEW.initial_sync_state
    OR OLD.initial_sync_events IS DISTINCT FROM NEW.initial_sync_events
    OR OLD.push_state IS DISTINCT FROM NEW.push_state
    OR OLD.calendar_name IS DISTINCT FROM NEW.calendar_name)
  EXECUTE FUNCTION calsync_log_calendar_change();
DROP TRIGGER IF EXISTS calendar_connections_log_delete ON calendar_connections;
CREATE TRIGGER calendar_connections_log_delete BEFORE DELETE ON calendar_connections
  FOR EACH ROW EXECUTE FUNCTION calsync_log_calendar_change();
