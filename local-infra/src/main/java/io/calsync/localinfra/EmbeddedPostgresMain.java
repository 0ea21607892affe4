package io.calsync.localinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL 15 server for {@code ./run} on machines without one: zonky's binaries from Maven Central, a data
 * directory that survives restarts, {@code wal_level=logical} for the outbox relay, and a database {@code calsync}.
 * Runs until the process gets SIGTERM or SIGINT, then stops the server cleanly.
 *
 * <p>Usage: {@code EmbeddedPostgresMain <port> <data-dir>}
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedPostgresMain <port> <data-dir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dataDir);
        boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        createDatabase(pg);
        System.out.println(
                "postgres: listening on 127.0.0.1:" + port + " (data " + dataDir + (fresh ? ", new" : "") + ")");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.out.println("postgres: stopped");
            } catch (IOException e) {
                System.err.println("postgres: stop failed: " + e.getMessage());
            } finally {
                stop.countDown();
            }
        }));
        stop.await();
    }

    private static void createDatabase(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'calsync'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE calsync");
            }
        }
    }
}
