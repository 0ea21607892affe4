package io.calsync.platform.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.MessageCodec.MalformedMessageException;
import io.calsync.model.messaging.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka as every service uses it: the topics of {@link Topics} (with their dead-letter topics) created at start,
 * a readiness check of the broker, the {@link MessagePublisher}, and the one failure policy of all listeners:
 * a few retries with exponential backoff, then the record goes to {@code <topic>-dlt} on the same partition, so that
 * a poison message never blocks its partition. Malformed messages skip the retries.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
public class KafkaPlatformAutoConfiguration {

    /** Attempts after the first delivery before a record is dead-lettered. */
    static final int RETRIES = 4;

    @Bean
    KafkaAdmin.NewTopics calsyncTopics(@Value("${calsync.kafka.replication-factor:1}") int replicationFactor) {
        NewTopic[] topics = Topics.ALL.stream()
                .map(name -> TopicBuilder.name(name)
                        .partitions(Topics.PARTITIONS)
                        .replicas(replicationFactor)
                        .config(
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(
                                        name.endsWith(Topics.DLT_SUFFIX)
                                                ? Duration.ofDays(28).toMillis()
                                                : Duration.ofDays(7).toMillis()))
                        .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.min(2, replicationFactor)))
                        .build())
                .toArray(NewTopic[]::new);
        return new KafkaAdmin.NewTopics(topics);
    }

    @Bean(name = "kafkaHealthIndicator")
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin, Duration.ofSeconds(3));
    }

    @Bean
    @ConditionalOnMissingBean
    MessagePublisher messagePublisher(KafkaTemplate<String, CalendarMessage> template) {
        return new MessagePublisher(template);
    }

    /** A template for raw bytes: dead-lettered records are forwarded exactly as they arrived. */
    @Bean
    KafkaTemplate<String, byte[]> deadLetterKafkaTemplate(KafkaProperties properties) {
        Map<String, Object> config = new HashMap<>(properties.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }

    @Bean
    @ConditionalOnMissingBean
    CommonErrorHandler calsyncErrorHandler(KafkaTemplate<String, byte[]> deadLetterKafkaTemplate) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                deadLetterKafkaTemplate,
                (record, ex) -> new TopicPartition(Topics.dlt(record.topic()), record.partition()));
        ExponentialBackOff backOff = new ExponentialBackOff(200, 3.0);
        backOff.setMaxInterval(5_000);
        backOff.setMaxAttempts(RETRIES);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(MalformedMessageException.class, IllegalArgumentException.class);
        return handler;
    }
}
