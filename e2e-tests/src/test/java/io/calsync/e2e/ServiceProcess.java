package io.calsync.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service as operators run it: its executable jar in a JVM of its own, configured by environment variables and
 * arguments, reached over HTTP. Its output goes to {@code target/e2e-<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Process process;
    private final Map<String, String> env;
    private final List<String> args;

    private ServiceProcess(String name, int port, Process process, Map<String, String> env, List<String> args) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.env = env;
        this.args = args;
    }

    /** Starts {@code ../<module>/target/<module>-*-exec.jar} on a free loopback port. */
    static ServiceProcess start(String module, Map<String, String> env, List<String> args) {
        try {
            return start(module, env, args, freePort());
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + module, e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful drain, requests in flight cut off, as when a node dies. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The same service again, same port, environment and arguments (its log is appended to). */
    ServiceProcess again() {
        return start(name, env, args, port);
    }

    private static ServiceProcess start(String module, Map<String, String> env, List<String> args, int port) {
        try {
            Path target = Path.of("..", module, "target");
            Path jar;
            try (var files = Files.list(target)) {
                jar = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(module + " is not packaged: no -exec.jar"));
            }
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx384m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--server.address=127.0.0.1",
                    "--server.port=" + port));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            pb.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/e2e-" + module + ".log")));
            return new ServiceProcess(module, port, pb.start(), Map.copyOf(env), List.copyOf(args));
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + module, e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until readiness answers 200 (database and broker up), or fails with the log's tail. */
    ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logTail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(Path.of("target/e2e-" + name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
