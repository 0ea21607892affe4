package io.calsync.platform.outbox;

import java.time.Duration;
import java.util.Properties;

/** The Debezium engine configuration of one service's relay. */
final class DebeziumProperties {

    private DebeziumProperties() {}

    static Properties of(RelayNames names, PostgresEndpoint db, Duration pollInterval, Duration heartbeatInterval) {
        Properties p = new Properties();
        p.setProperty("name", names.engine());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", "calsync");
        // Debezium's JMX names derive from topic.prefix; relays of several services in one JVM (tests) would clash.
        p.setProperty("custom.metric.tags", "relay=" + names.slot());

        p.setProperty("database.hostname", db.host());
        p.setProperty("database.port", String.valueOf(db.port()));
        p.setProperty("database.dbname", db.database());
        if (db.username() != null) {
            p.setProperty("database.user", db.username());
        }
        if (db.password() != null) {
            p.setProperty("database.password", db.password());
        }
        if (db.sslMode() != null) {
            p.setProperty("database.sslmode", db.sslMode());
        }

        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", names.slot());
        p.setProperty("publication.name", names.slot());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "public.outbox");
        // No snapshot: rows still in the table when a slot is new are the reconciler's (OutboxReconciler).
        p.setProperty("snapshot.mode", "no_data");
        // Only inserts matter; the delete after each insert need not even reach the handler, nor a tombstone.
        p.setProperty("skipped.operations", "u,d,t");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", String.valueOf(pollInterval.toMillis()));
        // The slot's confirmed position only moves when an event arrives. PostgreSQL sends nothing for transactions
        // outside the publication, so a quiet outbox in a busy database would make the slot hold all its WAL; a
        // logical decoding message (no table needed) every heartbeat gives the relay an event to confirm.
        p.setProperty("heartbeat.interval.ms", String.valueOf(heartbeatInterval.toMillis()));
        p.setProperty(
                "heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, 'calsync-outbox-heartbeat', '" + names.slot() + "')");

        // Offsets in the same database, flushed after every batch: a restart re-delivers at most the last batch.
        p.setProperty("offset.storage", JdbcOffsetBackingStore.class.getName());
        p.setProperty(JdbcOffsetBackingStore.URL, db.jdbcUrl());
        if (db.username() != null) {
            p.setProperty(JdbcOffsetBackingStore.USER, db.username());
        }
        if (db.password() != null) {
            p.setProperty(JdbcOffsetBackingStore.PASSWORD, db.password());
        }
        p.setProperty(JdbcOffsetBackingStore.NAME, names.engine());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "10000");
        return p;
    }
}
