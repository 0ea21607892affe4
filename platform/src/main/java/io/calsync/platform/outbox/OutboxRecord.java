package io.calsync.platform.outbox;

import io.debezium.data.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One outbox insert as Debezium captured it: the {@code after} image of the row plus the commit time of its
 * transaction (from the {@code source} block), which is where the relay's lag is measured from.
 *
 * @param id the message's event id (its {@code id} column, a uuid Debezium delivers as text)
 * @param topic the {@code aggregatetype} column
 * @param key the {@code aggregateid} column: the connection id
 * @param type the logical message type
 * @param payload the JSON message, exactly as written (a jsonb column arrives as its text)
 * @param origin the service that wrote the row, or null when it was written other than through {@link OutboxWriter}
 * @param committedAt when the writing transaction committed, or null when the record does not say
 * @param traceparent the writer's W3C trace context, or null when it wrote outside a trace (or before the column
 *     existed)
 */
public record OutboxRecord(
        UUID id,
        String topic,
        String key,
        String type,
        byte[] payload,
        String origin,
        Instant committedAt,
        String traceparent) {

    /** The outbox insert in a change record; empty for anything else (deletes, updates, heartbeats, tombstones). */
    public static Optional<OutboxRecord> from(SourceRecord record) {
        if (record.value() == null || !Envelope.isEnvelopeSchema(record.valueSchema())) {
            return Optional.empty();
        }
        Envelope.Operation op = Envelope.operationFor(record);
        if (op != Envelope.Operation.CREATE) {
            return Optional.empty();
        }
        Struct value = (Struct) record.value();
        Struct after = value.getStruct(Envelope.FieldName.AFTER);
        return Optional.of(new OutboxRecord(
                UUID.fromString(after.getString("id")),
                after.getString("aggregatetype"),
                after.getString("aggregateid"),
                after.getString("type"),
                after.getString("payload").getBytes(StandardCharsets.UTF_8),
                optionalString(after, "origin"),
                commitTime(value.getStruct(Envelope.FieldName.SOURCE)),
                optionalString(after, "traceparent")));
    }

    private static String optionalString(Struct struct, String field) {
        return struct.schema().field(field) == null ? null : struct.getString(field);
    }

    /** PostgreSQL's commit timestamp: microseconds where Debezium gives them ({@code ts_us}), else milliseconds. */
    private static Instant commitTime(Struct source) {
        if (source == null) {
            return null;
        }
        Field micros = source.schema().field(Envelope.FieldName.TIMESTAMP_US);
        if (micros != null && source.get(micros) != null) {
            return Instant.EPOCH.plus((Long) source.get(micros), ChronoUnit.MICROS);
        }
        Field millis = source.schema().field(Envelope.FieldName.TIMESTAMP);
        return millis != null && source.get(millis) != null ? Instant.ofEpochMilli((Long) source.get(millis)) : null;
    }

    /** Identifies the record in logs: never the payload. */
    @Override
    public String toString() {
        return "OutboxRecord[id=" + id + ", topic=" + topic + ", key=" + key + ", type=" + type + "]";
    }
}
