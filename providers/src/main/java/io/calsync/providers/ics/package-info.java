/**
 * ICS feeds, as they really are. Reading: {@link io.calsync.providers.ics.IcsParser} decodes, repairs and parses a
 * feed with ical4j, skipping the components it cannot read instead of losing the feed, and refuses content that is
 * not iCalendar at all ({@link io.calsync.providers.ics.InvalidIcsException}, {@code ICS_INVALID}); the result,
 * {@link io.calsync.providers.ics.IcsFeed}, carries the calendar's name, time zone, refresh interval, events and what
 * was skipped or repaired. The gateway uses this much to validate a feed before it is connected.
 *
 * <p>Syncing: {@link io.calsync.providers.ics.IcsFeedSync} is the engine's adapter for one subscribed feed: a
 * conditional GET through the SSRF-guarded fetcher ({@link io.calsync.providers.http}; a 304 ends the pass with
 * nothing to apply), the parser, then {@link io.calsync.providers.ics.IcsEventMapper} turns every VEVENT into a
 * {@link io.calsync.providers.port.ProviderEvent}, handed to the engine in pages. A feed has no change log, so every
 * pass that gets a body is a full listing: the engine deletes what the feed no longer has.
 *
 * <p>Failures are classified for the engine's one retry policy ({@link io.calsync.providers.port.ProviderCalls}):
 * a busy or unreachable server is retried, a feed that is gone, refused by the SSRF guard, too large or not
 * iCalendar at all fails the pass with a reason the user can read.
 */
package io.calsync.providers.ics;
