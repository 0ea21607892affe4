/** Deletion of expired OAuth states and sessions, subscriptions and de-duplication records. */
package io.calsync.poller.cleanup;
