package io.calsync.gateway.application;

import io.calsync.gateway.application.ApiException.FieldProblem;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Recur;

/**
 * The checks of an event's fields, collecting every problem of a request so that the frontend can show them all.
 * Works on the merged state (stored values with the request's changes), so POST and PUT share one set of rules.
 */
final class EventValidator {

    static final int MAX_TITLE = 1024;
    static final int MAX_DESCRIPTION = 8192;
    static final int MAX_LOCATION = 1024;
    static final int MAX_ATTENDEES = 200;
    static final int MAX_REMINDERS = 5;
    static final Duration MAX_DURATION = Duration.ofDays(366);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}$");

    private final List<FieldProblem> problems = new ArrayList<>();

    void add(String field, String message) {
        problems.add(new FieldProblem(field, message));
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }

    String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                add(field, "is required");
            }
            return value == null ? null : value.strip();
        }
        if (value.length() > max) {
            add(field, "must be at most " + max + " characters");
        }
        return value.strip();
    }

    Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            add(field, "must be an ISO-8601 instant such as 2026-11-24T10:00:00Z");
            return null;
        }
        if (!TimeBounds.inside(t)) {
            add(field, TimeBounds.PROBLEM);
            return null;
        }
        return t;
    }

    LocalDate date(String field, String value) {
        if (value == null) {
            return null;
        }
        LocalDate d;
        try {
            d = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            add(field, "must be a date YYYY-MM-DD");
            return null;
        }
        if (!TimeBounds.inside(d)) {
            add(field, TimeBounds.PROBLEM);
            return null;
        }
        return d;
    }

    String zone(String value) {
        if (value == null) {
            return null;
        }
        try {
            ZoneId zone = ZoneId.of(value);
            if (zone instanceof ZoneOffset || !value.contains("/") && !value.equals("UTC")) {
                add("timezone", "must be an IANA time zone such as Europe/Berlin");
            }
            return zone.getId();
        } catch (RuntimeException e) {
            add("timezone", "must be an IANA time zone such as Europe/Berlin");
            return null;
        }
    }

    EventStatus status(String value) {
        if (value == null) {
            return null;
        }
        try {
            return EventStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            add("status", "must be CONFIRMED, TENTATIVE or CANCELLED");
            return null;
        }
    }

    String rule(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String rule = value.regionMatches(true, 0, "RRULE:", 0, 6) ? value.substring(6) : value;
        String problem = RruleRules.problem(rule);
        if (problem == null) {
            try {
                new Recur<Instant>(rule);
            } catch (RuntimeException e) {
                problem = "is not a valid RFC 5545 RRULE";
            }
        }
        if (problem != null) {
            add("recurrenceRule", problem + " (e.g. FREQ=WEEKLY;BYDAY=MO)");
            return null;
        }
        return rule;
    }

    void timed(Instant start, Instant end) {
        if (start == null) {
            add("startTime", "is required");
        }
        if (end == null) {
            add("endTime", "is required");
        }
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                add("endTime", "must be after startTime");
            } else if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
                add("endTime", "an event lasts at most 366 days");
            }
        }
    }

    void allDay(LocalDate start, LocalDate end) {
        if (start == null) {
            add("startDate", "is required for an all-day event");
        }
        if (end == null) {
            add("endDate", "is required for an all-day event (exclusive)");
        }
        if (start != null && end != null) {
            if (!end.isAfter(start)) {
                add("endDate", "must be after startDate (endDate is exclusive)");
            } else if (end.toEpochDay() - start.toEpochDay() > 366) {
                add("endDate", "an event lasts at most 366 days");
            }
        }
    }

    List<EventView.Attendee> attendees(List<EventRequest.AttendeeRequest> list) {
        if (list == null) {
            return null;
        }
        if (list.size() > MAX_ATTENDEES) {
            add("attendees", "at most " + MAX_ATTENDEES + " attendees");
            return List.of();
        }
        List<EventView.Attendee> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            EventRequest.AttendeeRequest a = list.get(i);
            if (a == null || a.email() == null || !EMAIL.matcher(a.email()).matches()) {
                add("attendees[" + i + "].email", "must be an email address");
                continue;
            }
            RsvpStatus rsvp = RsvpStatus.NEEDS_ACTION;
            if (a.responseStatus() != null) {
                try {
                    rsvp = RsvpStatus.valueOf(a.responseStatus().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    add("attendees[" + i + "].responseStatus", "must be NEEDS_ACTION, ACCEPTED, DECLINED or TENTATIVE");
                }
            }
            text("attendees[" + i + "].displayName", a.displayName(), 512, false);
            out.add(new EventView.Attendee(
                    a.email().toLowerCase(Locale.ROOT),
                    a.displayName(),
                    rsvp,
                    Boolean.TRUE.equals(a.optional()),
                    false));
        }
        return out;
    }

    List<EventView.Reminder> reminders(List<EventRequest.ReminderRequest> list) {
        if (list == null) {
            return null;
        }
        if (list.size() > MAX_REMINDERS) {
            add("reminders", "at most " + MAX_REMINDERS + " reminders");
            return List.of();
        }
        List<EventView.Reminder> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            EventRequest.ReminderRequest r = list.get(i);
            ReminderMethod method = ReminderMethod.POPUP;
            if (r != null && r.method() != null) {
                try {
                    method = ReminderMethod.valueOf(r.method().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    add("reminders[" + i + "].method", "must be EMAIL, POPUP or SMS");
                }
            }
            if (r == null || r.minutesBefore() == null || r.minutesBefore() < 0 || r.minutesBefore() > 40_320) {
                add("reminders[" + i + "].minutesBefore", "must be between 0 and 40320 (four weeks)");
                continue;
            }
            out.add(new EventView.Reminder(method, r.minutesBefore()));
        }
        return out;
    }
}
