/**
 * Calendars (connections): {@code CalendarController} (web, in) → {@code CalendarService} (the use cases: list,
 * stats, disconnect, sync requests through the outbox) → {@code CalendarQueries} (SQL, out).
 */
package io.calsync.gateway.calendars;
