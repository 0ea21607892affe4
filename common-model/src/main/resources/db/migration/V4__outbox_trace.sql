-- calsync schema, version 4: the trace context of outbox rows.
--
-- Guarded like V1, so that it is harmless on a database that already has it.

-- outbox.traceparent: the W3C trace context (00-<trace id>-<span id>-<flags>) of the request or message that wrote
-- the row, or null outside a trace. The relay publishes it as the record's traceparent header, so that the consumer's
-- log lines carry the same trace id as the writer's. Nullable: rows of older writers, and writes outside a trace.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent varchar(256);
