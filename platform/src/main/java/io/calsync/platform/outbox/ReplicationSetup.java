package io.calsync.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the relay's publication and replication slot before the service writes its first outbox row. Debezium
 * would create both too, but only once its engine runs (after the lock, a second or so after start): an outbox row
 * committed before the slot exists is never in any slot's WAL stream and would be lost. The slot, once there, keeps
 * every later insert until the relay confirms it, however long no replica runs the engine.
 *
 * <p>A slot that is missing later (dropped by hand, or lost in a failover: PostgreSQL 15 slots stay on the old
 * primary) is created again at the current WAL position, and the engine's stored offset, which points into WAL the new
 * slot does not have, is discarded with it: Debezium would otherwise refuse to start ("last recorded offset is no
 * longer available") and the relay would stay down. What was committed in the gap is still in the outbox table, and
 * {@link OutboxReconciler} republishes it.
 *
 * <p>The publication comes first: logical decoding reads it as of each change, so one created after the slot would
 * be missing for the changes before it. Both steps are idempotent and safe to race with other replicas.
 */
final class ReplicationSetup {

    /** SQLSTATE duplicate_object: a concurrent replica created it first. */
    private static final String DUPLICATE_OBJECT = "42710";

    private ReplicationSetup() {}

    /**
     * @throws IllegalStateException when a slot of this name belongs to another database of the server (slots are
     *     per server): the relay would otherwise read the wrong database, so it refuses
     */
    static void ensure(PostgresEndpoint endpoint, RelayNames names) throws SQLException {
        String slot = names.slot();
        try (Connection c = endpoint.connect("calsync-outbox-relay-setup:" + slot);
                Statement s = c.createStatement()) {
            // Creating a slot waits for transactions already running; never hold start-up for long.
            s.execute("SET statement_timeout = '30s'");
            if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", slot)) {
                // Only inserts: the relay's own deletes of published rows need not travel at all.
                ignoreDuplicate(() ->
                        s.execute("CREATE PUBLICATION " + slot + " FOR TABLE public.outbox WITH (publish = 'insert')"));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT database, current_database() FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(2).equals(rs.getString(1))) {
                            throw new IllegalStateException("replication slot " + slot + " belongs to database "
                                    + rs.getString(1) + ": set calsync.outbox.relay.slot-name");
                        }
                        return;
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                ps.setString(1, slot);
                ignoreDuplicate(ps::execute);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox_relay_offsets WHERE name = ?")) {
                ps.setString(1, names.engine());
                if (ps.executeUpdate() > 0) {
                    log.atWarn()
                            .setMessage("the relay's replication slot was missing and is created anew at the current"
                                    + " WAL position; unconfirmed outbox rows are republished by the reconciler")
                            .addKeyValue("slot", slot)
                            .log();
                }
            }
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReplicationSetup.class);

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private interface SqlAction {
        boolean run() throws SQLException;
    }

    private static void ignoreDuplicate(SqlAction action) throws SQLException {
        try {
            action.run();
        } catch (SQLException e) {
            if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
