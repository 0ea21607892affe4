/**
 * Reading ICS feeds as they really are: {@link io.calsync.platform.ics.IcsParser} decodes, repairs and parses a
 * feed with ical4j, skipping the components it cannot read instead of losing the feed, and refuses content that is
 * not iCalendar at all ({@link io.calsync.platform.ics.InvalidIcsException}, {@code ICS_INVALID}). The result,
 * {@link io.calsync.platform.ics.IcsFeed}, carries the calendar's name, time zone, refresh interval, events and
 * what was skipped or repaired.
 */
package io.calsync.platform.ics;
