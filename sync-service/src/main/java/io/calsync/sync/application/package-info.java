/**
 * The sync engine's use cases: one pass of one connection ({@link io.calsync.sync.application.SyncEngine}: adapter
 * pages into the store, cursor and status at the end, events-changed through the outbox), the write-back of local
 * changes ({@link io.calsync.sync.application.WriteBack}: the row is the truth, idempotent creates, the 412 policy)
 * and the push subscriptions ({@link io.calsync.sync.application.Subscriptions}). Kafka delivers the work
 * ({@code kafka}, in); the rows are kept by {@code persistence} (out); the providers are behind the ports of the
 * {@code providers} module (out).
 */
package io.calsync.sync.application;
