package io.calsync.platform.outbox;

import io.calsync.model.persistence.ProcessedMessageRepository;
import io.calsync.platform.persistence.PersistenceAutoConfiguration;
import io.calsync.platform.tracing.TraceParent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox: the {@link OutboxWriter} wherever there is a database, and the {@link OutboxRelay}
 * where there is also Kafka, unless {@code calsync.outbox.relay.enabled=false} (services that never write to the
 * outbox should say so, so that they hold no replication slot).
 */
@AutoConfiguration(
        after = {
            DataSourceAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class,
            DataJpaRepositoriesAutoConfiguration.class,
            PersistenceAutoConfiguration.class,
            KafkaAutoConfiguration.class
        })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBean(JdbcTemplate.class)
@EnableConfigurationProperties(OutboxRelayProperties.class)
public class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(
            JdbcTemplate jdbc, @Value("${spring.application.name:}") String service, ObjectProvider<Tracer> tracer) {
        // Looked up when the writer is created, not as a condition: the tracing auto-configuration may come later.
        Tracer current = tracer.getIfAvailable();
        return new OutboxWriter(
                jdbc, service.isBlank() ? null : service, current == null ? () -> null : TraceParent.of(current));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DebeziumEngine.class)
    @ConditionalOnBean({DataSource.class, KafkaProperties.class, ProcessedMessageRepository.class})
    @ConditionalOnProperty(
            prefix = "calsync.outbox.relay",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    static class RelayConfiguration {

        @Bean
        RelayNames outboxRelayNames(
                @Value("${spring.application.name:}") String service, OutboxRelayProperties properties) {
            return RelayNames.of(service, properties.slotName());
        }

        @Bean
        OutboxRelayMetrics outboxRelayMetrics(ObjectProvider<MeterRegistry> registry, RelayNames names) {
            return new OutboxRelayMetrics(registry.getIfAvailable(SimpleMeterRegistry::new), names.service());
        }

        @Bean(destroyMethod = "close")
        OutboxPublisher outboxPublisher(KafkaProperties kafka, RelayNames names) {
            Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, names.engine());
            // What the relay's guarantees rest on, whatever the service configured for its other producers.
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            // A send to a topic that does not exist fails after this long and the engine restarts, rather than
            // blocking the relay for the client's default minute.
            config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            return new OutboxPublisher(new KafkaProducer<>(config));
        }

        @Bean
        PublishedLedger outboxPublishedLedger(
                RelayNames names,
                ProcessedMessageRepository processed,
                JdbcTemplate jdbc,
                PlatformTransactionManager transactionManager) {
            return new PublishedLedger(names.consumer(), processed, jdbc, new TransactionTemplate(transactionManager));
        }

        @Bean
        OutboxRelay outboxRelay(
                RelayNames names,
                DataSourceProperties dataSource,
                OutboxRelayProperties properties,
                OutboxPublisher publisher,
                PublishedLedger ledger,
                OutboxRelayMetrics metrics,
                JdbcTemplate jdbc) {
            PostgresEndpoint endpoint = PostgresEndpoint.of(
                    dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword());
            OutboxBatchHandler handler =
                    new OutboxBatchHandler(names.service(), publisher, ledger, metrics, Clock.systemUTC());
            return new OutboxRelay(
                    names,
                    endpoint,
                    properties,
                    handler,
                    metrics,
                    new SlotMonitor(jdbc, names, metrics),
                    new OutboxReconciler(
                            names.service(), jdbc, publisher, ledger, metrics, properties.reconcileAfter()));
        }
    }
}
