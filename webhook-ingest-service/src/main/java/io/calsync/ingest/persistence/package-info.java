/**
 * Subscription lookups over {@code webhook_subscriptions} (common-model's entity; sync-service writes the rows, the
 * ingest only reads them), behind a short read-through cache so that a burst of notifications of one subscription
 * costs one query. Known subscriptions are kept longer than unknown ids: a Graph subscription is stored only after
 * Graph answered its creation, and its first notifications may arrive before that.
 */
package io.calsync.ingest.persistence;
