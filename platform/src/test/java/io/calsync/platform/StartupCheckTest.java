package io.calsync.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.config.EnvironmentCheck.Variable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service started with a missing or invalid variable stops at once with exit status 78 and one line naming the
 * variable: checked on a real JVM, as an operator would see it.
 */
class StartupCheckTest {

    /** A service that needs all three variables. */
    @SpringBootApplication
    public static class CheckedService {
        public static void main(String[] args) {
            CalsyncApplication.run(
                    CheckedService.class,
                    "checked-service",
                    EnumSet.of(Variable.SECRET_KEY, Variable.ENCRYPTION_KEY, Variable.DATABASE_URL),
                    args);
        }
    }

    record Outcome(int exitCode, String stdout, String stderr) {}

    static Outcome launch(Map<String, String> env) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb =
                new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CheckedService.class.getName());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void missingVariablesStopTheServiceWithOneLineNamingThem() throws Exception {
        Outcome o = launch(Map.of());
        assertThat(o.exitCode()).isEqualTo(CalsyncApplication.EXIT_CONFIG);
        assertThat(o.stderr().strip().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("checked-service: cannot start: ")
                        .contains("SECRET_KEY is missing", "ENCRYPTION_KEY is missing", "DATABASE_URL is missing"));
        assertThat(o.stdout()).isEmpty();
    }

    @Test
    void invalidValuesAreNamedButNeverEchoed() throws Exception {
        Outcome o = launch(Map.of(
                "SECRET_KEY", "short-secret-value",
                "ENCRYPTION_KEY", "not-a-key-value",
                "DATABASE_URL", "postgresql://user:hunter2@/calsync"));
        assertThat(o.exitCode()).isEqualTo(CalsyncApplication.EXIT_CONFIG);
        assertThat(o.stderr().strip().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("SECRET_KEY is too short", "ENCRYPTION_KEY is invalid", "DATABASE_URL is invalid")
                        .doesNotContain("short-secret-value", "not-a-key-value", "hunter2")
                        .doesNotContain("Exception"));
    }

    @Test
    void theDevProfileStillNeedsASecretKey() throws Exception {
        Outcome o = launch(Map.of(
                "SPRING_PROFILES_ACTIVE", "dev",
                "DATABASE_URL", "postgresql://calsync@localhost:5432/calsync"));
        assertThat(o.exitCode()).isEqualTo(CalsyncApplication.EXIT_CONFIG);
        assertThat(o.stderr()).contains("SECRET_KEY is missing").doesNotContain("ENCRYPTION_KEY");
    }
}
