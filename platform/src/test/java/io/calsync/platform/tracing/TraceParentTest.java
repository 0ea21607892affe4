package io.calsync.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The traceparent value: its W3C form, what is refused, and what Spring Boot's tracer yields inside and outside a span. */
class TraceParentTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_ID = "00f067aa0ba902b7";

    /** The tracing the services run with: Boot's auto-configuration of Micrometer Tracing over OpenTelemetry. */
    final ApplicationContextRunner tracing = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ObservationAutoConfiguration.class,
                    OpenTelemetrySdkAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class));

    @Test
    void formatsVersionZeroWithTheSampledFlag() {
        assertThat(TraceParent.of(TRACE_ID, SPAN_ID, true)).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        assertThat(TraceParent.of(TRACE_ID, SPAN_ID, false)).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-00");
    }

    @Test
    void refusesIdsThatAreNotW3cIds() {
        assertThat(TraceParent.of(null, SPAN_ID, true)).isNull();
        assertThat(TraceParent.of(TRACE_ID, null, true)).isNull();
        assertThat(TraceParent.of("0".repeat(32), SPAN_ID, true))
                .as("the invalid trace id")
                .isNull();
        assertThat(TraceParent.of(TRACE_ID, "0".repeat(16), true))
                .as("the invalid span id")
                .isNull();
        assertThat(TraceParent.of(TRACE_ID.substring(16), SPAN_ID, true))
                .as("a 64-bit id")
                .isNull();
        assertThat(TraceParent.of(TRACE_ID.toUpperCase(), SPAN_ID, true))
                .as("upper case")
                .isNull();
        assertThat(TraceParent.of(TRACE_ID, SPAN_ID + "-01", true))
                .as("an injected suffix")
                .isNull();
    }

    @Test
    void readsTheTraceIdBackAndNothingFromOtherValues() {
        assertThat(TraceParent.traceId("00-" + TRACE_ID + "-" + SPAN_ID + "-01"))
                .isEqualTo(TRACE_ID);
        assertThat(TraceParent.traceId("01-" + TRACE_ID + "-" + SPAN_ID + "-01"))
                .isNull();
        assertThat(TraceParent.traceId("garbage")).isNull();
        assertThat(TraceParent.traceId(null)).isNull();
    }

    @Test
    void isTheCurrentSpansContextInsideAnObservationAndNullOutsideOne() {
        tracing.run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            assertThat(TraceParent.current(tracer)).isNull();

            Observation observation = Observation.start("request", registry);
            try (Observation.Scope scope = observation.openScope()) {
                TraceContext span = tracer.currentTraceContext().context();
                assertThat(span).isNotNull();
                String value = TraceParent.of(tracer).get();
                assertThat(value).startsWith("00-" + span.traceId() + "-" + span.spanId() + "-");
                assertThat(TraceParent.traceId(value)).isEqualTo(span.traceId());
            } finally {
                observation.stop();
            }
            assertThat(TraceParent.current(tracer)).isNull();
        });
    }

    /** Nothing is exported, so sampling decides nothing here: an unsampled trace is carried on all the same. */
    @Test
    void anUnsampledTraceStillHasItsIdsAndIsCarriedOn() {
        tracing.withPropertyValues("management.tracing.sampling.probability=0").run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            Observation observation = Observation.start("request", context.getBean(ObservationRegistry.class));
            try (Observation.Scope scope = observation.openScope()) {
                TraceContext span = tracer.currentTraceContext().context();
                assertThat(span.sampled()).isFalse();
                assertThat(TraceParent.current(tracer))
                        .isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-00")
                        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
            } finally {
                observation.stop();
            }
        });
    }
}
