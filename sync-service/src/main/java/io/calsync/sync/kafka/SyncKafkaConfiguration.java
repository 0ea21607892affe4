package io.calsync.sync.kafka;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;

/** The sync listener's wiring. */
@Configuration(proxyBeanMethods = false)
class SyncKafkaConfiguration {

    /** The container factory of the sync listener: batches, so that one poll's notifications coalesce. */
    static final String BATCH_FACTORY = "syncBatchListenerFactory";

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
