package io.calsync.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.persistence.ProcessedMessageRepository;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Which beans the outbox brings, and that its properties are checked at start. */
class OutboxAutoConfigurationTest {

    /** Everything the relay needs but Kafka's settings; nothing here ever connects. */
    @Configuration(proxyBeanMethods = false)
    static class Database {
        @Bean
        DataSource dataSource() {
            return new DriverManagerDataSource("jdbc:postgresql://localhost:1/none");
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        ProcessedMessageRepository processedMessageRepository() {
            return Mockito.mock(ProcessedMessageRepository.class);
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ValidationAutoConfiguration.class, KafkaAutoConfiguration.class, OutboxAutoConfiguration.class))
            .withUserConfiguration(Database.class)
            .withPropertyValues(
                    "spring.application.name=gateway-service",
                    "calsync.outbox.relay.poll-interval=10ms",
                    "calsync.outbox.relay.lock-retry-interval=5s",
                    "calsync.outbox.relay.heartbeat-interval=10s",
                    "calsync.outbox.relay.reconcile-interval=15s",
                    "calsync.outbox.relay.reconcile-after=60s");

    @Test
    void aServiceThatTurnsTheRelayOffStillGetsTheWriter() {
        runner.withPropertyValues("calsync.outbox.relay.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(OutboxWriter.class);
            assertThat(context).doesNotHaveBean(OutboxRelay.class);
            assertThat(context).doesNotHaveBean(OutboxPublisher.class);
        });
    }

    @Test
    void invalidSettingsStopTheStartNamingTheProperty() {
        runner.withPropertyValues("calsync.outbox.relay.enabled=false", "calsync.outbox.relay.poll-interval=0ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("calsync.outbox.relay")
                        .hasMessageContaining("pollInterval"));
        runner.withPropertyValues("calsync.outbox.relay.enabled=false", "calsync.outbox.relay.slot-name=Not-Valid")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("slotName"));
    }
}
