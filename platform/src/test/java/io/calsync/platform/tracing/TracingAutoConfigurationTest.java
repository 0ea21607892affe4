package io.calsync.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Tracing beside Prometheus: no exemplars, and so no tracer looked up lazily from a client's thread while a context
 * starts (which hung the gateway's start: its Redis check waits for Lettuce's I/O thread, which recorded a timer).
 */
class TracingAutoConfigurationTest {

    /** Metrics, Prometheus and tracing as every service has them, and Boot's exemplars, which back off for ours. */
    final ApplicationContextRunner services = new ApplicationContextRunner()
            .withPropertyValues("management.tracing.sampling.probability=1.0")
            .withConfiguration(AutoConfigurations.of(
                    MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class,
                    PrometheusMetricsExportAutoConfiguration.class,
                    ObservationAutoConfiguration.class,
                    OpenTelemetrySdkAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class,
                    PrometheusExemplarsAutoConfiguration.class,
                    TracingAutoConfiguration.class));

    @Test
    void theExemplarSpanContextIsOursAndNeverOffersASpanEvenInsideASampledOne() {
        services.run(context -> {
            SpanContext spans = context.getBean(SpanContext.class);
            assertThat(spans).isSameAs(TracingAutoConfiguration.NoExemplars.INSTANCE);
            Observation observation = Observation.start("request", context.getBean(ObservationRegistry.class));
            try (Observation.Scope scope = observation.openScope()) {
                assertThat(context.getBean(Tracer.class).currentSpan().context().sampled())
                        .isTrue();
                assertThat(spans.isCurrentSpanSampled()).isFalse();
                assertThat(spans.getCurrentTraceId()).isNull();
            } finally {
                observation.stop();
            }
        });
    }
}
