/**
 * ICS feed refreshes: which feeds are due ({@link io.calsync.poller.ics.IcsRefreshJob}) and when each is due next
 * ({@link io.calsync.poller.ics.RefreshPolicy}: interval, REFRESH-INTERVAL, backoff, jitter).
 */
package io.calsync.poller.ics;
