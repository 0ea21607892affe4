package io.calsync.gateway.application;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.model.domain.SyncStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An event as the frontend sees it (contract: "Event"). {@code id} is a UUID, or {@code <seriesId>_<original start>}
 * for an occurrence expanded from a series without a row of its own.
 */
public record EventView(
        String id,
        UUID calendarId,
        CalendarProvider provider,
        String providerEventId,
        String iCalUid,
        String title,
        String description,
        String location,
        Instant startTime,
        Instant endTime,
        boolean isAllDay,
        LocalDate startDate,
        LocalDate endDate,
        String timezone,
        EventStatus status,
        String recurrenceRule,
        UUID recurringEventId,
        Instant originalStartTime,
        String organizerEmail,
        String htmlLink,
        List<Attendee> attendees,
        List<Reminder> reminders,
        SyncStatus syncStatus,
        String syncError,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore long version) {

    /**
     * The strong entity tag of this answer: the stored row's version (an occurrence without a row of its own: its
     * series'), which every stored change of the row moves (the sync's upserts and the API's writes alike).
     */
    public String etag() {
        return "\"" + (id.indexOf('_') > 0 ? "o" : "e") + version + "\"";
    }

    public record Attendee(
            String email, String displayName, RsvpStatus responseStatus, boolean optional, boolean organizer) {}

    public record Reminder(ReminderMethod method, int minutesBefore) {}
}
