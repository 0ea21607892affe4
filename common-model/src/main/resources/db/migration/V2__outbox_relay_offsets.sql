-- calsync schema, version 2: what the outbox relay (platform, io.calsync.platform.outbox) keeps in the database.
--
-- Lives in the platform jar but shares Flyway's classpath:db/migration with common-model's V1, hence version 2.
-- Guarded like V1, so that it is harmless on a database that already has it.

-- outbox_relay_offsets: Debezium's offsets (the WAL position each relay has published up to), one row per relay.
-- They live beside the data rather than in a local file so that any replica that takes over the relay's lock
-- continues from where the last one stopped. offsets maps Debezium's JSON offset keys to its JSON offset values.
CREATE TABLE IF NOT EXISTS outbox_relay_offsets (
  name        text PRIMARY KEY,
  offsets     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- outbox.origin: the service that wrote the row. Every service has its own relay (its own replication slot) on the
-- one shared outbox table, so each relay sees every service's inserts; it publishes only its own, and rows without
-- an origin (written other than through OutboxWriter) by every relay, since a duplicate is harmless and a loss is not.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS origin varchar(128);
