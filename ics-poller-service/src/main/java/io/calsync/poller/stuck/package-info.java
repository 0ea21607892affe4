/**
 * The stuck-writes sweeper: local edits whose provider write never completed get their command again, then FAILED.
 */
package io.calsync.poller.stuck;
