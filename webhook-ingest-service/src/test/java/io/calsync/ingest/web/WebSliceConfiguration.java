package io.calsync.ingest.web;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.InMemorySubscriptions;
import io.calsync.ingest.application.RecordingSink;
import io.calsync.ingest.application.WebhookIngest;
import io.calsync.ingest.application.WebhookMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The web layer and the real use case, with in-memory stand-ins for the two ports (subscriptions, broker). The
 * PostgreSQL and Kafka adapters run against real servers in the ITs.
 *
 * <p>Deliberately not a {@code @Configuration}: the ITs start the real application, whose component scan covers
 * {@code io.calsync.ingest} on the test classpath too, and must not find these stand-ins there.
 */
@EnableConfigurationProperties(IngestProperties.class)
@Import({
    MicrosoftWebhookController.class,
    GoogleWebhookController.class,
    WebhookExceptionHandler.class,
    WebhookIngest.class,
    WebhookMetrics.class
})
class WebSliceConfiguration {

    @Bean
    InMemorySubscriptions subscriptions() {
        return new InMemorySubscriptions();
    }

    @Bean
    RecordingSink sink() {
        return new RecordingSink();
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
