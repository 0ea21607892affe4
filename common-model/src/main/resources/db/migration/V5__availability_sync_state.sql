-- calsync schema, version 5: what free/busy needs of an event, and the sync state a frontend can show.
--
-- Additive and guarded like V1, so that it is harmless on a database that already has it.

-- calendar_events.availability: how the event blocks its owner's time, in one vocabulary for every provider:
-- BUSY, FREE, TENTATIVE, OOF (out of office), WORKING_ELSEWHERE. Google's transparency (transparent is FREE, opaque is
-- BUSY), Graph's showAs (free, tentative, busy, oof, workingElsewhere; unknown is BUSY) and ICS TRANSP (TRANSPARENT is
-- FREE). NULL (rows written before this version, events created through the API) counts as BUSY.
ALTER TABLE calendar_events ADD COLUMN IF NOT EXISTS availability varchar(24);

-- The sync state of a connection (GET /calendars/{id}/sync-state), recorded by the engine as it works:
-- last_attempt_at: when the last pass started, whatever its end.
-- initial_sync_*: the first full pass of a new connection, page by page: QUEUED until a pass starts, RUNNING with the
--   events stored so far, then DONE or FAILED (a failed one starts again with the next pass).
-- push_state: NULL while no subscription was tried (ICS feeds, a new connection), ACTIVE once one is open, OFF when
--   push is switched off here (no public API_URL), DEGRADED when the provider refused to open or renew one; the
--   poller polls DEGRADED connections every few minutes instead. push_error: why, for the frontend.
ALTER TABLE calendar_connections
  ADD COLUMN IF NOT EXISTS last_attempt_at            timestamptz,
  ADD COLUMN IF NOT EXISTS initial_sync_state         varchar(16),
  ADD COLUMN IF NOT EXISTS initial_sync_events        integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS initial_sync_started_at    timestamptz,
  ADD COLUMN IF NOT EXISTS initial_sync_finished_at   timestamptz,
  ADD COLUMN IF NOT EXISTS push_state                 varchar(16),
  ADD COLUMN IF NOT EXISTS push_error                 text;
-- Connections that synced before this version finished their initial sync; the others wait for theirs.
UPDATE calendar_connections
  SET initial_sync_state = CASE WHEN last_synced_at IS NOT NULL THEN 'DONE' ELSE 'QUEUED' END,
      initial_sync_finished_at = last_synced_at,
      initial_sync_events = event_count
  WHERE initial_sync_state IS NULL;
ALTER TABLE calendar_connections ALTER COLUMN initial_sync_state SET DEFAULT 'QUEUED';
ALTER TABLE calendar_connections ALTER COLUMN initial_sync_state SET NOT NULL;
