-- CalDAV calendars (contract: "CalDAV calendars"): APPLE is iCloud, CALDAV any other CalDAV server. A CalDAV
-- connection's provider_calendar_id is the calendar's URL, account_email the user name, access_token the password
-- (encrypted like OAuth tokens, never answered), google_sync_token its cursor (sync:<RFC 6578 token> or
-- ctag:<ctag>), next_refresh_at its next scheduled poll.
ALTER TYPE calendar_provider ADD VALUE IF NOT EXISTS 'CALDAV';
