package io.calsync.platform;

import io.calsync.model.config.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Maps the contract's variable names (kept from the old system) onto Spring's properties, and adds the defaults all
 * services share ({@code calsync-defaults.properties}) below everything else. {@code DATABASE_URL} may be the main
 * app's {@code postgresql://user:pass@host/db}; {@code KAFKA_BOOTSTRAP_SERVERS} and {@code REDIS_URL} default to
 * loopback. A test's own properties (or {@code spring.*} variables) still win, since both sources come last.
 */
public class CalsyncEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String MAPPED_SOURCE = "calsyncEnvironment";
    static final String DEFAULTS_SOURCE = "calsyncDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> mapped = new LinkedHashMap<>();
        String databaseUrl = environment.getProperty("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            try {
                DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
                mapped.put("spring.datasource.url", url.jdbcUrl());
                if (url.username() != null) {
                    mapped.put("spring.datasource.username", url.username());
                }
                if (url.password() != null) {
                    mapped.put("spring.datasource.password", url.password());
                }
            } catch (IllegalArgumentException e) {
                // CalsyncApplication refuses to start with an invalid DATABASE_URL; tests may not set it at all.
            }
        }
        mapped.put(
                "spring.kafka.bootstrap-servers", environment.getProperty("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
        mapped.put("spring.data.redis.url", environment.getProperty("REDIS_URL", "redis://localhost:6379"));
        environment.getPropertySources().addLast(new MapPropertySource(MAPPED_SOURCE, mapped));
        environment.getPropertySources().addLast(new PropertiesPropertySource(DEFAULTS_SOURCE, loadDefaults()));
    }

    private static Properties loadDefaults() {
        try {
            return PropertiesLoaderUtils.loadProperties(new ClassPathResource("calsync-defaults.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException("calsync-defaults.properties is missing from the platform jar", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
