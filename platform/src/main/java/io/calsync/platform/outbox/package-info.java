/**
 * The transactional outbox: how a service changes the database and tells other services in one transaction.
 *
 * <p>{@link io.calsync.platform.outbox.OutboxWriter} inserts the message into {@code outbox} in the caller's
 * transaction; the row stays until Kafka acknowledged it. {@link io.calsync.platform.outbox.OutboxRelay} runs Debezium embedded (postgres
 * connector, {@code pgoutput}), which reads those inserts from the WAL through the service's own replication slot and
 * publication ({@code calsync_<service>}), and {@link io.calsync.platform.outbox.OutboxBatchHandler} publishes each
 * to the topic named by the row, with its key and the type and event-id headers.
 *
 * <ul>
 *   <li><b>Nothing lost.</b> The slot is created before the first write and holds the WAL until the relay confirms
 *       it; a record counts as done only once Kafka acknowledged it; Debezium's offsets are flushed after every batch
 *       to {@code outbox_relay_offsets} ({@link io.calsync.platform.outbox.JdbcOffsetBackingStore}); a failed send
 *       stops the engine before it, and the engine is restarted with a backoff.
 *   <li><b>Nothing lost with the slot either.</b> A row leaves the table only when Kafka acknowledged it; rows older
 *       than {@code reconcile-after} (the slot was dropped and recreated further on, the database failed over) are
 *       republished from the table by {@link io.calsync.platform.outbox.OutboxReconciler}.
 *       {@link io.calsync.platform.outbox.SlotMonitor} puts the slot's state and the unconfirmed rows on gauges.
 *   <li><b>Nothing twice, in practice.</b> Published ids are recorded in {@code processed_messages}
 *       ({@link io.calsync.platform.outbox.PublishedLedger}) and skipped when Debezium re-delivers them after a
 *       restart. A crash between Kafka's acknowledgement and that record publishes one message again; consumers
 *       de-duplicate on the event id.
 *   <li><b>One relay per service.</b> Replicas compete for a PostgreSQL advisory lock
 *       ({@link io.calsync.platform.outbox.LeaderLock}); the holder runs the engine, the others retry.
 *   <li><b>Only its own rows.</b> All services share the outbox table; each relay publishes the rows whose
 *       {@code origin} is its service (and rows without one).
 *   <li><b>No WAL held for nothing.</b> A logical decoding message every {@code heartbeat-interval} lets the slot
 *       confirm its position while the outbox is quiet and other tables are busy.
 * </ul>
 *
 * <p>Operations: each service holds one replication slot ({@code calsync_<service>}) for as long as it exists; a
 * service that is retired must have its slot dropped ({@code SELECT pg_drop_replication_slot('calsync_<service>')}),
 * or the server keeps its WAL forever.
 */
package io.calsync.platform.outbox;
