/**
 * The iCalendar format (RFC 5545) as the adapters that speak it share it, the ICS feeds and the CalDAV calendars, the
 * way {@link io.calsync.providers.http} is the transport they share. Reading: {@link
 * io.calsync.providers.ical.IcsParser} decodes, repairs and parses a calendar with ical4j, skipping the components it
 * cannot read instead of losing the calendar, and refuses content that is not iCalendar at all ({@link
 * io.calsync.providers.ical.InvalidIcsException}, {@code ICS_INVALID}); the result, {@link
 * io.calsync.providers.ical.IcsFeed}, carries the calendar's name, time zone, refresh interval, events and what was
 * skipped or repaired; {@link io.calsync.providers.ical.IcsEventMapper} turns every VEVENT into a {@link
 * io.calsync.providers.port.ProviderEvent}. Writing: {@link io.calsync.providers.ical.IcsResource} edits one calendar
 * object line by line, keeping whatever it does not model. The gateway uses the reader to validate a feed before it
 * is connected.
 */
package io.calsync.providers.ical;
