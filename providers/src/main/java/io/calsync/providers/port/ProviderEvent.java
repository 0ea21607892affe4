package io.calsync.providers.port;

import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One event as any provider has it, in the system's terms: what a provider adapter hands to the engine after a
 * fetch, and what the engine hands to an adapter to write. Adapters map to and from this and nothing else, so the
 * store knows no provider and no provider knows the store.
 *
 * <p>Shapes: a <b>series master</b> has {@code recurrence} (its {@code RRULE:}, {@code EXDATE}, {@code RDATE} lines)
 * and no {@code providerRecurringId}; an <b>override</b> or a <b>cancelled occurrence</b> has the master's provider id
 * in {@code providerRecurringId} and its original start ({@code originalStartTime}, plus {@code originalStartDate} for
 * all-day series); a cancelled occurrence has {@code status=CANCELLED}. Timed events have {@code startTime}/{@code
 * endTime}; all-day events have {@code startDate}/{@code endDate} (end exclusive) and start/end at UTC midnight of
 * those dates, never shifted by a zone. {@code timezone} is IANA.
 *
 * <p>Versions: {@code providerUpdatedAt} (Google {@code updated}, Graph {@code lastModifiedDateTime}, ICS
 * {@code LAST-MODIFIED}/{@code DTSTAMP}) and {@code sequence} decide which of two versions is newer; {@code etag} is
 * what the provider wants back in {@code If-Match} (Google etag, Graph changeKey).
 */
public record ProviderEvent(
        String providerEventId,
        String iCalUid,
        String title,
        String description,
        String location,
        Instant startTime,
        Instant endTime,
        boolean allDay,
        LocalDate startDate,
        LocalDate endDate,
        String timezone,
        EventStatus status,
        List<String> recurrence,
        String providerRecurringId,
        Instant originalStartTime,
        LocalDate originalStartDate,
        String organizerEmail,
        String htmlLink,
        String etag,
        Instant providerUpdatedAt,
        Integer sequence,
        List<Attendee> attendees,
        List<Reminder> reminders,
        Availability availability) {

    public ProviderEvent {
        recurrence = recurrence == null || recurrence.isEmpty() ? null : List.copyOf(recurrence);
        attendees = attendees == null ? List.of() : List.copyOf(attendees);
        reminders = reminders == null ? List.of() : List.copyOf(reminders);
        status = status == null ? EventStatus.CONFIRMED : status;
        availability = availability == null ? Availability.BUSY : availability;
    }

    /** An attendee and their answer. */
    public record Attendee(
            String email, String displayName, RsvpStatus responseStatus, boolean optional, boolean organizer) {}

    /** A reminder, in minutes before the start. */
    public record Reminder(ReminderMethod method, int minutesBefore) {}

    /**
     * The rule a series expands by: that of its {@code RRULE:} line, without the prefix; for a series of RDATEs alone
     * (RFC 5545 allows a set of DTSTART and RDATEs without a rule) {@value #RDATES_ONLY}, which generates DTSTART
     * alone, so that the expander adds the RDATEs to it; else null (a single event).
     */
    public String recurrenceRule() {
        if (recurrence == null) {
            return null;
        }
        boolean rdates = false;
        for (String line : recurrence) {
            if (line.regionMatches(true, 0, "RRULE:", 0, 6)) {
                return line.substring(6);
            }
            rdates |= line.regionMatches(true, 0, "RDATE", 0, 5);
        }
        return rdates ? RDATES_ONLY : null;
    }

    /** The rule of a series that is DTSTART and RDATEs alone: DTSTART once; the expander adds the RDATEs. */
    public static final String RDATES_ONLY = "FREQ=DAILY;COUNT=1";

    /** The FREQ part of the RRULE when it is one the schema's enum knows, else null. */
    public String recurrenceFrequency() {
        String rule = recurrenceRule();
        if (rule == null) {
            return null;
        }
        for (String part : rule.split(";")) {
            if (part.regionMatches(true, 0, "FREQ=", 0, 5)) {
                String f = part.substring(5).toUpperCase(Locale.ROOT);
                return switch (f) {
                    case "DAILY", "WEEKLY", "MONTHLY", "YEARLY" -> f;
                    default -> null;
                };
            }
        }
        return null;
    }

    /** The same event with other start and end instants. */
    public ProviderEvent withTimes(Instant start, Instant end) {
        return new ProviderEvent(
                providerEventId,
                iCalUid,
                title,
                description,
                location,
                start,
                end,
                allDay,
                startDate,
                endDate,
                timezone,
                status,
                recurrence,
                providerRecurringId,
                originalStartTime,
                originalStartDate,
                organizerEmail,
                htmlLink,
                etag,
                providerUpdatedAt,
                sequence,
                attendees,
                reminders,
                availability);
    }

    /** The same event under other provider ids and another etag (CalDAV names events by their resource). */
    public ProviderEvent withIds(String id, String recurringId, String newEtag) {
        return new ProviderEvent(
                id,
                iCalUid,
                title,
                description,
                location,
                startTime,
                endTime,
                allDay,
                startDate,
                endDate,
                timezone,
                status,
                recurrence,
                recurringId,
                originalStartTime,
                originalStartDate,
                organizerEmail,
                htmlLink,
                newEtag,
                providerUpdatedAt,
                sequence,
                attendees,
                reminders,
                availability);
    }

    /** The same event with another title and status. */
    public ProviderEvent withTitleAndStatus(String newTitle, EventStatus newStatus) {
        return new ProviderEvent(
                providerEventId,
                iCalUid,
                newTitle,
                description,
                location,
                startTime,
                endTime,
                allDay,
                startDate,
                endDate,
                timezone,
                newStatus,
                recurrence,
                providerRecurringId,
                originalStartTime,
                originalStartDate,
                organizerEmail,
                htmlLink,
                etag,
                providerUpdatedAt,
                sequence,
                attendees,
                reminders,
                availability);
    }

    /** True for an instance of a series (an override or a cancelled occurrence). */
    public boolean isInstance() {
        return providerRecurringId != null;
    }
}
