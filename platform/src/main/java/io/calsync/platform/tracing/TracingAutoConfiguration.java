package io.calsync.platform.tracing;

import io.prometheus.metrics.tracer.common.SpanContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What the services' tracing needs beyond Spring Boot's auto-configuration of Micrometer Tracing over OpenTelemetry.
 */
@AutoConfiguration(
        beforeName =
                "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration")
@ConditionalOnClass(SpanContext.class)
public class TracingAutoConfiguration {

    /**
     * No Prometheus exemplars, in place of Boot's. Nothing stores the traces, so an exemplar's trace id would lead
     * nowhere. And Boot's exemplar span context looks the tracer bean up lazily, on whichever thread first records a
     * timer: when that is a client's I/O thread answering a call the starting thread waits for (Lettuce's observed
     * PING in a bean's constructor, as the gateway's Redis check does), the I/O thread waits for the bean factory's
     * lock, the starting thread holds it while waiting for the answer, and the service never starts
     * (spring-framework#32996).
     */
    @Bean
    @ConditionalOnMissingBean
    SpanContext calsyncNoExemplars() {
        return NoExemplars.INSTANCE;
    }

    /** Never a current span to attach: no timer or counter ever carries an exemplar. */
    enum NoExemplars implements SpanContext {
        INSTANCE;

        @Override
        public String getCurrentTraceId() {
            return null;
        }

        @Override
        public String getCurrentSpanId() {
            return null;
        }

        @Override
        public boolean isCurrentSpanSampled() {
            return false;
        }

        @Override
        public void markCurrentSpanAsExemplar() {}
    }
}
