/**
 * The fake Google Calendar API v3, served under {@code /google/calendar/v3/} so that the official Google Java client
 * works against it with rootUrl {@code <base>/google/} and servicePath {@code calendar/v3/}.
 *
 * <p>{@link io.calsync.sandbox.google.GoogleCalendarStore} holds calendars and events in memory and implements
 * Google's semantics: per-calendar change sequences behind opaque sync tokens (410 after invalidation), paging that
 * stays stable while events change, deleted events kept as {@code cancelled} for incremental sync, recurring series
 * with overrides and cancelled occurrences expanded by {@link io.calsync.sandbox.google.RecurrenceExpander}.
 * {@link io.calsync.sandbox.google.GoogleChannels} implements {@code events.watch} / {@code channels.stop} and the
 * push notifications. {@link io.calsync.sandbox.google.GoogleCalendarController} is the HTTP API,
 * {@link io.calsync.sandbox.google.GoogleControlController} the control routes under {@code /control/google} that let
 * tests act "as the user at Google".
 */
package io.calsync.sandbox.google;
