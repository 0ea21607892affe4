/**
 * sync-service, the engine: {@code kafka} (in: the work topics, one connection's triggers coalesced per batch) →
 * {@code application} (passes, write-back, subscriptions) → {@code persistence} and the {@code providers} ports (out).
 */
package io.calsync.sync;
