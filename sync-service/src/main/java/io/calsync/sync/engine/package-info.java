/**
 * The sync engine: one pass of one connection ({@link io.calsync.sync.engine.SyncEngine}: adapter pages into the
 * store, cursor and status at the end, events-changed through the outbox), the store of provider events
 * ({@link io.calsync.sync.engine.EventStore}: one-statement page upserts, newest version wins, series links,
 * removals, sweeps), the write-back of local changes ({@link io.calsync.sync.engine.WriteBack}: the row is the
 * truth, idempotent creates, the 412 policy), and the connection state ({@link io.calsync.sync.engine.Connections}).
 * Kafka delivers the work ({@code kafka}); the providers are behind the port in {@code provider}.
 */
package io.calsync.sync.engine;
