/**
 * Renewal requests for push subscriptions before they expire
 * ({@link io.calsync.poller.renewal.SubscriptionRenewalJob}); sync-service does the renewing.
 */
package io.calsync.poller.renewal;
