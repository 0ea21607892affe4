-- calsync schema, version 3: the bookkeeping of ics-poller-service's jobs (io.calsync.poller).
--
-- Guarded like V1, so that it is harmless on a database that already has it. Every service runs Flyway, which is
-- why the poller's columns live here and not in the poller's own jar.

-- backstop_requested_at: when the poller last asked for a backstop sync of a push connection. A connection is asked
-- for again only once both this and last_synced_at are older than the backstop interval, so a connection whose syncs
-- keep failing is not asked for on every run, and two replicas that race never ask twice.
ALTER TABLE calendar_connections ADD COLUMN IF NOT EXISTS backstop_requested_at timestamptz;
-- The backstop scan: connected push connections, the longest unsynced first.
CREATE INDEX IF NOT EXISTS ix_calendar_connections_backstop
  ON calendar_connections (last_synced_at NULLS FIRST)
  WHERE is_connected AND provider IN ('GOOGLE', 'MICROSOFT');

-- renewal_requested_at: when the poller last asked sync-service to renew this subscription; it asks again only
-- after a retry delay, however often it scans (a renewal moves expires_at forward and ends the asking by itself).
ALTER TABLE webhook_subscriptions ADD COLUMN IF NOT EXISTS renewal_requested_at timestamptz;
