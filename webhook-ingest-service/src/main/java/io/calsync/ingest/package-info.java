/**
 * webhook-ingest-service: the door through which Google and Microsoft push notifications enter calsync.
 *
 * <p>A notification is answered only once its fate is certain. Graph's validation handshake is echoed at once.
 * A notification is looked up in {@code webhook_subscriptions} (written by sync-service) and its secret compared
 * (Graph {@code clientState}, Google channel token); one that fails is acknowledged the way the provider expects,
 * so that it is not retried, then dropped and counted, never published. A verified one becomes a
 * {@link io.calsync.model.messaging.ProviderNotificationReceived} on {@code calendar.provider-notifications} (key: the
 * connection id), and the provider hears 202 (Graph) or 200 (Google) only after the broker acknowledged it with
 * {@code acks=all}; when the broker cannot take it within the deadline the answer is 503, so that the provider
 * retries. Duplicates that retries cause are harmless: sync-service is idempotent and coalesces a connection's
 * notifications into one incremental sync.
 *
 * <ul>
 *   <li>{@code web}: the HTTP routes, body limits, parsing, problem answers (in)
 *   <li>{@code application}: verification, the decision to publish or drop, metrics (the use case)
 *   <li>{@code persistence}: subscription lookups with a short read-through cache (out)
 *   <li>{@code kafka}: publishing with one deadline for a whole batch (out)
 * </ul>
 */
package io.calsync.ingest;
