/**
 * The ICS feed adapter of the sync engine. {@link io.calsync.sync.ics.IcsFeedSync} refreshes one subscribed feed:
 * a conditional GET through platform's SSRF-guarded fetcher (a 304 ends the pass with nothing to apply), platform's
 * tolerant parser, then {@link io.calsync.sync.ics.IcsEventMapper} turns every VEVENT into a
 * {@link io.calsync.sync.provider.ProviderEvent}, handed to the engine in pages. A feed has no change log, so every
 * pass that gets a body is a full listing: the engine deletes what the feed no longer has.
 *
 * <p>Failures are classified for the engine's one retry policy ({@link io.calsync.sync.provider.ProviderCalls}):
 * a busy or unreachable server is retried, a feed that is gone, refused by the SSRF guard, too large or not
 * iCalendar at all fails the pass with a reason the user can read.
 */
package io.calsync.sync.ics;
