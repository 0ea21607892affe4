-- calsync schema, version 1.
--
-- The production database already holds the nine calendar_* tables, created by the old Express service. This
-- migration therefore never assumes an empty database: every type, table, column and index is created only when
-- it is missing (Flyway baselines such a database at version 0, see docs/database.md). On an empty database it
-- creates everything; on the old one it adds what the new services need and leaves existing data alone.

-- gen_random_uuid() is built in from PostgreSQL 13; older servers need pgcrypto (and the right to create it).
DO $$
BEGIN
  IF current_setting('server_version_num')::int < 130000 THEN
    CREATE EXTENSION IF NOT EXISTS pgcrypto;
  END IF;
END
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'calendar_provider') THEN
    CREATE TYPE calendar_provider AS ENUM ('GOOGLE', 'MICROSOFT', 'APPLE', 'ICS');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'event_status') THEN
    CREATE TYPE event_status AS ENUM ('CONFIRMED', 'TENTATIVE', 'CANCELLED');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'sync_status') THEN
    CREATE TYPE sync_status AS ENUM ('PENDING', 'SYNCED', 'FAILED', 'DELETED');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'rsvp_status') THEN
    CREATE TYPE rsvp_status AS ENUM ('NEEDS_ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'reminder_method') THEN
    CREATE TYPE reminder_method AS ENUM ('EMAIL', 'POPUP', 'SMS');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'recurrence_frequency') THEN
    CREATE TYPE recurrence_frequency AS ENUM ('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY');
  END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- calendar_users: one row per person of the main app, identified by the email claim of its JWT.
CREATE TABLE IF NOT EXISTS calendar_users (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email       varchar(320) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE calendar_users ADD COLUMN IF NOT EXISTS display_name varchar(255);
-- Emails are compared case-insensitively; the unique index makes the first-call insert race-free (ON CONFLICT).
CREATE UNIQUE INDEX IF NOT EXISTS ux_calendar_users_email ON calendar_users (lower(email));

-- ---------------------------------------------------------------------------------------------------------------
-- calendar_connections: one connected calendar (a Google or Microsoft calendar of an account, or an ICS feed).
CREATE TABLE IF NOT EXISTS calendar_connections (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id               uuid NOT NULL REFERENCES calendar_users (id) ON DELETE CASCADE,
  provider              calendar_provider NOT NULL,
  provider_calendar_id  varchar(1024) NOT NULL,
  calendar_name         varchar(512) NOT NULL,
  account_email         varchar(320),
  color                 varchar(32),
  is_primary            boolean NOT NULL DEFAULT false,
  is_read_only          boolean NOT NULL DEFAULT false,
  is_connected          boolean NOT NULL DEFAULT true,
  sync_status           sync_status NOT NULL DEFAULT 'PENDING',
  last_synced_at        timestamptz,
  last_sync_error       text,
  ics_url               text,
  access_token          text,
  refresh_token         text,
  token_expires_at      timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- Sync state and token bookkeeping of the new services. Tokens are stored encrypted (AES-256-GCM, see TokenCipher).
ALTER TABLE calendar_connections
  ADD COLUMN IF NOT EXISTS token_scopes               text,
  ADD COLUMN IF NOT EXISTS token_version              bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS disconnected_reason        text,
  ADD COLUMN IF NOT EXISTS google_sync_token          text,
  ADD COLUMN IF NOT EXISTS graph_delta_link           text,
  ADD COLUMN IF NOT EXISTS sync_window_start          timestamptz,
  ADD COLUMN IF NOT EXISTS sync_window_end            timestamptz,
  ADD COLUMN IF NOT EXISTS ics_etag                   text,
  ADD COLUMN IF NOT EXISTS ics_last_modified          text,
  ADD COLUMN IF NOT EXISTS ics_refresh_interval_secs  integer,
  ADD COLUMN IF NOT EXISTS next_refresh_at            timestamptz,
  ADD COLUMN IF NOT EXISTS consecutive_failures       integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS max_event_duration_secs    bigint NOT NULL DEFAULT 86400,
  ADD COLUMN IF NOT EXISTS event_count                integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS version                    bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS ix_calendar_connections_user ON calendar_connections (user_id);
-- Selecting the same provider calendar twice must not duplicate it (OAuth select is idempotent).
CREATE UNIQUE INDEX IF NOT EXISTS ux_calendar_connections_calendar
  ON calendar_connections (user_id, provider, provider_calendar_id);
CREATE INDEX IF NOT EXISTS ix_calendar_connections_refresh
  ON calendar_connections (next_refresh_at) WHERE is_connected;

-- ---------------------------------------------------------------------------------------------------------------
-- calendar_events: events, series masters, overrides and cancelled occurrences (the last two point at their master).
CREATE TABLE IF NOT EXISTS calendar_events (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  connection_id       uuid NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
  provider_event_id   varchar(1024),
  ical_uid            varchar(1024),
  title               varchar(1024),
  description         text,
  location            text,
  start_time          timestamptz NOT NULL,
  end_time            timestamptz NOT NULL,
  is_all_day          boolean NOT NULL DEFAULT false,
  start_date          date,
  end_date            date,
  timezone            varchar(64),
  status              event_status NOT NULL DEFAULT 'CONFIRMED',
  recurrence_rule     text,
  recurring_event_id  uuid,
  original_start_time timestamptz,
  organizer_email     varchar(320),
  html_link           text,
  sync_status         sync_status NOT NULL DEFAULT 'SYNCED',
  sync_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE calendar_events
  ADD COLUMN IF NOT EXISTS recurrence                 text[],
  ADD COLUMN IF NOT EXISTS recurrence_frequency       recurrence_frequency,
  ADD COLUMN IF NOT EXISTS provider_recurring_id      varchar(1024),
  ADD COLUMN IF NOT EXISTS original_start_date        date,
  ADD COLUMN IF NOT EXISTS etag                       varchar(512),
  ADD COLUMN IF NOT EXISTS provider_updated_at        timestamptz,
  ADD COLUMN IF NOT EXISTS sequence                   integer,
  ADD COLUMN IF NOT EXISTS sync_attempts              integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS pending_operation          varchar(16),
  ADD COLUMN IF NOT EXISTS last_synced_at             timestamptz,
  ADD COLUMN IF NOT EXISTS version                    bigint NOT NULL DEFAULT 0;
-- One row per provider event of a connection: the key of every idempotent upsert.
CREATE UNIQUE INDEX IF NOT EXISTS ux_calendar_events_provider_id
  ON calendar_events (connection_id, provider_event_id);
-- Range reads: a connection's events by start, bounded below by start - max_event_duration_secs of the connection.
CREATE INDEX IF NOT EXISTS ix_calendar_events_connection_start ON calendar_events (connection_id, start_time);
CREATE INDEX IF NOT EXISTS ix_calendar_events_recurring ON calendar_events (recurring_event_id)
  WHERE recurring_event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_calendar_events_masters ON calendar_events (connection_id)
  WHERE recurrence_rule IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_calendar_events_pending ON calendar_events (sync_status)
  WHERE sync_status IN ('PENDING', 'FAILED');

-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS event_attendees (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id         uuid NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
  email            varchar(320) NOT NULL,
  display_name     varchar(512),
  response_status  rsvp_status NOT NULL DEFAULT 'NEEDS_ACTION',
  optional         boolean NOT NULL DEFAULT false,
  organizer        boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS ix_event_attendees_event ON event_attendees (event_id);

CREATE TABLE IF NOT EXISTS event_reminders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id        uuid NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
  method          reminder_method NOT NULL DEFAULT 'POPUP',
  minutes_before  integer NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_event_reminders_event ON event_reminders (event_id);

-- ---------------------------------------------------------------------------------------------------------------
-- calendar_sessions: what an OAuth callback learned (tokens, calendars), until the user selects calendars.
CREATE TABLE IF NOT EXISTS calendar_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES calendar_users (id) ON DELETE CASCADE,
  provider       calendar_provider NOT NULL,
  account_email  varchar(320),
  access_token   text,
  refresh_token  text,
  expires_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE calendar_sessions
  ADD COLUMN IF NOT EXISTS token_expires_at timestamptz,
  ADD COLUMN IF NOT EXISTS token_scopes     text,
  ADD COLUMN IF NOT EXISTS calendars        jsonb NOT NULL DEFAULT '[]'::jsonb;
CREATE INDEX IF NOT EXISTS ix_calendar_sessions_expiry ON calendar_sessions (expires_at);

-- oauth_states: one login attempt; single use, ten minutes.
CREATE TABLE IF NOT EXISTS oauth_states (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  state       varchar(128) NOT NULL,
  user_id     uuid NOT NULL REFERENCES calendar_users (id) ON DELETE CASCADE,
  provider    calendar_provider NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE oauth_states
  ADD COLUMN IF NOT EXISTS code_verifier text,
  ADD COLUMN IF NOT EXISTS redirect_uri  text,
  ADD COLUMN IF NOT EXISTS used_at       timestamptz;
CREATE UNIQUE INDEX IF NOT EXISTS ux_oauth_states_state ON oauth_states (state);
CREATE INDEX IF NOT EXISTS ix_oauth_states_expiry ON oauth_states (expires_at);

-- webhook_subscriptions: a Google watch channel or a Graph subscription of one connection.
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  connection_id    uuid NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
  provider         calendar_provider NOT NULL,
  subscription_id  varchar(512) NOT NULL,
  expires_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE webhook_subscriptions
  ADD COLUMN IF NOT EXISTS resource_id          varchar(1024),
  ADD COLUMN IF NOT EXISTS resource             text,
  ADD COLUMN IF NOT EXISTS client_state         varchar(255),
  ADD COLUMN IF NOT EXISTS notification_url     text,
  ADD COLUMN IF NOT EXISTS status               varchar(16) NOT NULL DEFAULT 'ACTIVE',
  ADD COLUMN IF NOT EXISTS last_message_number  bigint,
  ADD COLUMN IF NOT EXISTS last_notification_at timestamptz,
  ADD COLUMN IF NOT EXISTS updated_at           timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX IF NOT EXISTS ux_webhook_subscriptions_subscription
  ON webhook_subscriptions (provider, subscription_id);
CREATE INDEX IF NOT EXISTS ix_webhook_subscriptions_connection ON webhook_subscriptions (connection_id);
CREATE INDEX IF NOT EXISTS ix_webhook_subscriptions_expiry ON webhook_subscriptions (expires_at)
  WHERE status = 'ACTIVE';

-- calendar_audit_logs: who did what to which calendar object, with what outcome.
CREATE TABLE IF NOT EXISTS calendar_audit_logs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid,
  action      varchar(64) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE calendar_audit_logs
  ADD COLUMN IF NOT EXISTS target_type     varchar(32),
  ADD COLUMN IF NOT EXISTS target_id       varchar(255),
  ADD COLUMN IF NOT EXISTS outcome         varchar(32) NOT NULL DEFAULT 'SUCCESS',
  ADD COLUMN IF NOT EXISTS detail          text,
  ADD COLUMN IF NOT EXISTS request_id      varchar(64),
  ADD COLUMN IF NOT EXISTS client_address  varchar(64),
  ADD COLUMN IF NOT EXISTS actor           varchar(64) NOT NULL DEFAULT 'user';
CREATE INDEX IF NOT EXISTS ix_calendar_audit_logs_user ON calendar_audit_logs (user_id, created_at DESC);

-- ---------------------------------------------------------------------------------------------------------------
-- outbox: the transactional outbox (Debezium's columns). aggregatetype is the Kafka topic, aggregateid the
-- message key (a connection id), type the logical message type, payload the JSON message. Rows are deleted once
-- published; Debezium reads the inserts from the WAL.
CREATE TABLE IF NOT EXISTS outbox (
  id             uuid PRIMARY KEY,
  aggregatetype  varchar(255) NOT NULL,
  aggregateid    varchar(255) NOT NULL,
  type           varchar(255) NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ix_outbox_created ON outbox (created_at);

-- processed_messages: the ids a consumer has applied, written in the same transaction as the work.
CREATE TABLE IF NOT EXISTS processed_messages (
  consumer      varchar(128) NOT NULL,
  message_id    uuid NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS ix_processed_messages_age ON processed_messages (processed_at);

-- shedlock: one run of a scheduled job per interval across replicas (ics-poller-service).
CREATE TABLE IF NOT EXISTS shedlock (
  name        varchar(64) PRIMARY KEY,
  lock_until  timestamptz NOT NULL,
  locked_at   timestamptz NOT NULL,
  locked_by   varchar(255) NOT NULL
);
