/**
 * ICS feeds, as they really are. {@link io.calsync.providers.ics.IcsFeedSync} is the engine's adapter for one
 * subscribed feed: a conditional GET through the SSRF-guarded fetcher ({@link io.calsync.providers.http}; a 304 ends
 * the pass with nothing to apply), then the iCalendar reader and mapper of {@link io.calsync.providers.ical}, the
 * events handed to the engine in pages. A feed has no change log, so every pass that gets a body is a full listing:
 * the engine deletes what the feed no longer has.
 *
 * <p>Failures are classified for the engine's one retry policy ({@link io.calsync.providers.port.ProviderCalls}):
 * a busy or unreachable server is retried, a feed that is gone, refused by the SSRF guard, too large or not
 * iCalendar at all fails the pass with a reason the user can read.
 */
package io.calsync.providers.ics;
