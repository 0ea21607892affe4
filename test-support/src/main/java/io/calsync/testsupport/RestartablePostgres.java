package io.calsync.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL 15 server of one test's own that it can stop and start again on the same port and data directory,
 * which the shared server of {@link TestInfrastructure} cannot do: a stop is a clean shutdown ({@code pg_ctl stop},
 * fast mode: every client connection is cut), a start finds the committed data where it was. Same binaries and
 * base settings as the shared server ({@link TestInfrastructure#postgresBuilder()}).
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a new server with an empty database {@code calsync}. */
    public static RestartablePostgres start() {
        try {
            RestartablePostgres pg =
                    new RestartablePostgres(Files.createTempDirectory("calsync-restartable-pg"), freePort());
            pg.restart();
            try (Connection c = pg.server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE calsync");
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestInfrastructure.Database database() {
        return new TestInfrastructure.Database(
                "jdbc:postgresql://127.0.0.1:" + port + "/calsync", "postgres", "postgres");
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** A clean shutdown: connections are cut, the port closes. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** The server again, on the same port and data directory. */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        try {
            server = TestInfrastructure.postgresBuilder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the restartable PostgreSQL did not start", e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
