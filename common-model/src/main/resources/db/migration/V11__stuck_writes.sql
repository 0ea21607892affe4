-- The stuck-writes sweeper of ics-poller-service: an event left PENDING (its command dead-lettered, or lost with a
-- replication slot) has its command sent again with backoff, a bounded number of times, then FAILED with a reason.
-- The count belongs to one version of the row (sweep_version): a new edit of the user starts it afresh.
ALTER TABLE calendar_events
  ADD COLUMN IF NOT EXISTS sweep_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS sweep_version  bigint,
  ADD COLUMN IF NOT EXISTS sweep_next_at  timestamptz;
