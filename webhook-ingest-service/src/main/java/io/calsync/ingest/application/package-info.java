/**
 * The use case of the ingest: verify each notification against its subscription, then publish the verified ones and
 * drop (and count) the rest. It speaks to the outside through two ports, {@link
 * io.calsync.ingest.application.SubscriptionLookup} (implemented over PostgreSQL in {@code persistence}) and {@link
 * io.calsync.ingest.application.NotificationSink} (Kafka, in {@code kafka}); it knows neither HTTP nor JSON.
 *
 * <p>Why a failed check is acknowledged rather than refused: both providers retry anything but a success, so a 4xx
 * for a stale or forged notification would only bring it back. Why a broker or database failure is 503 instead: then
 * the notification was not judged, and the provider's retry is what makes it arrive.
 */
package io.calsync.ingest.application;
