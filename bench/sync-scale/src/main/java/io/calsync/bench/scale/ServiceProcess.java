package io.calsync.bench.scale;

import io.calsync.bench.support.Log;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service as operators run it: its executable jar in a JVM of its own on a free loopback port, configured by
 * environment and arguments, its output in a log file. Every pid is appended to the run's pid file, so that the
 * driver script can stop what this JVM started even when this JVM itself is gone.
 */
final class ServiceProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    final Path log;
    private final Process process;
    private final long startedNanos;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.startedNanos = System.nanoTime();
    }

    /**
     * @param env added to this JVM's environment minus the variables in {@code unset}
     * @param pidFile where the pid is recorded (one {@code pid name} line per process)
     */
    static ServiceProcess start(
            String name,
            Path jar,
            List<String> jvmOptions,
            List<String> args,
            Map<String, String> env,
            List<String> unset,
            Path logDir,
            Path pidFile) {
        try {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString(), "--server.address=127.0.0.1", "--server.port=" + port));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> environment = pb.environment();
            unset.forEach(environment::remove);
            environment.putAll(env);
            Path log = logDir.resolve("bench-scale-" + name + ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            Files.writeString(
                    pidFile,
                    p.pid() + " " + name + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new ServiceProcess(name, port, log, p);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until readiness answers 200 (for the services: database and broker up); seconds since the start. */
    double awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new SyncScaleBench.BenchFailure(
                        name + " exited with " + process.exitValue() + "; last lines of " + log + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException ignored) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new SyncScaleBench.BenchFailure(
                name + " not ready after " + timeout.toSeconds() + " s; last lines of " + log + ":\n" + logTail());
    }

    /**
     * The sums of the named Prometheus series over all their labels; an empty map when the service does not answer.
     */
    Map<String, Double> metrics(List<String> names) {
        Map<String, Double> out = new HashMap<>();
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return out;
            }
            // Micrometer registers a counter on its first increment: one the service never touched reads 0.
            names.forEach(n -> out.put(n, 0.0));
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                for (String n : names) {
                    if (line.startsWith(n + "{") || line.startsWith(n + " ")) {
                        String value = line.substring(line.lastIndexOf(' ') + 1);
                        out.merge(n, Double.parseDouble(value), Double::sum);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the figure is reported as missing, never guessed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /**
     * SIGTERM, as an orchestrator stops a replica: the service stops gracefully (its consumers leave the group, the
     * relay closes). Waits up to {@code timeout}, then kills. Returns the seconds it took to exit.
     */
    double stop(Duration timeout) {
        long t0 = System.nanoTime();
        if (!process.isAlive()) {
            return 0;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Log.say(name + " did not stop within " + timeout.toSeconds() + " s after SIGTERM; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** For the shutdown hook: kill without waiting long. */
    void kill() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    Integer exitValue() {
        return process.isAlive() ? null : process.exitValue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
