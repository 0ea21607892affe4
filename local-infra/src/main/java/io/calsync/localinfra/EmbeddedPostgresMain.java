package io.calsync.localinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * <p>The binaries are unpacked once into a cache ({@code CALSYNC_PG_BINARIES}, default {@code
 * <java.io.tmpdir>/embedded-pg}); the remains of an unpack that died half way are removed first ({@link
 * PostgresBinaryCache}). When the server cannot be started, the launcher says why in one line starting with {@code
 * postgres: cannot start:} and exits with status 1.
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
        EmbeddedPostgres pg = null;
        int port;
        Path dataDir;
        boolean fresh;
        try {
            port = Integer.parseInt(args[0]);
            dataDir = Path.of(args[1]).toAbsolutePath();
            Files.createDirectories(dataDir);
            fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
            pg = start(port, dataDir, binariesDirectory());
            createDatabase(pg);
        } catch (Throwable e) { // OutOfMemoryError included: the one line must still be printed
            System.out.println("postgres: cannot start: " + reason(e));
            System.out.flush();
            if (pg != null) {
                try {
                    pg.close(); // never leave a server behind that nobody will stop
                } catch (IOException | RuntimeException ignored) {
                    // the line above already says what went wrong
                }
            }
            Runtime.getRuntime().halt(1);
            return;
        }
        System.out.println(
                "postgres: listening on 127.0.0.1:" + port + " (data " + dataDir + (fresh ? ", new" : "") + ")");
        awaitStop(pg);
    }

    static Path binariesDirectory() {
        String configured = System.getenv("CALSYNC_PG_BINARIES");
        return configured == null || configured.isBlank()
                ? PostgresBinaryCache.defaultDirectory()
                : Path.of(configured).toAbsolutePath();
    }

    private static EmbeddedPostgres start(int port, Path dataDir, Path binaries) throws IOException {
        Files.createDirectories(binaries);
        for (Path removed : PostgresBinaryCache.repair(binaries)) {
            System.out.println("postgres: removed the partly unpacked binaries " + removed + "; unpacking again");
        }
        if (portInUse(port)) {
            throw new IllegalStateException("port " + port + " is in use by another program");
        }
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.toFile())
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
    }

    private static boolean portInUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One line: what failed, with the innermost cause, never a stack trace. */
    static String reason(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); the launcher needs about 100 MB of heap to unpack the"
                    + " binaries (-Xmx in deploy/local/infra.sh)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == e
                ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage() + " (cause: "
                        + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        return text.replaceAll("\\s+", " ").strip();
    }

    private static void awaitStop(EmbeddedPostgres pg) throws InterruptedException {
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
