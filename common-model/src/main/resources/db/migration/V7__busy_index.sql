-- calsync schema, version 7: an index that answers free/busy's read of single events on its own.
--
-- POST /freebusy reads, per calendar, the single events (and overrides) overlapping a window of up to 62 days:
-- thousands of rows of a busy user, of which it needs only the times, status and availability. This partial index on
-- (connection_id, start_time) carries those columns, so the read is an index-only scan (what autovacuum's visibility
-- map allows) instead of a heap fetch per row. Series masters are few and read by ix_calendar_events_masters.
CREATE INDEX IF NOT EXISTS ix_calendar_events_busy ON calendar_events (connection_id, start_time)
  INCLUDE (end_time, is_all_day, start_date, end_date, timezone, status, availability, sync_status, pending_operation)
  WHERE recurrence_rule IS NULL;
