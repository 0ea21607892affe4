-- calsync schema, version 8: Idempotency-Key on POST /events.
--
-- A key the frontend sends with a create (1-255 printable ASCII) is claimed in the transaction that creates the event
-- and holds the answer given (status, body, entity tag), so a repeat of the same key by the same user gets the same
-- answer for 24 hours from any replica and creates nothing; a concurrent repeat waits on the claim's row until the
-- first commits. request_hash (SHA-256 of the request as parsed) tells a repeat from a reuse with another body.
-- The poller's cleanup deletes keys older than a day.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id       uuid NOT NULL REFERENCES calendar_users (id) ON DELETE CASCADE,
  idem_key      varchar(255) NOT NULL,
  request_hash  varchar(64) NOT NULL,
  status        integer,
  response      text,
  etag          varchar(64),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX IF NOT EXISTS ix_idempotency_keys_created ON idempotency_keys (created_at);
