package io.calsync.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that makes one replica of a service its relay: a session-level PostgreSQL advisory lock on
 * {@code hashtext(key)}, held on a connection of its own for as long as the engine runs. PostgreSQL drops the lock
 * with the session, so a replica that dies or loses its connection frees it without any lease to expire.
 *
 * <p>While the lock's connection answers, this replica is the leader; the relay checks it every second and stops
 * its engine when it does not. In the moment between a lost connection and that check, another replica may already
 * hold the lock; the replication slot still admits one reader at a time, so the two never read the WAL together.
 */
public final class LeaderLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);
    private static final int VALIDITY_TIMEOUT_SECONDS = 2;

    private final Connection connection;
    private final String key;

    private LeaderLock(Connection connection, String key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock if no other session holds it; empty otherwise, without waiting. */
    public static Optional<LeaderLock> tryAcquire(PostgresEndpoint endpoint, String key) throws SQLException {
        Connection connection = endpoint.connect("calsync-outbox-relay-lock:" + key);
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(new LeaderLock(connection, key));
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** Whether the lock's session is still alive (and so still holds the lock): one round trip. */
    public boolean isHeld() {
        try {
            return connection.isValid(VALIDITY_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Releases the lock; closing the session would as well, the explicit unlock just says so at once. */
    @Override
    public void close() {
        try {
            if (connection.isClosed()) {
                return;
            }
        } catch (SQLException e) {
            return;
        }
        try (connection;
                PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, key);
            ps.execute();
        } catch (SQLException e) {
            log.atDebug()
                    .setMessage("advisory unlock failed; the lock goes with the session")
                    .addKeyValue("lock", key)
                    .log();
        }
    }
}
