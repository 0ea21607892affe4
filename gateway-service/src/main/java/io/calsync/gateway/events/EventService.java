package io.calsync.gateway.events;

import io.calsync.gateway.audit.AuditLog;
import io.calsync.gateway.calendars.CalendarService;
import io.calsync.gateway.web.ApiException;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.RecurrenceFrequency;
import io.calsync.model.domain.SyncStatus;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.persistence.CalendarEvent;
import io.calsync.model.persistence.CalendarEventRepository;
import io.calsync.model.persistence.EventAttendee;
import io.calsync.model.persistence.EventAttendeeRepository;
import io.calsync.model.persistence.EventReminder;
import io.calsync.model.persistence.EventReminderRepository;
import io.calsync.platform.outbox.OutboxWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Local writes of events. A write stores the wanted state with {@code syncStatus=PENDING} and an
 * {@link EventCommand} in the outbox, in one transaction; the sync engine writes it to the provider and sets
 * SYNCED or FAILED. Reads and the range query live in {@link EventReader}.
 */
@Service
public class EventService {

    private final CalendarService calendars;
    private final CalendarConnectionRepository connections;
    private final CalendarEventRepository events;
    private final EventAttendeeRepository attendees;
    private final EventReminderRepository reminders;
    private final EventReader reader;
    private final OutboxWriter outbox;
    private final AuditLog audit;

    public EventService(
            CalendarService calendars,
            CalendarConnectionRepository connections,
            CalendarEventRepository events,
            EventAttendeeRepository attendees,
            EventReminderRepository reminders,
            EventReader reader,
            OutboxWriter outbox,
            AuditLog audit) {
        this.calendars = calendars;
        this.connections = connections;
        this.events = events;
        this.attendees = attendees;
        this.reminders = reminders;
        this.reader = reader;
        this.outbox = outbox;
        this.audit = audit;
    }

    @Transactional
    public EventView create(UUID userId, EventRequest r, String requestId) {
        boolean allDay = Boolean.TRUE.equals(r.isAllDay());
        EventValidator v = new EventValidator();
        if (r.calendarId() == null) {
            // Every other missing or invalid field is named in the same answer: apply throws before it needs a row.
            v.add("calendarId", "is required");
            apply(new CalendarEvent(null, Instant.EPOCH, Instant.EPOCH), r, allDay, true, null, v);
        }
        CalendarConnection calendar = calendars.owned(userId, r.calendarId()); // 404 before any 422
        writable(calendar);
        CalendarEvent e = new CalendarEvent(calendar.getId(), Instant.EPOCH, Instant.EPOCH);
        Applied applied = apply(e, r, allDay, true, calendar, v);
        e.setSyncStatus(SyncStatus.PENDING);
        e.setPendingOperation("CREATE");
        e.setOrganizerEmail(calendar.getAccountEmail());
        // The row has its id already, so save merges into a managed copy: that copy carries createdAt/updatedAt.
        e = events.save(e);
        replaceChildren(e.getId(), applied);
        events.flush(); // the reader answers with plain SQL, which sees only what was flushed
        outbox.write(EventCommand.of(calendar.getId(), userId, e.getId(), EventCommand.Action.CREATE, requestId));
        changed(calendar.getId(), userId, e.getId(), false);
        audit.record(userId, "event.create", "event", e.getId(), "PENDING", null);
        return reader.view(e, calendar);
    }

    @Transactional
    public EventView update(UUID userId, String id, EventRequest r, String requestId) {
        CalendarEvent e = ownedRow(userId, id);
        CalendarConnection calendar = connections.findById(e.getConnectionId()).orElseThrow();
        if (r.calendarId() != null && !r.calendarId().equals(calendar.getId())) {
            calendars.owned(userId, r.calendarId()); // another user's calendar is 404, as everywhere
            throw ApiException.invalid("calendarId", "moving an event to another calendar is not supported");
        }
        writable(calendar);
        boolean allDay = r.isAllDay() != null ? r.isAllDay() : e.isAllDay();
        Applied applied = apply(e, r, allDay, false, calendar, new EventValidator());
        e.setSyncStatus(SyncStatus.PENDING);
        e.setSyncError(null);
        if (!"CREATE".equals(e.getPendingOperation())) {
            e.setPendingOperation("UPDATE");
        }
        events.save(e);
        replaceChildren(e.getId(), applied);
        events.flush(); // the reader answers with plain SQL, which sees only what was flushed
        outbox.write(EventCommand.of(
                calendar.getId(),
                userId,
                e.getId(),
                "CREATE".equals(e.getPendingOperation()) ? EventCommand.Action.CREATE : EventCommand.Action.UPDATE,
                requestId));
        changed(calendar.getId(), userId, e.getId(), false);
        audit.record(userId, "event.update", "event", e.getId(), "PENDING", null);
        return reader.view(e, calendar);
    }

    @Transactional
    public void delete(UUID userId, String id, String requestId) {
        CalendarEvent e = ownedRow(userId, id);
        CalendarConnection calendar = connections.findById(e.getConnectionId()).orElseThrow();
        writable(calendar);
        if (e.getProviderEventId() == null) {
            // Never reached the provider: nothing to delete there. A CREATE command still in flight finds no row.
            events.delete(e);
        } else {
            e.setPendingOperation("DELETE");
            e.setSyncStatus(SyncStatus.PENDING);
            events.save(e);
            outbox.write(EventCommand.of(calendar.getId(), userId, e.getId(), EventCommand.Action.DELETE, requestId));
        }
        changed(calendar.getId(), userId, e.getId(), true);
        audit.record(
                userId,
                "event.delete",
                "event",
                e.getId(),
                e.getProviderEventId() == null ? "SUCCESS" : "PENDING",
                null);
    }

    @Transactional
    public void retrySync(UUID userId, String id, String requestId) {
        CalendarEvent e = ownedRow(userId, id);
        if (e.getSyncStatus() != SyncStatus.FAILED) {
            throw ApiException.conflict(
                    "only an event whose sync FAILED can be retried (it is " + e.getSyncStatus() + ")");
        }
        String op = e.getPendingOperation() == null ? "UPDATE" : e.getPendingOperation();
        e.setSyncStatus(SyncStatus.PENDING);
        e.setSyncError(null);
        events.save(e);
        outbox.write(
                EventCommand.of(e.getConnectionId(), userId, e.getId(), EventCommand.Action.valueOf(op), requestId));
        audit.record(userId, "event.retry_sync", "event", e.getId(), "PENDING", op);
    }

    /**
     * Wakes the user's open streams on every replica ({@code calendar.events-changed}, in the write's transaction);
     * the change itself is in the change log already, written by the table's trigger.
     */
    private void changed(UUID calendarId, UUID userId, UUID eventId, boolean deleted) {
        outbox.write(new io.calsync.model.messaging.EventsChanged(
                UUID.randomUUID(),
                1,
                Instant.now(),
                calendarId,
                userId,
                "api",
                deleted ? 0 : 1,
                deleted ? 1 : 0,
                List.of(eventId),
                false));
    }

    /** The stored row of an event id of the user; occurrence ids have no row to change. */
    private CalendarEvent ownedRow(UUID userId, String id) {
        java.util.Optional<OccurrenceId> occurrence = OccurrenceId.parse(id);
        if (occurrence.isPresent()) {
            reader.get(userId, id); // 404 unless it is the user's occurrence
            throw ApiException.conflict("this is one occurrence of a series; change the series ("
                    + occurrence.get().seriesId() + ") instead");
        }
        UUID uuid = EventReader.uuid(id).orElseThrow(() -> ApiException.notFound("event"));
        return reader.ownedRow(userId, uuid).orElseThrow(() -> ApiException.notFound("event"));
    }

    private static void writable(CalendarConnection calendar) {
        if (calendar.isReadOnly() || calendar.getProvider() == CalendarProvider.ICS) {
            throw ApiException.conflict("the calendar is read-only");
        }
        if (!calendar.isConnected()) {
            throw ApiException.conflict("the calendar is disconnected; connect it again first");
        }
    }

    private record Applied(List<EventView.Attendee> attendees, List<EventView.Reminder> reminders) {}

    /** Validates the merged state and writes it onto the row (which stays unsaved until everything is valid). */
    private Applied apply(
            CalendarEvent e,
            EventRequest r,
            boolean allDay,
            boolean creating,
            CalendarConnection calendar,
            EventValidator v) {
        String title = v.text(
                "title",
                r.title() != null ? r.title() : (creating ? null : e.getTitle()),
                EventValidator.MAX_TITLE,
                true);
        String description = v.text(
                "description",
                r.description() != null ? r.description() : e.getDescription(),
                EventValidator.MAX_DESCRIPTION,
                false);
        String location = v.text(
                "location", r.location() != null ? r.location() : e.getLocation(), EventValidator.MAX_LOCATION, false);
        String zone = r.timezone() != null ? v.zone(r.timezone()) : (creating ? "UTC" : e.getTimezone());
        EventStatus status =
                r.status() != null ? v.status(r.status()) : (creating ? EventStatus.CONFIRMED : e.getStatus());
        String rule =
                r.recurrenceRule() != null ? v.rule(r.recurrenceRule()) : (creating ? null : e.getRecurrenceRule());
        List<EventView.Attendee> newAttendees = v.attendees(r.attendees());
        List<EventView.Reminder> newReminders = v.reminders(r.reminders());
        Instant start;
        Instant end;
        LocalDate startDate = null;
        LocalDate endDate = null;
        if (allDay) {
            startDate =
                    r.startDate() != null ? v.date("startDate", r.startDate()) : (creating ? null : e.getStartDate());
            endDate = r.endDate() != null ? v.date("endDate", r.endDate()) : (creating ? null : e.getEndDate());
            v.allDay(startDate, endDate);
            start = startDate == null
                    ? null
                    : startDate.atStartOfDay(ZoneOffset.UTC).toInstant();
            end = endDate == null ? null : endDate.atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            start = r.startTime() != null
                    ? v.instant("startTime", r.startTime())
                    : (creating ? null : e.getStartTime());
            end = r.endTime() != null ? v.instant("endTime", r.endTime()) : (creating ? null : e.getEndTime());
            v.timed(start, end);
        }
        v.throwIfAny();
        e.setTitle(title);
        e.setDescription(description);
        e.setLocation(location);
        e.setTimezone(zone);
        e.setStatus(status);
        e.setAllDay(allDay);
        e.setStartDate(startDate);
        e.setEndDate(endDate);
        e.setStartTime(start);
        e.setEndTime(end);
        e.setRecurrenceRule(rule);
        // The range query's lower bound must know about the longest event of the calendar.
        long seconds =
                java.time.Duration.between(e.getStartTime(), e.getEndTime()).toSeconds();
        if (seconds > calendar.getMaxEventDurationSecs()) {
            calendar.setMaxEventDurationSecs(seconds);
            connections.save(calendar);
        }
        if (r.recurrenceRule() != null) {
            e.setRecurrence(rule == null ? null : List.of("RRULE:" + rule));
            e.setRecurrenceFrequency(rule == null ? null : frequency(rule));
        }
        return new Applied(newAttendees, newReminders);
    }

    private void replaceChildren(UUID eventId, Applied applied) {
        if (applied.attendees() != null) {
            attendees.deleteByEventId(eventId);
            for (EventView.Attendee a : applied.attendees()) {
                EventAttendee row = new EventAttendee(eventId, a.email(), a.responseStatus());
                row.setDisplayName(a.displayName());
                row.setOptional(a.optional());
                attendees.save(row);
            }
        }
        if (applied.reminders() != null) {
            reminders.deleteByEventId(eventId);
            for (EventView.Reminder m : applied.reminders()) {
                reminders.save(new EventReminder(eventId, m.method(), m.minutesBefore()));
            }
        }
    }

    static RecurrenceFrequency frequency(String rule) {
        Map<String, String> parts = java.util.Arrays.stream(rule.split(";"))
                .map(p -> p.split("=", 2))
                .filter(p -> p.length == 2)
                .collect(Collectors.toMap(p -> p[0].toUpperCase(Locale.ROOT), p -> p[1], (a, b) -> a));
        try {
            return RecurrenceFrequency.valueOf(parts.getOrDefault("FREQ", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null; // HOURLY and finer have no enum value; the rule itself is kept
        }
    }
}
