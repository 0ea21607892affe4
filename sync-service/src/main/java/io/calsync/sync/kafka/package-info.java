/**
 * Kafka in: the batch listener of the sync engine's work topics ({@code SyncMessageListener}), the plan of a batch
 * per connection with notifications coalesced into one sync ({@code BatchPlan}), and its execution
 * ({@code SyncWork}).
 */
package io.calsync.sync.kafka;
