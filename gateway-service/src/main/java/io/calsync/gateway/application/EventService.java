package io.calsync.gateway.application;

import io.calsync.gateway.persistence.AuditLog;
import io.calsync.gateway.persistence.EventReader;
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
import java.util.Optional;
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
        return update(userId, id, r, requestId, null);
    }

    /** How far a change of a recurring event reaches (contract: "Recurring events"). */
    public enum Scope {
        THIS,
        FOLLOWING,
        ALL;

        /** The query parameter's value, or null when absent; anything else is 422. */
        public static Scope parse(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "this" -> THIS;
                case "following" -> FOLLOWING;
                case "all" -> ALL;
                default -> throw ApiException.invalid("scope", "must be this, following or all");
            };
        }
    }

    /**
     * {@code PUT /events/{id}?scope=}: an occurrence ({@code <seriesId>_<start>}) or an override changes alone by
     * default ({@code this}: the occurrence becomes an override row, written back as the provider's instance), or the
     * whole series ({@code all}: a moved start moves every occurrence without an override of its own); a series
     * changes as a whole by default. {@code following} is not offered yet (422). A single event ignores the scope.
     */
    @Transactional
    public EventView update(UUID userId, String id, EventRequest r, String requestId, String ifMatch, String scope) {
        Scope sc = Scope.parse(scope);
        Optional<OccurrenceId> occurrence = OccurrenceId.parse(id);
        if (occurrence.isPresent()) {
            EventView o = reader.get(userId, id); // 404 unless the user's occurrence
            CalendarEvent master = seriesOf(userId, occurrence.get().seriesId());
            return switch (sc == null ? Scope.THIS : sc) {
                case THIS -> override(userId, master, o, r, requestId, false);
                case ALL -> updateSeries(userId, master, o.startTime(), o.endTime(), r, requestId, ifMatch);
                case FOLLOWING -> split(userId, master, o.originalStartTime(), r, requestId, ifMatch);
            };
        }
        CalendarEvent row = ownedRow(userId, id);
        if (row.getRecurringEventId() != null && sc == Scope.ALL) {
            CalendarEvent master = seriesOf(userId, row.getRecurringEventId());
            Instant anchor = row.getOriginalStartTime() != null ? row.getOriginalStartTime() : row.getStartTime();
            Instant anchorEnd = anchor.plus(java.time.Duration.between(master.getStartTime(), master.getEndTime()));
            return updateSeries(userId, master, anchor, anchorEnd, r, requestId, ifMatch);
        }
        if (row.getRecurringEventId() != null && sc == Scope.FOLLOWING) {
            return split(
                    userId, seriesOf(userId, row.getRecurringEventId()), originalStart(row), r, requestId, ifMatch);
        }
        if (row.getRecurrenceRule() != null && (sc == Scope.THIS || sc == Scope.FOLLOWING)) {
            throw ApiException.invalid(
                    "scope", "name one occurrence (<seriesId>_<original start>) to change it or the following ones");
        }
        if (row.getRecurringEventId() != null && r.recurrenceRule() != null) {
            throw ApiException.invalid("recurrenceRule", "one occurrence of a series has no recurrence of its own");
        }
        return update(userId, id, r, requestId, ifMatch);
    }

    /**
     * {@code DELETE /events/{id}?scope=}: an occurrence or an override is cancelled alone by default (a cancelled row
     * that GET /events no longer shows, written back as the provider's instance deletion), or the whole series goes
     * ({@code all}); a series goes as a whole by default.
     */
    @Transactional
    public void delete(UUID userId, String id, String requestId, String ifMatch, String scope) {
        Scope sc = Scope.parse(scope);
        Optional<OccurrenceId> occurrence = OccurrenceId.parse(id);
        if (occurrence.isPresent()) {
            EventView o = reader.get(userId, id);
            CalendarEvent master = seriesOf(userId, occurrence.get().seriesId());
            switch (sc == null ? Scope.THIS : sc) {
                case THIS -> override(userId, master, o, CANCEL, requestId, true);
                case ALL -> delete(userId, master.getId().toString(), requestId, ifMatch);
                case FOLLOWING -> split(userId, master, o.originalStartTime(), null, requestId, ifMatch);
            }
            return;
        }
        CalendarEvent row = ownedRow(userId, id);
        if (row.getRecurringEventId() != null) {
            switch (sc == null ? Scope.THIS : sc) {
                case THIS -> cancelOverride(userId, row, requestId, ifMatch);
                case ALL -> delete(userId, row.getRecurringEventId().toString(), requestId, ifMatch);
                case FOLLOWING ->
                    split(
                            userId,
                            seriesOf(userId, row.getRecurringEventId()),
                            originalStart(row),
                            null,
                            requestId,
                            ifMatch);
            }
            return;
        }
        if (row.getRecurrenceRule() != null && (sc == Scope.THIS || sc == Scope.FOLLOWING)) {
            throw ApiException.invalid(
                    "scope", "name one occurrence (<seriesId>_<original start>) to delete it or the following ones");
        }
        delete(userId, id, requestId, ifMatch);
    }

    private static final EventRequest CANCEL =
            new EventRequest(null, null, null, null, null, null, null, null, null, null, "CANCELLED", null, null, null);

    private static Instant originalStart(CalendarEvent override) {
        if (override.getOriginalStartTime() != null) {
            return override.getOriginalStartTime();
        }
        return override.getOriginalStartDate() != null
                ? override.getOriginalStartDate().atStartOfDay(ZoneOffset.UTC).toInstant()
                : override.getStartTime();
    }

    /**
     * "This and following": the series ends just before the occurrence at {@code at} ({@link SeriesSplit}), its
     * overrides from there on go (the provider drops them with the cut), and, for a change ({@code r} not null), a new
     * series starts at that occurrence with the series' fields and the change, answered as the new series. Written
     * back as two provider operations, each its own command: the cut (an update of the series) and the new series (a
     * create under our own id, so a retry finds it instead of making a second); both commit here together, so a crash
     * between the two provider calls is healed by the second command's retry. Cut at the first occurrence, this is
     * the whole series.
     */
    private EventView split(
            UUID userId, CalendarEvent master, Instant at, EventRequest r, String requestId, String ifMatch) {
        if (!at.isAfter(master.getStartTime())) {
            if (r == null) {
                delete(userId, master.getId().toString(), requestId, ifMatch);
                return null;
            }
            return updateSeries(userId, master, master.getStartTime(), master.getEndTime(), r, requestId, ifMatch);
        }
        precondition(master, ifMatch);
        CalendarConnection calendar =
                connections.findById(master.getConnectionId()).orElseThrow();
        writable(calendar);
        String rule = master.getRecurrenceRule();
        int before = SeriesSplit.before(
                rule, master.getStartTime(), master.isAllDay(), master.getStartDate(), master.getTimezone(), at);
        SeriesSplit.Rules rules = SeriesSplit.at(rule, master.isAllDay(), at, before);
        List<List<String>> lines = SeriesSplit.lines(
                master.getRecurrence() != null ? master.getRecurrence() : List.of("RRULE:" + rule),
                rules,
                at,
                master.isAllDay(),
                master.getTimezone());
        java.time.Duration length = java.time.Duration.between(master.getStartTime(), master.getEndTime());
        long days = master.isAllDay() && master.getStartDate() != null && master.getEndDate() != null
                ? master.getEndDate().toEpochDay() - master.getStartDate().toEpochDay()
                : 1;

        // The cut: the series ends before the occurrence.
        master.setRecurrenceRule(rules.oldRule());
        master.setRecurrence(lines.get(0));
        master.setRecurrenceFrequency(frequency(rules.oldRule()));
        for (CalendarEvent o : events.findByRecurringEventId(master.getId())) {
            if (!originalStart(o).isBefore(at)) {
                events.delete(o);
            }
        }
        queueWrite(master, calendar, userId, requestId, false);
        audit.record(userId, "event.split", "event", master.getId(), "PENDING", "at " + at);
        if (r == null || rules.newRule() == null) {
            return null;
        }

        // The new series, from the occurrence on, with the change.
        CalendarEvent fresh = new CalendarEvent(calendar.getId(), at, at.plus(length));
        fresh.setTitle(master.getTitle());
        fresh.setDescription(master.getDescription());
        fresh.setLocation(master.getLocation());
        fresh.setTimezone(master.getTimezone());
        fresh.setStatus(master.getStatus());
        fresh.setAllDay(master.isAllDay());
        if (master.isAllDay()) {
            LocalDate d = LocalDate.ofInstant(at, ZoneOffset.UTC);
            fresh.setStartDate(d);
            fresh.setEndDate(d.plusDays(Math.max(1, days)));
            fresh.setEndTime(
                    d.plusDays(Math.max(1, days)).atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        fresh.setOrganizerEmail(master.getOrganizerEmail());
        fresh.setRecurrenceRule(rules.newRule());
        fresh.setRecurrence(lines.get(1));
        fresh.setRecurrenceFrequency(frequency(rules.newRule()));
        Applied applied = apply(fresh, r, master.isAllDay(), false, calendar, new EventValidator());
        fresh.setSyncStatus(SyncStatus.PENDING);
        fresh.setPendingOperation("CREATE");
        fresh = events.save(fresh);
        copyChildren(master.getId(), fresh.getId(), applied);
        events.flush();
        outbox.write(EventCommand.of(calendar.getId(), userId, fresh.getId(), EventCommand.Action.CREATE, requestId));
        changed(calendar.getId(), userId, fresh.getId(), false);
        audit.record(userId, "event.create", "event", fresh.getId(), "PENDING", "split of " + master.getId());
        return reader.view(fresh, calendar);
    }

    private CalendarEvent seriesOf(UUID userId, UUID seriesId) {
        return reader.ownedRow(userId, seriesId)
                .filter(m -> m.getRecurrenceRule() != null)
                .orElseThrow(() -> ApiException.notFound("event"));
    }

    /**
     * An occurrence becomes a row of its own: the series' fields, attendees and reminders at the occurrence's times,
     * then the request on top; linked to its series by {@code recurringEventId} and its original start, and written
     * to the provider as the series' instance (Google: the instance {@code <eventId>_<start>}; Graph: the occurrence
     * found among the series' instances). The echo of that write lands on this row (same provider id): nothing is
     * duplicated, and the original start, now taken, is no longer expanded.
     */
    private EventView override(
            UUID userId, CalendarEvent master, EventView occurrence, EventRequest r, String requestId, boolean cancel) {
        CalendarConnection calendar =
                connections.findById(master.getConnectionId()).orElseThrow();
        writable(calendar);
        if (r.recurrenceRule() != null) {
            throw ApiException.invalid("recurrenceRule", "one occurrence of a series has no recurrence of its own");
        }
        CalendarEvent e = new CalendarEvent(calendar.getId(), occurrence.startTime(), occurrence.endTime());
        e.setTitle(master.getTitle());
        e.setDescription(master.getDescription());
        e.setLocation(master.getLocation());
        e.setTimezone(master.getTimezone());
        e.setStatus(master.getStatus());
        e.setAllDay(master.isAllDay());
        e.setStartDate(occurrence.startDate());
        e.setEndDate(occurrence.endDate());
        e.setIcalUid(master.getIcalUid());
        e.setOrganizerEmail(master.getOrganizerEmail());
        e.setHtmlLink(master.getHtmlLink());
        e.setRecurringEventId(master.getId());
        e.setProviderRecurringId(master.getProviderEventId());
        e.setOriginalStartTime(occurrence.originalStartTime());
        e.setOriginalStartDate(master.isAllDay() ? occurrence.startDate() : null);
        Applied applied = apply(e, r, master.isAllDay(), false, calendar, new EventValidator());
        e.setSyncStatus(SyncStatus.PENDING);
        e.setPendingOperation("CREATE");
        e = events.save(e);
        copyChildren(master.getId(), e.getId(), applied);
        events.flush();
        outbox.write(EventCommand.of(calendar.getId(), userId, e.getId(), EventCommand.Action.CREATE, requestId));
        changed(calendar.getId(), userId, e.getId(), cancel);
        audit.record(
                userId,
                cancel ? "event.cancel_occurrence" : "event.override",
                "event",
                e.getId(),
                "PENDING",
                "series " + master.getId() + " at " + occurrence.originalStartTime());
        return reader.view(e, calendar);
    }

    /**
     * {@code POST /events/{id}/rsvp}: the connected account's own answer to an invitation (contract: "Answering
     * invitations"). The account's attendee entry changes here at once, and the provider learns it through the
     * write-back (Google: the attendee's responseStatus; Graph: accept, decline or tentativelyAccept with the
     * comment). The id and scope name the event as for PUT ({@code this} by default: one occurrence answers alone,
     * as an override of its own).
     */
    @Transactional
    public EventView rsvp(
            UUID userId, String id, String responseStatus, String comment, String scope, String requestId) {
        EventValidator v = new EventValidator();
        io.calsync.model.domain.RsvpStatus answer = switch (responseStatus == null ? "" : responseStatus.strip()) {
            case "ACCEPTED" -> io.calsync.model.domain.RsvpStatus.ACCEPTED;
            case "DECLINED" -> io.calsync.model.domain.RsvpStatus.DECLINED;
            case "TENTATIVE" -> io.calsync.model.domain.RsvpStatus.TENTATIVE;
            default -> throw ApiException.invalid("responseStatus", "must be ACCEPTED, DECLINED or TENTATIVE");
        };
        String note = v.text("comment", comment, EventValidator.MAX_DESCRIPTION, false);
        v.throwIfAny();
        Scope sc = Scope.parse(scope);
        CalendarEvent row;
        Optional<OccurrenceId> occurrence = OccurrenceId.parse(id);
        if (occurrence.isPresent()) {
            EventView o = reader.get(userId, id);
            CalendarEvent master = seriesOf(userId, occurrence.get().seriesId());
            if (sc == Scope.FOLLOWING) {
                throw ApiException.invalid("scope", "answer this occurrence or all of the series");
            }
            if (sc == Scope.ALL) {
                row = master;
            } else {
                selfAttendee(
                        master, connections.findById(master.getConnectionId()).orElseThrow());
                EventView made = override(userId, master, o, NO_CHANGE, requestId, false);
                row = reader.ownedRow(userId, UUID.fromString(made.id())).orElseThrow();
            }
        } else {
            row = ownedRow(userId, id);
            if (row.getRecurringEventId() != null && sc == Scope.ALL) {
                row = seriesOf(userId, row.getRecurringEventId());
            } else if (sc == Scope.FOLLOWING) {
                throw ApiException.invalid("scope", "answer this occurrence or all of the series");
            }
        }
        CalendarConnection calendar =
                connections.findById(row.getConnectionId()).orElseThrow();
        writable(calendar);
        EventAttendee self = selfAttendee(row, calendar);
        self.setResponseStatus(answer);
        attendees.save(self);
        row.setSyncStatus(SyncStatus.PENDING);
        row.setSyncError(null);
        if (row.getProviderEventId() != null) {
            row.setPendingOperation("RSVP");
        }
        row.setRsvpComment(note);
        events.save(row);
        events.flush();
        outbox.write(EventCommand.of(
                calendar.getId(),
                userId,
                row.getId(),
                row.getProviderEventId() == null ? EventCommand.Action.CREATE : EventCommand.Action.UPDATE,
                requestId));
        changed(calendar.getId(), userId, row.getId(), false);
        audit.record(userId, "event.rsvp", "event", row.getId(), "PENDING", answer.name());
        return reader.view(row, calendar);
    }

    private static final EventRequest NO_CHANGE =
            new EventRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** The connected account's own attendee entry of the event, or 422 NOT_AN_ATTENDEE. */
    private EventAttendee selfAttendee(CalendarEvent row, CalendarConnection calendar) {
        writable(calendar);
        String email = calendar.getAccountEmail();
        return attendees.findByEventIdIn(List.of(row.getId())).stream()
                .filter(a -> email != null && a.getEmail().equalsIgnoreCase(email))
                .findFirst()
                .orElseThrow(() -> new ApiException(
                        org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                        "NOT_AN_ATTENDEE",
                        "the calendar's account (" + email + ") is not among the event's attendees",
                        null));
    }

    /**
     * The row's wanted state goes to the provider: PENDING, an UPDATE if the provider has it (else its CREATE), its
     * command in the outbox and the streams woken, all in this transaction.
     */
    private void queueWrite(
            CalendarEvent row, CalendarConnection calendar, UUID userId, String requestId, boolean gone) {
        row.setSyncStatus(SyncStatus.PENDING);
        row.setSyncError(null);
        boolean atProvider = row.getProviderEventId() != null;
        row.setPendingOperation(atProvider ? "UPDATE" : "CREATE");
        events.save(row);
        events.flush();
        outbox.write(EventCommand.of(
                calendar.getId(),
                userId,
                row.getId(),
                atProvider ? EventCommand.Action.UPDATE : EventCommand.Action.CREATE,
                requestId));
        changed(calendar.getId(), userId, row.getId(), gone);
    }

    /** An override row cancelled: it stays (so the occurrence is not expanded again) and the provider's goes. */
    private void cancelOverride(UUID userId, CalendarEvent row, String requestId, String ifMatch) {
        precondition(row, ifMatch);
        CalendarConnection calendar =
                connections.findById(row.getConnectionId()).orElseThrow();
        writable(calendar);
        row.setStatus(EventStatus.CANCELLED);
        queueWrite(row, calendar, userId, requestId, true);
        audit.record(userId, "event.cancel_occurrence", "event", row.getId(), "PENDING", null);
    }

    /**
     * The whole series, named by one of its occurrences: fields apply to the series; a new start or end of that
     * occurrence moves the series by the same amount (so every occurrence without an override of its own moves).
     */
    private EventView updateSeries(
            UUID userId,
            CalendarEvent master,
            Instant anchorStart,
            Instant anchorEnd,
            EventRequest r,
            String requestId,
            String ifMatch) {
        EventRequest shifted = r;
        if (!master.isAllDay() && (r.startTime() != null || r.endTime() != null)) {
            EventValidator v = new EventValidator();
            Instant newStart = r.startTime() != null ? v.instant("startTime", r.startTime()) : anchorStart;
            Instant newEnd = r.endTime() != null ? v.instant("endTime", r.endTime()) : anchorEnd;
            v.throwIfAny();
            Instant start = master.getStartTime().plus(java.time.Duration.between(anchorStart, newStart));
            Instant end = start.plus(java.time.Duration.between(newStart, newEnd));
            shifted = new EventRequest(
                    r.calendarId(),
                    r.title(),
                    r.description(),
                    r.location(),
                    start.toString(),
                    end.toString(),
                    r.isAllDay(),
                    r.startDate(),
                    r.endDate(),
                    r.timezone(),
                    r.status(),
                    r.recurrenceRule(),
                    r.attendees(),
                    r.reminders());
        }
        return update(userId, master.getId().toString(), shifted, requestId, ifMatch);
    }

    /** An override starts with its series' attendees and reminders, unless the request names its own. */
    private void copyChildren(UUID seriesId, UUID overrideId, Applied applied) {
        List<EventView.Attendee> a = applied.attendees();
        List<EventView.Reminder> m = applied.reminders();
        if (a == null) {
            a = attendees.findByEventIdIn(List.of(seriesId)).stream()
                    .map(x -> new EventView.Attendee(
                            x.getEmail(), x.getDisplayName(), x.getResponseStatus(), x.isOptional(), x.isOrganizer()))
                    .toList();
        }
        if (m == null) {
            m = reminders.findByEventIdIn(List.of(seriesId)).stream()
                    .map(x -> new EventView.Reminder(x.getMethod(), x.getMinutesBefore()))
                    .toList();
        }
        replaceChildren(overrideId, new Applied(a, m));
    }

    /**
     * The update, when {@code ifMatch} (an {@code If-Match} header, or null) still matches the row: the row is locked
     * first, so of two writers with the same tag exactly one wins and the other gets 412.
     */
    @Transactional
    public EventView update(UUID userId, String id, EventRequest r, String requestId, String ifMatch) {
        CalendarEvent e = ownedRow(userId, id);
        precondition(e, ifMatch);
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
        delete(userId, id, requestId, null);
    }

    /** The delete, when {@code ifMatch} (or null) still matches the row, as {@link #update}. */
    @Transactional
    public void delete(UUID userId, String id, String requestId, String ifMatch) {
        CalendarEvent e = ownedRow(userId, id);
        precondition(e, ifMatch);
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

    /**
     * 412 {@code PRECONDITION_FAILED} unless {@code ifMatch} is absent, {@code *}, or lists the row's current strong
     * tag. The row is locked and read afresh first, so the comparison holds until this transaction ends.
     */
    private void precondition(CalendarEvent e, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        reader.lockAndRefresh(e);
        String current = "\"e" + e.getVersion() + "\"";
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(current)) {
                return;
            }
        }
        throw new ApiException(
                org.springframework.http.HttpStatus.PRECONDITION_FAILED,
                "PRECONDITION_FAILED",
                "the event changed since it was read (its ETag is no longer " + ifMatch.strip()
                        + "); read it again and retry",
                null);
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
            throw new ApiException(
                    org.springframework.http.HttpStatus.CONFLICT,
                    "CALENDAR_READ_ONLY",
                    "the calendar is read-only (an ICS feed, or a calendar shared without write access)",
                    null);
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
