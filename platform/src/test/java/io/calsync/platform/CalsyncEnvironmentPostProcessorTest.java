package io.calsync.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class CalsyncEnvironmentPostProcessorTest {

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", values));
        new CalsyncEnvironmentPostProcessor().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void mapsTheMainAppsDatabaseUrlOntoTheDataSource() {
        var env = environment(Map.of("DATABASE_URL", "postgresql://cal:s%40cret@db:5433/calendar"));
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5433/calendar");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("cal");
        assertThat(env.getProperty("spring.datasource.password")).isEqualTo("s@cret");
    }

    @Test
    void mapsKafkaAndRedisAndDefaultsToLoopback() {
        assertThat(environment(Map.of()).getProperty("spring.kafka.bootstrap-servers"))
                .isEqualTo("localhost:9092");
        assertThat(environment(Map.of()).getProperty("spring.data.redis.url")).isEqualTo("redis://localhost:6379");
        var env = environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092", "REDIS_URL", "redis://r:6380"));
        assertThat(env.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("k1:9092,k2:9092");
        assertThat(env.getProperty("spring.data.redis.url")).isEqualTo("redis://r:6380");
    }

    @Test
    void addsTheSharedDefaultsBelowEverythingElse() {
        var env = environment(Map.of("spring.jpa.hibernate.ddl-auto", "none"));
        assertThat(env.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("none");
        assertThat(environment(Map.of()).getProperty("spring.jpa.hibernate.ddl-auto"))
                .isEqualTo("validate");
        assertThat(environment(Map.of()).getProperty("spring.kafka.producer.acks"))
                .isEqualTo("all");
        assertThat(environment(Map.of()).getProperty("management.endpoint.health.group.readiness.include"))
                .contains("db", "kafka");
    }

    @Test
    void aTestsOwnDataSourceWinsOverDatabaseUrl() {
        var env = environment(Map.of(
                "DATABASE_URL", "postgresql://cal@db/calendar", "spring.datasource.url", "jdbc:postgresql://test/db"));
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://test/db");
    }
}
