/**
 * The scale-out benchmark of sync-service (bench/sync-scale.sh): one backlog of initial syncs at the sandbox, drained
 * first by one and then by three instances of the service's executable jar in one consumer group, timed in events/s,
 * with the checks that make the figure worth reading: every connection ends with exactly its events (nothing lost,
 * nothing twice), every new-connection message was applied once, and one connection's changes were applied in the
 * order they were published, across the rebalances a stopped and restarted instance causes. Not a test; never part
 * of the root reactor.
 */
package io.calsync.bench.scale;
