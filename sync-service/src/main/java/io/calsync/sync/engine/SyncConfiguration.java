package io.calsync.sync.engine;

import io.calsync.providers.port.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * The engine's parts that are not components of their own: the retry policy around provider calls and the batch
 * listener factory. Provider endpoints, tokens and adapters come from the providers auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncProperties.class)
class SyncConfiguration {

    /** The container factory of the sync listener: batches, so that one poll's notifications coalesce. */
    static final String BATCH_FACTORY = "syncBatchListenerFactory";

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
