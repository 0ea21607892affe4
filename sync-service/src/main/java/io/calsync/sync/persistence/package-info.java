/**
 * What the engine keeps in PostgreSQL: the store of provider events ({@link io.calsync.sync.persistence.EventStore}:
 * one-statement page upserts, newest version wins, series links, removals, sweeps), the connection state
 * ({@link io.calsync.sync.persistence.Connections}), the audit rows ({@link io.calsync.sync.persistence.Audit}) and
 * the consumer's de-duplication record ({@link io.calsync.sync.persistence.ProcessedMessages}).
 */
package io.calsync.sync.persistence;
