package io.calsync.sync.engine;

import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.oauth.AccessTokens;
import io.calsync.platform.oauth.ProviderEndpoints;
import io.calsync.platform.oauth.ProviderTokenClient;
import io.calsync.sync.provider.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;

/** The engine's parts that are not components of their own: provider endpoints and tokens, the retry policy. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncProperties.class)
class SyncConfiguration {

    /** The container factory of the sync listener: batches, so that one poll's notifications coalesce. */
    static final String BATCH_FACTORY = "syncBatchListenerFactory";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ProviderEndpoints providerEndpoints(Environment env) {
        return ProviderEndpoints.from(env::getProperty);
    }

    @Bean
    ProviderTokenClient providerTokenClient(ProviderEndpoints endpoints, Clock clock) {
        return new ProviderTokenClient(endpoints, clock);
    }

    @Bean
    AccessTokens accessTokens(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            TokenCipher cipher,
            ProviderTokenClient client,
            AuditLogEntryRepository audit,
            Clock clock) {
        return new AccessTokens(jdbc, transactions, cipher, client, audit, clock);
    }

    @Bean
    ProviderCalls providerCalls(MeterRegistry meters, SyncProperties properties) {
        return new ProviderCalls(
                meters,
                properties.providerMaxAttempts(),
                properties.providerBaseDelay(),
                properties.providerMaxDelay(),
                d -> Thread.sleep(d.toMillis()));
    }

    @Bean(BATCH_FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> syncBatchListenerFactory(
            ConsumerFactory<Object, Object> consumers, CommonErrorHandler errors) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setBatchListener(true);
        factory.setCommonErrorHandler(errors);
        // Kept for the day this becomes a record listener: Spring Kafka observes no batch listener's invocation (with
        // recordObservationsInBatch only an empty span per record, ended before the batch runs), so the listener
        // opens an observation per connection's work itself, continuing its first record's trace.
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }
}
