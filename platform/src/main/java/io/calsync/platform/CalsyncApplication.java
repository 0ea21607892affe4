package io.calsync.platform;

import io.calsync.model.config.EnvironmentCheck;
import io.calsync.model.config.EnvironmentCheck.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How every calsync service starts: the environment is checked first, and a missing or invalid variable stops the
 * service with one line on stderr naming it (exit status 78, EX_CONFIG), before Spring prints anything.
 */
public final class CalsyncApplication {

    /** EX_CONFIG of sysexits.h: the configuration is wrong, restarting will not help. */
    public static final int EXIT_CONFIG = 78;

    private CalsyncApplication() {}

    public static ConfigurableApplicationContext run(
            Class<?> application, String serviceName, Set<Variable> required, String[] args) {
        List<String> problems = EnvironmentCheck.problems(System.getenv(), required, isDevProfile(System.getenv()));
        if (!problems.isEmpty()) {
            System.err.println(serviceName + ": cannot start: " + String.join("; ", problems));
            System.exit(EXIT_CONFIG);
        }
        SpringApplication app = new SpringApplication(application);
        return app.run(args);
    }

    static boolean isDevProfile(Map<String, String> env) {
        String profiles = env.getOrDefault("SPRING_PROFILES_ACTIVE", System.getProperty("spring.profiles.active", ""));
        return Arrays.stream(profiles.split(",")).map(String::trim).anyMatch("dev"::equals);
    }
}
