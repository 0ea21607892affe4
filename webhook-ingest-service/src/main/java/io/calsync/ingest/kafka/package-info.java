/**
 * Publishing verified notifications with the platform's {@link io.calsync.platform.kafka.MessagePublisher}
 * (idempotent producer, {@code acks=all}, key = connection id). A request's messages are all sent first and then
 * awaited under one deadline, so a batch of n notifications costs one broker round trip, not n. The producer's own
 * timeouts ({@code max.block.ms}, {@code request.timeout.ms}, {@code delivery.timeout.ms}, set in the service's
 * {@code application.yml}) are shorter than the deadline, so that a dead broker fails a send instead of holding it.
 */
package io.calsync.ingest.kafka;
