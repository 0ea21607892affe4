/**
 * The fake Microsoft Graph v1.0 calendar API under {@code /graph/v1.0}: {@code /me}, calendars, events (with
 * recurring series expanded into occurrences and exceptions in the event's own time zone), calendarView delta with
 * skip and delta tokens, subscriptions with the validation handshake, change and lifecycle notifications, and the
 * {@code /control/microsoft} routes that change a mailbox "as the user in Outlook".
 *
 * <p>{@link io.calsync.sandbox.microsoft.MicrosoftStore} holds the mailboxes and is the Java API for seeding from
 * tests; {@link io.calsync.sandbox.microsoft.CalendarViewDelta} keeps the sync states behind delta links;
 * {@link io.calsync.sandbox.microsoft.MicrosoftSubscriptions} turns store changes into notifications. Everything is
 * in memory and cleared by {@code SandboxState.reset()}.
 */
package io.calsync.sandbox.microsoft;
