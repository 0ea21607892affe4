/**
 * Backstop syncs of push connections, for the notifications that never arrive
 * ({@link io.calsync.poller.backstop.BackstopSyncJob}).
 */
package io.calsync.poller.backstop;
