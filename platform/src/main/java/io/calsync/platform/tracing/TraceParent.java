package io.calsync.platform.tracing;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The W3C Trace Context {@code traceparent} of a span: {@code 00-<trace id>-<span id>-<flags>}, the header through
 * which a receiver continues the sender's trace.
 *
 * <p>Formatted here rather than through the configured propagator, because the outbox stores exactly this one value
 * in its own column: Spring Boot's consumers read W3C whatever they are configured to produce, and the value is the
 * same whether or not the trace is sampled (only the flags differ), so log correlation never depends on sampling.
 */
public final class TraceParent {

    /** The Kafka (and HTTP) header name. */
    public static final String HEADER = "traceparent";

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern VALUE = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);

    private TraceParent() {}

    /** The traceparent of the tracer's current span, or null outside any span (or with a no-op tracer). */
    public static String current(Tracer tracer) {
        TraceContext context = tracer.currentTraceContext().context();
        return context == null ? null : of(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }

    /** {@link #current(Tracer)} as a supplier: what {@link io.calsync.platform.outbox.OutboxWriter} calls per row. */
    public static Supplier<String> of(Tracer tracer) {
        return () -> current(tracer);
    }

    /**
     * @return the traceparent, or null when the ids are not valid W3C ids (absent, all zeros, of another length); a
     *     row or record without one simply starts a new trace at its consumer
     */
    public static String of(String traceId, String spanId, boolean sampled) {
        if (traceId == null
                || spanId == null
                || !TRACE_ID.matcher(traceId).matches()
                || !SPAN_ID.matcher(spanId).matches()
                || INVALID_TRACE_ID.equals(traceId)
                || INVALID_SPAN_ID.equals(spanId)) {
            return null;
        }
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /** The trace id of a version-00 traceparent value, or null when the value is not one. */
    public static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        Matcher m = VALUE.matcher(traceparent);
        return m.matches() ? m.group(1) : null;
    }
}
