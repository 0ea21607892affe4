package io.calsync.platform.outbox;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the health of a relay's replication slot ({@code pg_replication_slots}) and of its unconfirmed outbox rows
 * into the relay's gauges: {@code calsync.outbox.slot.active} (a walsender streams from it; 0 also when the slot is
 * missing), {@code calsync.outbox.slot.retained.bytes} (WAL the slot keeps from being recycled),
 * {@code calsync.outbox.slot.wal.status} (0 reserved, 1 extended, 2 unreserved: about to be lost, 3 lost or missing),
 * {@code calsync.outbox.unpublished} and {@code calsync.outbox.unpublished.oldest.seconds} (rows of this service not
 * yet confirmed). Every replica reads them, leader or not, so the figures do not vanish with a failed leader.
 */
public class SlotMonitor {

    private final JdbcTemplate jdbc;
    private final RelayNames names;
    private final OutboxRelayMetrics metrics;

    public SlotMonitor(JdbcTemplate jdbc, RelayNames names, OutboxRelayMetrics metrics) {
        this.jdbc = jdbc;
        this.names = names;
        this.metrics = metrics;
    }

    public void refresh() {
        var slot = jdbc.query(
                """
                SELECT active, wal_status, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                  FROM pg_replication_slots WHERE slot_name = ?""",
                (rs, i) -> new OutboxRelayMetrics.Slot(rs.getBoolean(1), walStatus(rs.getString(2)), rs.getLong(3)),
                names.slot());
        metrics.slot(slot.isEmpty() ? new OutboxRelayMetrics.Slot(false, 3, 0) : slot.getFirst());
        jdbc.query(
                """
                SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
                  FROM outbox WHERE origin = ? OR origin IS NULL""",
                rs -> {
                    metrics.unpublished(rs.getLong(1), rs.getDouble(2));
                },
                names.service());
    }

    static int walStatus(String status) {
        return switch (status == null ? "lost" : status) {
            case "reserved" -> 0;
            case "extended" -> 1;
            case "unreserved" -> 2;
            default -> 3;
        };
    }
}
