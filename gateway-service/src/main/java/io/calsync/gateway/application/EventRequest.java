package io.calsync.gateway.application;

import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /events} and {@code PUT /events/{id}}. Every field may be absent: POST then uses defaults
 * and checks what is required; PUT keeps the stored value of each absent field.
 */
public record EventRequest(
        UUID calendarId,
        String title,
        String description,
        String location,
        String startTime,
        String endTime,
        Boolean isAllDay,
        String startDate,
        String endDate,
        String timezone,
        String status,
        String recurrenceRule,
        List<AttendeeRequest> attendees,
        List<ReminderRequest> reminders) {

    public record AttendeeRequest(String email, String displayName, String responseStatus, Boolean optional) {}

    public record ReminderRequest(String method, Integer minutesBefore) {}
}
