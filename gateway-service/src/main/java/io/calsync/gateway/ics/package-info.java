/**
 * ICS feeds at the gateway: {@code POST /ics/validate}, {@code POST /ics/connect} and {@code PUT /ics/{id}}.
 *
 * <p>A feed is fetched through the platform's SSRF-safe fetcher and read by its tolerant parser before anything is
 * stored; fetch and parse happen outside any transaction. Connecting then creates the read-only ICS connection and
 * writes {@code ConnectionCreated} to the outbox in one transaction (the sync engine runs the first sync); changing
 * the URL resets the ICS validators and writes a {@code SyncRequested}. A URL's identity is its normalised form
 * ({@link io.calsync.gateway.ics.FeedUrl}): one user cannot connect the same feed twice.
 */
package io.calsync.gateway.ics;
