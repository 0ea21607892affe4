package io.calsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, run as written: its first command ({@code ./run --sandbox}, here with {@code --no-build}
 * because the reactor has just built the jars) in a run folder of its own, the "try it" line that {@code ./run}
 * prints, then every other {@code sh} block of the tour as one bash script from the repository root. A tour that no
 * longer works as written fails here.
 */
class ReadmeTourIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int[] PORTS = {8080, 8081, 8082, 8083, 8084, 8090};

    @Test
    void theReadmeTourWorksAsWritten() throws Exception {
        List<String> blocks = tourBlocks(Files.readString(ROOT.resolve("README.md")));
        assertThat(blocks).as("the tour's sh blocks").hasSizeGreaterThan(3);
        assertThat(blocks.getFirst().strip()).isEqualTo("./run --sandbox");
        requireFreePorts();

        // A fresh run folder, as a newcomer's clone has: the tour's first answer is an empty calendar list.
        Path runDir = Path.of("target", "tour-run").toAbsolutePath();
        if (Files.exists(runDir)) {
            try (var walk = Files.walk(runDir)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        Path runLog = Path.of("target", "tour-run.log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", "./run", "--no-build", "--sandbox")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runLog.toFile());
        pb.environment().put("CALSYNC_RUN_DIR", runDir.toString());
        Process run = pb.start();
        try {
            String up = awaitLine(run, runLog, "calsync is up", Duration.ofSeconds(180));
            assertThat(up).contains("calsync is up");
            String log = Files.readString(runLog);
            Matcher tryIt = Pattern.compile("(?m)^  try it +(.+)$").matcher(log);
            assertThat(tryIt.find()).as("./run prints a try-it line:\n%s", log).isTrue();
            Result calendars = bash(tryIt.group(1), Duration.ofSeconds(30));
            assertThat(calendars.exitCode).as(calendars.output).isZero();
            assertThat(calendars.output).contains("{\"calendars\":[");

            String script = "set -euo pipefail\n" + String.join("\n", blocks.subList(1, blocks.size()));
            Result tour = bash(script, Duration.ofSeconds(240));
            assertThat(tour.exitCode).as("the tour failed:\n%s", tour.output).isZero();
            assertThat(tour.output)
                    .as("the tour's answers")
                    .contains("{\"calendars\":[]}")
                    .contains("demo@gmail.sandbox.test")
                    .contains("1:1 with Alex")
                    .contains("Stand-up (moved)")
                    .contains("\"summary\": \"Tour coffee\"");
        } finally {
            run.destroy(); // SIGTERM: ./run stops everything it started
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("./run stopped").isTrue();
        }
        for (int port : PORTS) {
            assertThat(open(port)).as("port %d closed after the stop", port).isFalse();
        }
    }

    @Test
    void aTokenIsRefusedUnlessTheKeyIsTheDevelopmentOne() throws Exception {
        Result refused = bash("SECRET_KEY=the-main-apps-real-key-0123456789abcdef ./run token", Duration.ofSeconds(20));
        assertThat(refused.exitCode).isEqualTo(78);
        assertThat(refused.output).contains("refused").doesNotContain("eyJ");
        Result prod = bash("SPRING_PROFILES_ACTIVE=prod ./run token", Duration.ofSeconds(20));
        assertThat(prod.exitCode).isEqualTo(78);
        Result token = bash("./run token ada@example.com", Duration.ofSeconds(20));
        assertThat(token.exitCode).as(token.output).isZero();
        String[] parts = token.output.strip().split("\\.");
        assertThat(parts).hasSize(3);
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        var json = RunningSystem.JSON.readTree(claims);
        assertThat(json.get("email").asString()).isEqualTo("ada@example.com");
        assertThat(json.get("sub").asString()).isEqualTo("ada@example.com");
        assertThat(json.get("jti").asString()).isNotBlank();
        long exp = json.get("exp").asLong();
        long iat = json.get("iat").asLong();
        assertThat(exp - iat).isEqualTo(3600);
        assertThat(Math.abs(iat - Instant.now().getEpochSecond())).isLessThan(60);
        // Verified by the code that checks the main app's tokens, with the key ./run gives the services.
        var verified = new io.calsync.model.security.JwtVerifier(
                        "calsync-dev-only-secret-key-0123456789abcdef", jti -> false)
                .verify(token.output.strip());
        assertThat(verified.email()).isEqualTo("ada@example.com");
    }

    /** The {@code sh} blocks of the README's "A tour" section, in order. */
    static List<String> tourBlocks(String readme) {
        int start = readme.indexOf("\n## A tour");
        assertThat(start).as("the README has a tour").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    record Result(int exitCode, String output) {}

    static Result bash(String script, Duration limit) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tour", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().keySet().removeAll(List.of("SECRET_KEY", "SPRING_PROFILES_ACTIVE"));
            Process p = pb.start();
            if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, Files.readString(out) + "\n(timed out after " + limit + ")");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String awaitLine(Process run, Path log, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return text;
            }
            if (!run.isAlive()) {
                throw new AssertionError("./run exited early:\n" + content);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("./run not up within " + limit + ":\n" + Files.readString(log));
    }

    /** The tour uses ./run's fixed ports. In CI they must be free; on a developer's machine a running ./run skips. */
    private static void requireFreePorts() {
        List<Integer> taken = new ArrayList<>();
        for (int port : PORTS) {
            if (open(port)) {
                taken.add(port);
            }
        }
        String reason = "ports " + taken + " are in use (a ./run already running?): the tour needs ./run's ports";
        if (Boolean.parseBoolean(Map.copyOf(System.getenv()).getOrDefault("CI", "false"))) {
            assertThat(taken).as(reason).isEmpty();
        }
        Assumptions.assumeTrue(taken.isEmpty(), reason);
    }

    private static boolean open(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
