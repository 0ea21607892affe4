package io.calsync.providers.google;

import com.google.api.client.util.Data;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Event.Reminders;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.EventReminder;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.Zones;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Calendar's {@link Event} to and from {@link ProviderEvent}. Reading is lenient (whatever Google or a
 * recording holds maps without an exception; a cancelled entry of an incremental list may carry nothing but its
 * ids); writing produces only what Google accepts on insert and patch.
 */
public final class GoogleEventMapper {

    /**
     * What an event inherits from its calendar: the zone when its start names none, and the reminders when it says
     * {@code useDefault}. Both come with every {@code events.list} page (and with {@code calendarList.get}).
     */
    public record CalendarDefaults(String timeZone, List<EventReminder> defaultReminders) {

        public static final CalendarDefaults NONE = new CalendarDefaults(null, List.of());

        public CalendarDefaults {
            defaultReminders = defaultReminders == null ? List.of() : List.copyOf(defaultReminders);
        }
    }

    /** Google takes at most five reminder overrides per event. */
    static final int MAX_REMINDER_OVERRIDES = 5;

    /** Google's limit for a reminder: four weeks. */
    static final int MAX_REMINDER_MINUTES = 40_320;

    /** The original start Google writes into an instance id: {@code _20261124T100000Z} or {@code _20261124}. */
    private static final Pattern INSTANCE_SUFFIX = Pattern.compile("_(\\d{8})(?:T(\\d{6})Z)?$");

    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter BASIC_UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** The client's marker for "send JSON null" in a DateTime field (a plain null leaves the field out). */
    private static final DateTime NO_DATE_TIME = Data.nullOf(DateTime.class);

    private GoogleEventMapper() {}

    // ---------------------------------------------------------------- Google -> ProviderEvent

    /** Maps one Google event; {@code calendar} fills in the zone and default reminders it does not carry itself. */
    public static ProviderEvent toProviderEvent(Event e, CalendarDefaults calendar) {
        CalendarDefaults defaults = calendar == null ? CalendarDefaults.NONE : calendar;
        EventDateTime start = e.getStart();
        EventDateTime end = e.getEnd();
        EventDateTime original = e.getOriginalStartTime();

        boolean allDay;
        LocalDate startDate = null;
        LocalDate endDate = null;
        Instant startTime = null;
        Instant endTime = null;
        if (start != null && start.getDate() != null) {
            allDay = true;
            startDate = date(start.getDate());
            LocalDate givenEnd = end == null || end.getDate() == null ? null : date(end.getDate());
            // The end is exclusive; a missing or non-advancing one would make an empty event.
            endDate = givenEnd == null || !givenEnd.isAfter(startDate) ? startDate.plusDays(1) : givenEnd;
            startTime = midnight(startDate);
            endTime = midnight(endDate);
        } else if (start != null && start.getDateTime() != null) {
            allDay = false;
            startTime = instant(start.getDateTime());
            endTime = end == null || end.getDateTime() == null ? startTime : instant(end.getDateTime());
        } else {
            // A cancelled occurrence: only its original start says whether the series is all-day.
            allDay = original != null ? original.getDate() != null : isDateSuffix(e.getId());
        }

        Instant originalStartTime = null;
        LocalDate originalStartDate = null;
        if (e.getRecurringEventId() != null) {
            if (original != null && original.getDate() != null) {
                originalStartDate = date(original.getDate());
                originalStartTime = midnight(originalStartDate);
            } else if (original != null && original.getDateTime() != null) {
                originalStartTime = instant(original.getDateTime());
            } else {
                // Incremental lists may send a cancelled occurrence with its ids only; its id still names the
                // original start (Google's instance-id convention), which the store needs to place the row.
                Matcher m = INSTANCE_SUFFIX.matcher(e.getId() == null ? "" : e.getId());
                if (m.find()) {
                    LocalDate d = LocalDate.parse(m.group(1), BASIC_DATE);
                    if (m.group(2) == null) {
                        originalStartDate = d;
                        originalStartTime = midnight(d);
                    } else {
                        originalStartTime = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + "Z", BASIC_UTC)
                                .toInstant(ZoneOffset.UTC);
                    }
                }
            }
        }

        String zone = Zones.toIana(start == null ? null : start.getTimeZone());
        if (zone == null && original != null) {
            zone = Zones.toIana(original.getTimeZone());
        }
        if (zone == null) {
            zone = Zones.toIana(defaults.timeZone());
        }

        Event.Organizer organizer = e.getOrganizer();
        return new ProviderEvent(
                e.getId(),
                e.getICalUID(),
                e.getSummary(),
                e.getDescription(),
                e.getLocation(),
                startTime,
                endTime,
                allDay,
                startDate,
                endDate,
                zone,
                status(e.getStatus()),
                e.getRecurringEventId() == null ? recurrence(e.getRecurrence()) : null,
                e.getRecurringEventId(),
                originalStartTime,
                originalStartDate,
                organizer == null ? null : organizer.getEmail(),
                e.getHtmlLink(),
                e.getEtag(),
                e.getUpdated() == null
                        ? null
                        : Instant.ofEpochMilli(e.getUpdated().getValue()),
                e.getSequence(),
                attendees(e.getAttendees()),
                reminders(e.getReminders(), defaults),
                io.calsync.model.domain.Availability.fromGoogleTransparency(e.getTransparency()));
    }

    /** What a write answered, in the port's terms. */
    static ProviderWriter.Written written(Event e) {
        return new ProviderWriter.Written(
                e.getId(),
                e.getEtag(),
                e.getUpdated() == null
                        ? null
                        : Instant.ofEpochMilli(e.getUpdated().getValue()),
                e.getHtmlLink(),
                e.getICalUID());
    }

    static EventStatus status(String status) {
        if (status == null) {
            return EventStatus.CONFIRMED;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "tentative" -> EventStatus.TENTATIVE;
            case "cancelled" -> EventStatus.CANCELLED;
            default -> EventStatus.CONFIRMED;
        };
    }

    /**
     * The lines the store keeps (RRULE, EXDATE, RDATE) in Google's order. EXRULE is dropped: RFC 5545 deprecated it,
     * Google no longer writes it and the expansion does not support it.
     */
    static List<String> recurrence(List<String> lines) {
        if (lines == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (line == null) {
                continue;
            }
            String l = line.strip();
            String upper = l.toUpperCase(Locale.ROOT);
            if (startsWithProperty(upper, "RRULE")
                    || startsWithProperty(upper, "EXDATE")
                    || startsWithProperty(upper, "RDATE")) {
                kept.add(l);
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    private static boolean startsWithProperty(String upperLine, String name) {
        return upperLine.startsWith(name)
                && upperLine.length() > name.length()
                && (upperLine.charAt(name.length()) == ':' || upperLine.charAt(name.length()) == ';');
    }

    private static List<ProviderEvent.Attendee> attendees(List<EventAttendee> attendees) {
        if (attendees == null) {
            return List.of();
        }
        List<ProviderEvent.Attendee> out = new ArrayList<>();
        for (EventAttendee a : attendees) {
            // Google may list an attendee by profile id only; without an email there is nothing to store or invite.
            if (a == null || a.getEmail() == null || a.getEmail().isBlank()) {
                continue;
            }
            out.add(new ProviderEvent.Attendee(
                    a.getEmail(),
                    a.getDisplayName(),
                    rsvp(a.getResponseStatus()),
                    Boolean.TRUE.equals(a.getOptional()),
                    Boolean.TRUE.equals(a.getOrganizer())));
        }
        return out;
    }

    static RsvpStatus rsvp(String responseStatus) {
        if (responseStatus == null) {
            return RsvpStatus.NEEDS_ACTION;
        }
        return switch (responseStatus) {
            case "accepted" -> RsvpStatus.ACCEPTED;
            case "declined" -> RsvpStatus.DECLINED;
            case "tentative" -> RsvpStatus.TENTATIVE;
            default -> RsvpStatus.NEEDS_ACTION;
        };
    }

    private static List<ProviderEvent.Reminder> reminders(Reminders reminders, CalendarDefaults calendar) {
        if (reminders == null) {
            return List.of();
        }
        List<EventReminder> source =
                Boolean.TRUE.equals(reminders.getUseDefault()) ? calendar.defaultReminders() : reminders.getOverrides();
        if (source == null) {
            return List.of();
        }
        List<ProviderEvent.Reminder> out = new ArrayList<>();
        for (EventReminder r : source) {
            ReminderMethod method = r == null ? null : reminderMethod(r.getMethod());
            if (method != null && r.getMinutes() != null && r.getMinutes() >= 0) {
                out.add(new ProviderEvent.Reminder(method, r.getMinutes()));
            }
        }
        return out;
    }

    static ReminderMethod reminderMethod(String method) {
        if (method == null) {
            return null;
        }
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "email" -> ReminderMethod.EMAIL;
            case "popup" -> ReminderMethod.POPUP;
            case "sms" -> ReminderMethod.SMS;
            default -> null;
        };
    }

    // ---------------------------------------------------------------- ProviderEvent -> Google

    /**
     * The body of an insert. Server-owned fields (id, etag, iCalUID, sequence, organizer, links) are left out; the
     * writer sets the id of a create. Reminders are always explicit overrides, since the row holds the event's
     * effective reminders.
     */
    public static Event toGoogle(ProviderEvent p) {
        return body(p, false);
    }

    /**
     * The body of an {@code events.patch}: exactly the fields the store holds (summary, description, location,
     * status, start, end, recurrence, attendees, reminders) and nothing else, so that what only Google holds
     * (conferenceData, attachments, colorId, extendedProperties, guest permissions, ...) survives our update. Patch
     * merges objects and replaces arrays, so a field we hold empty must say so: a null text goes as JSON
     * {@code null} (which clears it at Google), empty attendees as {@code []}, and start/end name all three of
     * {@code date}, {@code dateTime} and {@code timeZone} (the unused one as {@code null}), or a timed event moved to
     * a whole day would keep its old {@code dateTime} beside the new {@code date}. An instance of a series sends no
     * recurrence (instances have none at Google); a master without one sends {@code []}, which ends the series.
     */
    public static Event toGooglePatch(ProviderEvent p) {
        return body(p, true);
    }

    private static Event body(ProviderEvent p, boolean patch) {
        Event e = new Event()
                .setSummary(text(p.title(), patch))
                .setDescription(text(p.description(), patch))
                .setLocation(text(p.location(), patch))
                .setStatus(p.status().name().toLowerCase(Locale.ROOT));
        if (p.availability() == io.calsync.model.domain.Availability.FREE) {
            // Only "free" is sent: busy is Google's default, and a patch without it keeps what Google holds.
            e.setTransparency("transparent");
        }
        List<String> recurrence = p.isInstance() ? null : recurrence(p.recurrence());
        String zone = zoneOrNull(p.timezone());
        if (p.allDay()) {
            LocalDate startDate = p.startDate() != null ? p.startDate() : utcDate(p.startTime());
            LocalDate endDate = p.endDate() != null ? p.endDate() : utcDate(p.endTime());
            if (startDate != null) {
                if (endDate == null || !endDate.isAfter(startDate)) {
                    endDate = startDate.plusDays(1);
                }
                e.setStart(date(startDate, zone, patch));
                e.setEnd(date(endDate, zone, patch));
            }
        } else if (p.startTime() != null) {
            // Google expands a series in its start's zone and refuses a series without one; an instant without a
            // zone means UTC, so that is what the series gets.
            String eventZone = zone == null && recurrence != null ? "UTC" : zone;
            Instant endTime = p.endTime() == null || p.endTime().isBefore(p.startTime()) ? p.startTime() : p.endTime();
            e.setStart(dateTime(p.startTime(), eventZone, patch));
            e.setEnd(dateTime(endTime, eventZone, patch));
        }
        if (patch && !p.isInstance()) {
            e.setRecurrence(recurrence == null ? new ArrayList<>() : recurrence);
        } else {
            e.setRecurrence(recurrence);
        }
        List<EventAttendee> attendees = new ArrayList<>();
        for (ProviderEvent.Attendee a : p.attendees()) {
            if (a.email() == null || a.email().isBlank()) {
                continue;
            }
            EventAttendee g = new EventAttendee()
                    .setEmail(a.email())
                    .setDisplayName(a.displayName())
                    .setResponseStatus(responseStatus(a.responseStatus()));
            if (a.optional()) {
                g.setOptional(true);
            }
            // "organizer" is read-only at Google: the calendar's owner is the organizer.
            attendees.add(g);
        }
        e.setAttendees(attendees.isEmpty() && !patch ? null : attendees);
        e.setReminders(new Reminders().setUseDefault(false).setOverrides(overrides(p.reminders())));
        return e;
    }

    /** A text field: an insert leaves a null one out, a patch clears it with JSON null. */
    private static String text(String value, boolean patch) {
        return value == null && patch ? Data.NULL_STRING : value;
    }

    /**
     * Google's reminder overrides: email and popup only (the API refuses {@code sms} since Google retired SMS
     * notifications), within its bounds, at most five.
     */
    private static List<EventReminder> overrides(List<ProviderEvent.Reminder> reminders) {
        List<EventReminder> out = new ArrayList<>();
        for (ProviderEvent.Reminder r : reminders) {
            if (out.size() == MAX_REMINDER_OVERRIDES) {
                break;
            }
            String method = switch (r.method()) {
                case EMAIL -> "email";
                case POPUP -> "popup";
                case SMS -> null;
            };
            if (method != null && r.minutesBefore() >= 0 && r.minutesBefore() <= MAX_REMINDER_MINUTES) {
                out.add(new EventReminder().setMethod(method).setMinutes(r.minutesBefore()));
            }
        }
        return out;
    }

    static String responseStatus(RsvpStatus status) {
        if (status == null) {
            return "needsAction";
        }
        return switch (status) {
            case ACCEPTED -> "accepted";
            case DECLINED -> "declined";
            case TENTATIVE -> "tentative";
            case NEEDS_ACTION -> "needsAction";
        };
    }

    /**
     * The id Google gives the instance of series {@code masterId} that {@code instance} overrides or cancels:
     * {@code <masterId>_<original start in UTC basic format>}, or {@code _<yyyyMMdd>} in an all-day series.
     */
    static String instanceId(String masterId, ProviderEvent instance) {
        if (instance.originalStartDate() != null) {
            return masterId + "_" + BASIC_DATE.format(instance.originalStartDate());
        }
        if (instance.originalStartTime() == null) {
            throw new IllegalArgumentException("an instance of a series needs its original start");
        }
        if (instance.allDay()) {
            return masterId + "_" + BASIC_DATE.format(utcDate(instance.originalStartTime()));
        }
        return masterId + "_" + BASIC_UTC.format(instance.originalStartTime().atOffset(ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- times

    /** A Google date (date-only DateTime) as a LocalDate. */
    private static LocalDate date(DateTime d) {
        if (d.isDateOnly()) {
            return LocalDate.parse(d.toStringRfc3339());
        }
        return utcDate(instant(d));
    }

    private static Instant instant(DateTime d) {
        return Instant.ofEpochMilli(d.getValue());
    }

    private static Instant midnight(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate utcDate(Instant i) {
        return i == null ? null : LocalDate.ofInstant(i, ZoneOffset.UTC);
    }

    private static boolean isDateSuffix(String id) {
        Matcher m = INSTANCE_SUFFIX.matcher(id == null ? "" : id);
        return m.find() && m.group(2) == null;
    }

    /**
     * The instant with the offset its zone has then (readable at Google), plus the zone name when known. A patch
     * clears the {@code date} the event may have had and a zone it no longer has.
     */
    private static EventDateTime dateTime(Instant instant, String zone, boolean patch) {
        int offsetMinutes = 0;
        if (zone != null) {
            offsetMinutes = ZoneId.of(zone).getRules().getOffset(instant).getTotalSeconds() / 60;
        }
        EventDateTime t = new EventDateTime()
                .setDateTime(new DateTime(instant.toEpochMilli(), offsetMinutes))
                .setTimeZone(zone);
        if (patch) {
            t.setDate(NO_DATE_TIME);
            if (zone == null) {
                t.setTimeZone(Data.NULL_STRING);
            }
        }
        return t;
    }

    /**
     * A whole day. An insert sends the date alone; a patch clears the {@code dateTime} the event may have had and
     * names the event's zone (Google's zone of a series' expansion) or clears it.
     */
    private static EventDateTime date(LocalDate day, String zone, boolean patch) {
        EventDateTime t = new EventDateTime().setDate(new DateTime(day.toString()));
        if (patch) {
            t.setDateTime(NO_DATE_TIME).setTimeZone(zone == null ? Data.NULL_STRING : zone);
        }
        return t;
    }

    private static String zoneOrNull(String zone) {
        String iana = Zones.toIana(zone);
        if (iana == null) {
            return null;
        }
        try {
            ZoneId.of(iana);
            return iana;
        } catch (DateTimeException unknown) {
            return null;
        }
    }
}
