/**
 * The contract's per-user rate limits by class (connection operations, sync operations, event writes), shared by
 * every replica through Redis, answered 429 with {@code Retry-After}.
 */
package io.calsync.gateway.ratelimit;
