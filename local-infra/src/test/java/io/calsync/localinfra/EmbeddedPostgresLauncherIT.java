package io.calsync.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as {@code deploy/local/infra.sh} starts it, in a process of its own, with an empty binaries cache: the
 * first start of a fresh machine. A start that dies while unpacking (here: too little heap, as {@code -Xmx64m} once
 * did) says why in one line and leaves a half cache; the next start repairs it and serves, and a restart keeps data.
 */
class EmbeddedPostgresLauncherIT {

    @TempDir
    Path work;

    @Test
    void aStartThatDiedUnpackingIsRepairedByTheNextAndDataSurvivesARestart() throws Exception {
        Path binaries = work.resolve("binaries");
        Path data = work.resolve("pgdata");
        int port = freePort();

        Launch starved = launch("-Xmx40m", binaries, data, port);
        assertThat(starved.exitCode).as(starved.output).isEqualTo(1);
        assertThat(starved.lines("postgres: cannot start:"))
                .as(starved.output)
                .singleElement()
                .asString()
                .contains("out of memory");
        assertThat(halfUnpacked(binaries))
                .as("the starved start leaves a half cache")
                .isNotEmpty();

        Launch first = launch("-Xmx192m", binaries, data, port);
        try {
            assertThat(first.lines("postgres: removed the partly unpacked binaries"))
                    .as(first.output)
                    .hasSize(1);
            assertThat(first.lines("postgres: listening"))
                    .singleElement()
                    .asString()
                    .endsWith(", new)");
            sql(port, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        } finally {
            first.stop();
        }
        assertThat(halfUnpacked(binaries)).isEmpty();

        Launch again = launch("-Xmx192m", binaries, data, port);
        try {
            assertThat(again.lines("postgres: listening"))
                    .singleElement()
                    .asString()
                    .doesNotContain("new");
            assertThat(again.lines("postgres: removed")).isEmpty();
            assertThat(sql(port, "SELECT v FROM kept")).isEqualTo("still here");
        } finally {
            again.stop();
        }
    }

    @Test
    void aPortInUseIsSaidInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Launch l = launch("-Xmx192m", work.resolve("binaries"), work.resolve("pgdata"), taken.getLocalPort());
            assertThat(l.exitCode).isEqualTo(1);
            assertThat(l.lines("postgres: cannot start:"))
                    .singleElement()
                    .asString()
                    .contains("port " + taken.getLocalPort() + " is in use");
        }
    }

    private static List<Path> halfUnpacked(Path binaries) throws IOException {
        if (!Files.isDirectory(binaries)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(binaries)) {
            return s.filter(p -> p.getFileName().toString().startsWith("PG-"))
                    .filter(p -> !Files.exists(p.resolve(".exists")))
                    .toList();
        }
    }

    private static String sql(int port, String statements) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/calsync", "postgres", "postgres");
                Statement s = c.createStatement()) {
            if (statements.startsWith("SELECT")) {
                try (ResultSet rs = s.executeQuery(statements)) {
                    rs.next();
                    return rs.getString(1);
                }
            }
            s.execute(statements);
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the launcher and returns once it said it listens, or once it exited. */
    private Launch launch(String heap, Path binaries, Path data, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        heap,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EmbeddedPostgresMain.class.getName(),
                        Integer.toString(port),
                        data.toString())
                .redirectErrorStream(true);
        pb.environment().put("CALSYNC_PG_BINARIES", binaries.toString());
        Process p = pb.start();
        Launch l = new Launch(p);
        var reader = p.inputReader(StandardCharsets.UTF_8);
        String line;
        while ((line = reader.readLine()) != null) {
            l.append(line);
            if (line.startsWith("postgres: listening")) {
                Thread.ofVirtual().start(() -> reader.lines().forEach(l::append));
                return l;
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        l.exitCode = p.exitValue();
        return l;
    }

    private static final class Launch {
        final Process process;
        final List<String> all = new ArrayList<>();
        String output = "";
        Integer exitCode;

        Launch(Process process) {
            this.process = process;
        }

        synchronized void append(String line) {
            all.add(line);
            output += line + "\n";
        }

        synchronized List<String> lines(String prefix) {
            return all.stream().filter(s -> s.startsWith(prefix)).toList();
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the launcher stops the server cleanly
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
