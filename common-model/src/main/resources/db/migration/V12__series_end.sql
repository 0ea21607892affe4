-- A series' end, so that range reads skip series that ended before the window instead of reading and expanding them.
-- Derived from the rule by a trigger, whoever writes the row: the day of UNTIL plus two days (any time of day in any
-- zone, and all-day ends) plus the occurrence's length. Unknown (null, always read) for a rule without UNTIL (COUNT
-- or endless) and for a series with RDATE lines, which may lie after UNTIL.
ALTER TABLE calendar_events ADD COLUMN IF NOT EXISTS series_end timestamptz;

CREATE OR REPLACE FUNCTION calsync_series_end() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  until_day text;
BEGIN
  until_day := substring(NEW.recurrence_rule FROM 'UNTIL=([0-9]{8})');
  IF until_day IS NULL
     OR EXISTS (SELECT 1 FROM unnest(coalesce(NEW.recurrence, '{}'::text[])) AS l WHERE l ILIKE 'RDATE%') THEN
    NEW.series_end := NULL;
  ELSE
    NEW.series_end := (to_date(until_day, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC') + interval '2 days'
        + greatest(NEW.end_time - NEW.start_time, interval '0');
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS calendar_events_series_end ON calendar_events;
CREATE TRIGGER calendar_events_series_end BEFORE INSERT OR UPDATE OF recurrence_rule, recurrence, start_time, end_time
  ON calendar_events FOR EACH ROW EXECUTE FUNCTION calsync_series_end();

UPDATE calendar_events SET recurrence_rule = recurrence_rule WHERE recurrence_rule ~ 'UNTIL=';

-- The masters a window can reach, by calendar: those whose end is unknown or after the window's start.
CREATE INDEX IF NOT EXISTS ix_calendar_events_live_masters ON calendar_events (connection_id, series_end)
  WHERE recurrence_rule IS NOT NULL;
