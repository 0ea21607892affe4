/**
 * Trace ids across services. Micrometer Tracing over the OpenTelemetry SDK (Spring Boot's auto-configuration, no
 * exporter) gives every HTTP request and every observed Kafka send and receive a span, whose {@code traceId} and
 * {@code spanId} Boot puts in the MDC, so they are fields of each JSON log line written inside it, sampled or not.
 * HTTP clients built from Boot's builders ({@code RestClient.Builder}) and the {@code KafkaTemplate} pass the trace on
 * as a W3C {@code traceparent} header; a bare JDK {@code HttpClient} does not.
 *
 * <p>The transactional outbox has no template: {@link io.calsync.platform.tracing.TraceParent} captures the writer's
 * trace as a {@code traceparent} value stored with the outbox row, and the relay sends it as the record's header, so
 * that the consumer continues the trace of the request that wrote the row, not one of its own.
 *
 * <p>{@link io.calsync.platform.tracing.TracingAutoConfiguration} turns Prometheus exemplars off: no trace is stored
 * for them to point at, and Boot's lazy exemplar lookup of the tracer can hang a service's start.
 */
package io.calsync.platform.tracing;
