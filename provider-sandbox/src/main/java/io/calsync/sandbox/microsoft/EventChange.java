package io.calsync.sandbox.microsoft;

/**
 * One change to an event of a mailbox, as change notifications report it.
 *
 * @param changeType {@code created}, {@code updated} or {@code deleted}
 * @param changeKey the event's change key after the change (the last one for deletions)
 */
public record EventChange(String accountId, String calendarId, String eventId, String changeType, String changeKey) {}
