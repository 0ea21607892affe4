/** Kafka in: the idempotent listener of the sync engine's work topics and the routing of each message type. */
package io.calsync.sync.kafka;
