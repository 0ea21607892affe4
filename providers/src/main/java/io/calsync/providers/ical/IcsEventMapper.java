package io.calsync.providers.ical;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.ical.IcsTimes.FeedZone;
import io.calsync.providers.ical.IcsTimes.When;
import io.calsync.providers.port.ProviderEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateListProperty;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.RDate;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed feed's VEVENTs as {@link ProviderEvent}s. Never throws for a feed's content: an event that cannot be
 * mapped is skipped, logged (its UID and the reason) and counted in {@link Mapping#skipped()}; the others map.
 *
 * <p><b>Ids.</b> A single event or series master is its {@code UID}; an override (with {@code RECURRENCE-ID}) is
 * {@code UID_<original start>} (UTC basic form {@code 20261124T100000Z}, or {@code 20261124} for a date), the
 * API's occurrence-id convention, with {@code providerRecurringId = UID}. A VEVENT without a UID (hand-written and
 * script-made feeds have them) gets {@code nouid-} and a hash of its DTSTART and SUMMARY: the feed offers nothing
 * else that stays the same from one refresh to the next, and a random id would make the engine delete and insert
 * it on every pass. Editing such an event's start or title therefore replaces it, which is all a feed without ids
 * can support; two of them with the same start and title are one event. Its RECURRENCE-ID, if any, can point at
 * no master and is ignored. An id longer than the store's column (1,024) is replaced by a hash of itself, the same
 * way for a master and its overrides' {@code providerRecurringId}.
 *
 * <p><b>Duplicates.</b> Feeds that merge calendars, or export every revision, repeat an event (same UID and no
 * RECURRENCE-ID, or the same override twice). One is kept: the highest {@code SEQUENCE}, then the latest
 * {@code LAST-MODIFIED} (else {@code DTSTAMP}), then the later in the feed (exporters append the newer revision).
 * Those dropped are counted in {@link Mapping#duplicates()}.
 *
 * <p><b>Overrides and their master</b> (when the feed has it): a RECURRENCE-ID of the other value type than the
 * master's DTSTART (Exchange writes local midnight for all-day series) is read as the master's type, so that it
 * names the occurrence the master produces; an override of an occurrence that the master removes with EXDATE is a
 * CANCELLED instance (it survives from before the series was edited).
 *
 * <p><b>Times</b> are read as {@link IcsTimes} describes. No DTEND: a date start lasts one day, a date-time start
 * lasts no time; DURATION counts from the start (in the start's zone, so {@code P1D} is a calendar day). An end
 * before the start is taken as the two written the wrong way round and swapped, except for a series master, whose
 * DTSTART anchors its rule: there the end becomes the start. An end of the other value type than the start (a date
 * end of a timed event) is converted to the start's type.
 *
 * <p><b>Recurrence</b> (masters only): {@code RRULE} as written, with its {@code UNTIL} in the master's value type
 * (a UTC instant for a timed master, a date for an all-day one); {@code RDATE} and {@code EXDATE} rewritten to UTC
 * {@code ...Z} values, or to {@code VALUE=DATE} values for an all-day master. The gateway's expander thus reads them
 * without the feed's VTIMEZONE. A date EXDATE of a timed series excludes the occurrence at the
 * series' start time on that date; an RDATE period contributes its start. {@code EXRULE} (deprecated by RFC 5545)
 * is dropped, as are recurrence lines of overrides.
 *
 * <p><b>The rest.</b> {@code STATUS} (unknown values are CONFIRMED); SUMMARY (several SUMMARY lines are joined with
 * " - "), DESCRIPTION, LOCATION; {@code ORGANIZER} and {@code ATTENDEE} by their {@code EMAIL} parameter (RFC 7986),
 * else their {@code mailto:} address, with {@code CN}, {@code PARTSTAT} and {@code ROLE=OPT-PARTICIPANT} as optional; a VALARM
 * whose TRIGGER is relative to the start and not after it is a reminder (EMAIL for {@code ACTION:EMAIL}, else
 * POPUP); {@code URL} is the link; {@code LAST-MODIFIED} (else {@code DTSTAMP}) and {@code SEQUENCE} (0 when absent,
 * RFC 5545's default) version the event. Values longer than the store's columns are cut (titles, display names) or
 * dropped (e-mail addresses that cannot be real).
 */
public class IcsEventMapper {

    private static final Logger log = LoggerFactory.getLogger(IcsEventMapper.class);

    /** Skipped events are logged one line each up to this many per feed, then only counted. */
    static final int LOGGED_SKIPS = 20;

    /** The store's column sizes ({@code calendar_events}, {@code event_attendees}). */
    static final int MAX_ID = 1024;

    static final int MAX_TITLE = 1024;
    static final int MAX_EMAIL = 320;
    static final int MAX_DISPLAY_NAME = 512;

    private static final Pattern MAILTO = Pattern.compile("^mailto:", Pattern.CASE_INSENSITIVE);

    private static final DateTimeFormatter LOCAL_BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    /**
     * What a feed mapped to. Every VEVENT of the feed is either one of {@code events}, one of {@code skipped}, or
     * one of {@code duplicates}.
     */
    public record Mapping(List<ProviderEvent> events, List<Skip> skipped, int duplicates) {

        public Mapping {
            events = List.copyOf(events);
            skipped = List.copyOf(skipped);
        }
    }

    /** A VEVENT left out, with its UID (null when it has none) and why. */
    public record Skip(String uid, String reason) {}

    /** The feed's events, unattributed in the logs. */
    public Mapping map(IcsFeed feed) {
        return map(feed, null);
    }

    /**
     * @param connectionId the connection the feed belongs to, for the log lines of skipped events (or null)
     */
    public Mapping map(IcsFeed feed, UUID connectionId) {
        FeedZone zone = FeedZone.of(feed.timezone());
        List<Mapped> mapped = new ArrayList<>(feed.events().size());
        List<Skip> skipped = new ArrayList<>();
        for (VEvent event : feed.events()) {
            try {
                mapped.add(event(event, zone, mapped.size()));
            } catch (RuntimeException e) {
                String uid = uidOf(event);
                Skip skip = new Skip(uid, reason(e));
                skipped.add(skip);
                if (skipped.size() <= LOGGED_SKIPS) {
                    log.warn(
                            "ICS event skipped connectionId={} uid={} reason={}",
                            connectionId,
                            loggable(uid),
                            skip.reason());
                }
            }
        }
        if (skipped.size() > LOGGED_SKIPS) {
            log.warn(
                    "ICS events skipped connectionId={} skipped={} (first {} logged)",
                    connectionId,
                    skipped.size(),
                    LOGGED_SKIPS);
        }
        Map<String, Mapped> masters = new HashMap<>();
        for (Mapped m : mapped) {
            if (m.recurrenceId() == null && m.event().recurrence() != null) {
                masters.merge(m.event().providerEventId(), m, (a, b) -> b.newerThan(a) ? b : a);
            }
        }
        Map<String, Mapped> byId = new LinkedHashMap<>();
        int duplicates = 0;
        for (Mapped m : mapped) {
            Mapped aligned = m.recurrenceId() == null
                    ? m
                    : m.alignedTo(masters.get(m.event().providerRecurringId()));
            Mapped earlier = byId.putIfAbsent(aligned.event().providerEventId(), aligned);
            if (earlier != null) {
                duplicates++;
                if (aligned.newerThan(earlier)) {
                    byId.put(aligned.event().providerEventId(), aligned);
                }
            }
        }
        List<ProviderEvent> events = new ArrayList<>(byId.size());
        for (Mapped m : byId.values()) {
            events.add(m.event());
        }
        return new Mapping(cancelExcludedOverrides(events), skipped, duplicates);
    }

    /**
     * One VEVENT mapped, with what the feed-wide steps need: its DTSTART and RECURRENCE-ID as read, the id its UID
     * gave (before any hashing), and where it stood in the feed.
     */
    private record Mapped(ProviderEvent event, When start, When recurrenceId, String baseId, int position) {

        /** Which of two versions of one event to keep (see the class comment). */
        boolean newerThan(Mapped other) {
            int bySequence = Integer.compare(sequence(event), sequence(other.event));
            if (bySequence != 0) {
                return bySequence > 0;
            }
            Instant mine = event.providerUpdatedAt();
            Instant theirs = other.event.providerUpdatedAt();
            if (mine != null && theirs != null && !mine.equals(theirs)) {
                return mine.isAfter(theirs);
            }
            if ((mine == null) != (theirs == null)) {
                return mine != null;
            }
            return position > other.position;
        }

        private static int sequence(ProviderEvent e) {
            return e.sequence() == null ? 0 : e.sequence();
        }

        /**
         * An override whose RECURRENCE-ID is not of its master's value type, as Exchange writes them for all-day
         * series ({@code RECURRENCE-ID;TZID=...:20210409T000000}): re-read as the master's type, so that its id and
         * original start name the occurrence the master produces. A date-time of an all-day series is its wall
         * date; a date of a timed series is that date at the series' start time.
         */
        Mapped alignedTo(Mapped master) {
            if (master == null || master.event.allDay() == recurrenceId.isDate()) {
                return this;
            }
            try {
                return aligned(master);
            } catch (RuntimeException e) {
                return this; // an original start that cannot be re-read keeps the one the feed wrote
            }
        }

        private Mapped aligned(Mapped master) {
            When original = master.event.allDay()
                    ? When.ofDate(recurrenceId.wallDate())
                    : IcsTimes.checked(
                            Property.RECURRENCE_ID,
                            new When(
                                    null,
                                    recurrenceId
                                            .date()
                                            .atTime(master.start.wallTime())
                                            .atZone(master.start.zone())
                                            .toInstant(),
                                    master.start.zone(),
                                    master.start.iana()));
            ProviderEvent e = copy(
                    event,
                    fit(baseId + "_" + original.basic()),
                    event.status(),
                    original.instant(),
                    original.isDate() ? original.date() : null);
            return new Mapped(e, start, original, baseId, position);
        }
    }

    /**
     * An override of an occurrence that its master's EXDATE removes is left over from before the series was edited
     * (Thunderbird and Google keep such VEVENTs after "delete this occurrence"): the occurrence is gone, so the
     * override is a CANCELLED instance rather than an event of its own.
     */
    private static List<ProviderEvent> cancelExcludedOverrides(List<ProviderEvent> events) {
        Map<String, Set<String>> excludedBySeries = new HashMap<>();
        Map<String, Boolean> allDayBySeries = new HashMap<>();
        for (ProviderEvent e : events) {
            if (e.isInstance() || e.recurrence() == null) {
                continue;
            }
            Set<String> excluded = new HashSet<>();
            for (String line : e.recurrence()) {
                if (line.startsWith("EXDATE")) {
                    excluded.addAll(
                            Arrays.asList(line.substring(line.indexOf(':') + 1).split(",")));
                }
            }
            if (!excluded.isEmpty()) {
                excludedBySeries.put(e.providerEventId(), excluded);
                allDayBySeries.put(e.providerEventId(), e.allDay());
            }
        }
        if (excludedBySeries.isEmpty()) {
            return events;
        }
        List<ProviderEvent> out = new ArrayList<>(events.size());
        for (ProviderEvent e : events) {
            Set<String> excluded = e.isInstance() && e.status() != EventStatus.CANCELLED
                    ? excludedBySeries.get(e.providerRecurringId())
                    : null;
            if (excluded == null) {
                out.add(e);
                continue;
            }
            String original = allDayBySeries.get(e.providerRecurringId())
                    ? IcsTimes.DATE_BASIC.format(
                            e.originalStartDate() != null
                                    ? e.originalStartDate()
                                    : LocalDate.ofInstant(e.originalStartTime(), ZoneOffset.UTC))
                    : IcsTimes.UTC_BASIC.format(e.originalStartTime());
            out.add(
                    excluded.contains(original)
                            ? copy(
                                    e,
                                    e.providerEventId(),
                                    EventStatus.CANCELLED,
                                    e.originalStartTime(),
                                    e.originalStartDate())
                            : e);
        }
        return out;
    }

    /** {@code e} with another id, status or original start. */
    private static ProviderEvent copy(
            ProviderEvent e, String id, EventStatus status, Instant originalStartTime, LocalDate originalStartDate) {
        return new ProviderEvent(
                id,
                e.iCalUid(),
                e.title(),
                e.description(),
                e.location(),
                e.startTime(),
                e.endTime(),
                e.allDay(),
                e.startDate(),
                e.endDate(),
                e.timezone(),
                status,
                e.recurrence(),
                e.providerRecurringId(),
                originalStartTime,
                originalStartDate,
                e.organizerEmail(),
                e.htmlLink(),
                e.etag(),
                e.providerUpdatedAt(),
                e.sequence(),
                e.attendees(),
                e.reminders(),
                e.availability());
    }

    /** The properties of one VEVENT that matter, gathered in one pass over its property list. */
    private static final class Props {
        String uid;
        DateProperty<?> start;
        DateProperty<?> end;
        Property duration;
        DateProperty<?> recurrenceId;
        final List<String> summaries = new ArrayList<>(1);
        String description;
        String location;
        String status;
        String transp;
        final List<Property> rrules = new ArrayList<>(1);
        final List<DateListProperty<?>> rdates = new ArrayList<>(0);
        final List<DateListProperty<?>> exdates = new ArrayList<>(0);
        Property organizer;
        final List<Property> attendees = new ArrayList<>(0);
        String url;
        DateProperty<?> lastModified;
        DateProperty<?> stamp;
        Property sequence;

        static Props of(VEvent event) {
            Props p = new Props();
            List<Property> properties = event.getProperties();
            for (Property property : properties) {
                p.take(property);
            }
            return p;
        }

        /**
         * The first of each single-valued property wins (a repeated DTSTART is a broken feed, not a change). A
         * property of an unexpected type (ical4j makes a plain one of what it could not type) is not kept.
         */
        private void take(Property property) {
            switch (property.getName()) {
                case Property.UID -> uid = uid != null ? uid : strippedText(property);
                case Property.DTSTART -> start = start != null ? start : date(property);
                case Property.DTEND -> end = end != null ? end : date(property);
                case Property.DURATION -> duration = duration != null ? duration : property;
                case Property.RECURRENCE_ID -> recurrenceId = recurrenceId != null ? recurrenceId : date(property);
                case Property.SUMMARY -> {
                    String s = text(property);
                    if (s != null && !summaries.contains(s)) {
                        summaries.add(s);
                    }
                }
                case Property.DESCRIPTION -> description = description != null ? description : text(property);
                case Property.LOCATION -> location = location != null ? location : text(property);
                case Property.STATUS -> status = status != null ? status : text(property);
                case Property.TRANSP -> transp = transp != null ? transp : text(property);
                case Property.RRULE -> rrules.add(property);
                case Property.RDATE, Property.EXDATE -> {
                    if (property instanceof DateListProperty<?> dates) {
                        (property.getName().equals(Property.RDATE) ? rdates : exdates).add(dates);
                    }
                }
                case Property.ORGANIZER -> organizer = organizer != null ? organizer : property;
                case Property.ATTENDEE -> attendees.add(property);
                case Property.URL -> url = url != null ? url : strippedText(property);
                case Property.LAST_MODIFIED -> lastModified = lastModified != null ? lastModified : date(property);
                case Property.DTSTAMP -> stamp = stamp != null ? stamp : date(property);
                case Property.SEQUENCE -> sequence = sequence != null ? sequence : property;
                default -> {
                    // not kept
                }
            }
        }

        private static DateProperty<?> date(Property property) {
            return property instanceof DateProperty<?> date ? date : null;
        }

        private static String strippedText(Property property) {
            String v = text(property);
            return v == null ? null : v.strip();
        }
    }

    private Mapped event(VEvent event, FeedZone zone, int position) {
        Props p = Props.of(event);
        if (p.start == null) {
            throw new IllegalArgumentException("no DTSTART");
        }
        When start = IcsTimes.read(p.start, zone);
        String title = title(p.summaries);
        When recurrenceId = p.uid != null && p.recurrenceId != null ? IcsTimes.read(p.recurrenceId, zone) : null;

        String baseId = p.uid != null ? p.uid : syntheticId(p.start, title);
        String id = fit(recurrenceId == null ? baseId : baseId + "_" + recurrenceId.basic());
        String recurringId = recurrenceId == null ? null : fit(baseId);

        List<String> recurrence = recurrenceId == null ? recurrence(p, start, zone) : List.of();
        boolean series = recurrence.stream().anyMatch(l -> l.startsWith("RRULE:"));

        Instant startTime;
        Instant endTime;
        LocalDate startDate = null;
        LocalDate endDate = null;
        String timezone;
        if (start.isDate()) {
            startDate = start.date();
            endDate = endDate(p, start, zone);
            if (endDate.isBefore(startDate) && !series) {
                LocalDate written = startDate;
                startDate = endDate;
                endDate = written;
            }
            if (!endDate.isAfter(startDate)) {
                endDate = startDate.plusDays(1);
            }
            startTime = startDate.atStartOfDay(ZoneOffset.UTC).toInstant();
            endTime = endDate.atStartOfDay(ZoneOffset.UTC).toInstant();
            timezone = null;
        } else {
            startTime = start.instant();
            endTime = endTime(p, start, zone);
            if (endTime.isBefore(startTime)) {
                Instant written = startTime;
                startTime = series ? startTime : endTime;
                endTime = written;
            }
            timezone = start.iana();
        }

        String organizer = p.organizer == null ? null : email(p.organizer);
        ProviderEvent mapped = new ProviderEvent(
                id,
                p.uid != null && p.uid.length() <= MAX_ID ? p.uid : null,
                title,
                p.description,
                p.location,
                startTime,
                endTime,
                start.isDate(),
                startDate,
                endDate,
                timezone,
                status(p.status),
                recurrence,
                recurringId,
                recurrenceId == null ? null : recurrenceId.instant(),
                recurrenceId == null ? null : recurrenceId.date(),
                organizer,
                p.url,
                null,
                updatedAt(p),
                sequence(p.sequence),
                attendees(p.attendees, organizer),
                reminders(event),
                io.calsync.model.domain.Availability.fromIcsTransp(p.transp));
        return new Mapped(mapped, start, recurrenceId, baseId, position);
    }

    // --- identity ---------------------------------------------------------------------------------------------

    private static String syntheticId(DateProperty<?> start, String title) {
        String tzid = IcsTimes.tzid(start);
        String key = (tzid == null ? "" : tzid) + ":" + start.getValue() + "\n" + (title == null ? "" : title);
        return "nouid-" + sha256(key).substring(0, 32);
    }

    /** The id as it is, or a hash of it when it would not fit the store's column. */
    static String fit(String id) {
        return id.length() <= MAX_ID ? id : "sha256-" + sha256(id);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    // --- times ------------------------------------------------------------------------------------------------

    private static LocalDate endDate(Props p, When start, FeedZone zone) {
        if (p.end != null) {
            When end = readOrNull(p.end, zone);
            if (end != null) {
                // A date-time end of an all-day event ends on the day it falls in (the next one if past midnight).
                LocalDate date = end.wallDate();
                return end.isDate() || end.wallTime().equals(LocalTime.MIDNIGHT) ? date : date.plusDays(1);
            }
        }
        TemporalAmount duration = duration(p.duration);
        if (duration instanceof Period period) {
            return start.date().plus(period);
        }
        if (duration instanceof Duration d) {
            long days = Math.ceilDiv(d.getSeconds(), 86_400L);
            return start.date().plusDays(Math.max(days, 1));
        }
        return start.date().plusDays(1);
    }

    private static Instant endTime(Props p, When start, FeedZone zone) {
        if (p.end != null) {
            When end = readOrNull(p.end, zone);
            if (end != null) {
                return end.isDate() ? end.date().atStartOfDay(start.zone()).toInstant() : end.instant();
            }
        }
        TemporalAmount duration = duration(p.duration);
        if (duration != null) {
            // In the start's zone: P1D across a DST change is the same wall time the next day.
            return start.instant().atZone(start.zone()).plus(duration).toInstant();
        }
        return start.instant();
    }

    /** An end that cannot be read is no end: the event keeps its start and the default length. */
    private static When readOrNull(DateProperty<?> property, FeedZone zone) {
        try {
            return IcsTimes.read(property, zone);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static TemporalAmount duration(Property property) {
        if (!(property instanceof net.fortuna.ical4j.model.property.Duration d)) {
            return null;
        }
        try {
            TemporalAmount amount = d.getDuration();
            if (amount instanceof Duration x && x.abs().compareTo(Duration.ofDays(3660)) > 0) {
                return null; // ten years and more is a broken value, not an event
            }
            return amount instanceof Period || amount instanceof Duration ? amount : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // --- recurrence -------------------------------------------------------------------------------------------

    private static List<String> recurrence(Props p, When start, FeedZone zone) {
        if (p.rrules.isEmpty() && p.rdates.isEmpty()) {
            return List.of(); // EXDATEs without anything to exclude from mean nothing
        }
        List<String> lines = new ArrayList<>(p.rrules.size() + p.rdates.size() + p.exdates.size());
        for (Property rrule : p.rrules) {
            String value = rrule.getValue();
            if (value != null && !value.isBlank()) {
                lines.add("RRULE:" + until(value.strip(), start, zone));
            }
        }
        for (DateListProperty<?> rdate : p.rdates) {
            String line = dateList("RDATE", rdate, start, zone);
            if (line != null) {
                lines.add(line);
            }
        }
        for (DateListProperty<?> exdate : p.exdates) {
            String line = dateList("EXDATE", exdate, start, zone);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * UNTIL in the form the master's DTSTART has, as RFC 5545 requires and the gateway's expander compares it.
     * A timed master: a date is the end of that day and a floating date-time is read, both in the series' zone,
     * then written as UTC. An all-day master: a date-time becomes the date it falls on in the calendar's zone,
     * because that is what exporters mean by it (Exchange writes local midnight of the last day, Apple local
     * 23:59:59, both converted to UTC; the UTC date of the first is the day before).
     */
    static String until(String rule, When start, FeedZone zone) {
        int at = indexOfPart(rule, "UNTIL=");
        if (at < 0) {
            return rule;
        }
        int end = rule.indexOf(';', at);
        String value = rule.substring(at + 6, end < 0 ? rule.length() : end).strip();
        String normalised;
        try {
            if (start.isDate()) {
                normalised = untilDate(value, zone);
            } else if (value.length() == 8) {
                LocalDate date = LocalDate.parse(value, IcsTimes.DATE_BASIC);
                normalised = IcsTimes.UTC_BASIC.format(date.plusDays(1)
                        .atStartOfDay(start.zone())
                        .minusSeconds(1)
                        .toInstant());
            } else if (value.length() == 15 && value.charAt(8) == 'T') {
                normalised = IcsTimes.UTC_BASIC.format(LocalDateTime.parse(value, LOCAL_BASIC)
                        .atZone(start.zone())
                        .toInstant());
            } else {
                normalised = null;
            }
        } catch (RuntimeException e) {
            normalised = null; // the expander gets the rule as the feed wrote it
        }
        if (normalised == null) {
            return rule;
        }
        return rule.substring(0, at + 6) + normalised + (end < 0 ? "" : rule.substring(end));
    }

    private static String untilDate(String value, FeedZone zone) {
        if (value.length() == 16 && value.charAt(8) == 'T' && value.endsWith("Z")) {
            Instant until =
                    LocalDateTime.parse(value.substring(0, 15), LOCAL_BASIC).toInstant(ZoneOffset.UTC);
            return IcsTimes.DATE_BASIC.format(until.atZone(zone.zone()).toLocalDate());
        }
        if (value.length() == 15 && value.charAt(8) == 'T') {
            return value.substring(0, 8);
        }
        return null;
    }

    private static int indexOfPart(String rule, String name) {
        String upper = rule.toUpperCase(Locale.ROOT);
        int at = upper.indexOf(name);
        while (at > 0 && upper.charAt(at - 1) != ';') {
            at = upper.indexOf(name, at + 1);
        }
        return at;
    }

    /**
     * An RDATE or EXDATE line in the form the gateway's expander reads without a VTIMEZONE: {@code NAME:...Z,...Z}
     * for a timed master, {@code NAME;VALUE=DATE:yyyyMMdd,...} for an all-day one. Null when no value is readable.
     */
    private static String dateList(String name, DateListProperty<?> property, When start, FeedZone zone) {
        String tzid = IcsTimes.tzid(property);
        List<When> values = new ArrayList<>();
        try {
            if (property instanceof RDate<?> rdate) {
                Optional<? extends Set<? extends net.fortuna.ical4j.model.Period<?>>> periods = rdate.getPeriods();
                if (periods.isPresent()) {
                    for (net.fortuna.ical4j.model.Period<?> period : periods.get()) {
                        values.add(IcsTimes.of(period.getStart(), tzid, zone));
                    }
                }
            }
            if (values.isEmpty()) {
                for (Temporal t : property.getDates()) {
                    values.add(IcsTimes.of(t, tzid, zone));
                }
            }
        } catch (RuntimeException unreadable) {
            values.clear();
            String text = property.getValue();
            for (String part : text == null ? new String[0] : text.split(",")) {
                try {
                    values.add(IcsTimes.raw(name, part, tzid, zone));
                } catch (RuntimeException e) {
                    // one unreadable value excludes (or adds) nothing
                }
            }
        }
        Set<String> tokens = new LinkedHashSet<>();
        for (When w : values) {
            if (start.isDate()) {
                tokens.add(IcsTimes.DATE_BASIC.format(w.wallDate()));
            } else if (w.isDate()) {
                Instant at =
                        w.date().atTime(start.wallTime()).atZone(start.zone()).toInstant();
                tokens.add(IcsTimes.UTC_BASIC.format(at));
            } else {
                tokens.add(IcsTimes.UTC_BASIC.format(w.instant()));
            }
        }
        if (tokens.isEmpty()) {
            return null;
        }
        return (start.isDate() ? name + ";VALUE=DATE:" : name + ":") + String.join(",", tokens);
    }

    // --- people -----------------------------------------------------------------------------------------------

    private static List<ProviderEvent.Attendee> attendees(List<Property> properties, String organizer) {
        if (properties.isEmpty()) {
            return List.of();
        }
        Map<String, ProviderEvent.Attendee> byEmail = new LinkedHashMap<>();
        for (Property a : properties) {
            String email = email(a);
            if (email == null) {
                continue;
            }
            String name = param(a, Parameter.CN);
            String role = param(a, Parameter.ROLE);
            byEmail.putIfAbsent(
                    email.toLowerCase(Locale.ROOT),
                    new ProviderEvent.Attendee(
                            email,
                            name == null ? null : cut(name, MAX_DISPLAY_NAME),
                            rsvp(param(a, Parameter.PARTSTAT)),
                            "OPT-PARTICIPANT".equalsIgnoreCase(role),
                            email.equalsIgnoreCase(organizer)));
        }
        return List.copyOf(byEmail.values());
    }

    /**
     * The address of an ORGANIZER or ATTENDEE: its {@code EMAIL} parameter (RFC 7986 has it exactly for a calendar
     * address that is not the person's e-mail, such as an opaque token), else its {@code mailto:} value; null if
     * neither is an address.
     */
    private static String email(Property property) {
        String email = param(property, "EMAIL");
        if (email != null && MAILTO.matcher(email).lookingAt()) {
            email = email.substring(7).strip();
        }
        if (email == null || email.indexOf('@') <= 0) {
            String value = property.getValue();
            email = value != null && MAILTO.matcher(value.strip()).lookingAt()
                    ? value.strip().substring(7).strip()
                    : null;
        }
        if (email == null || email.indexOf('@') <= 0 || email.length() > MAX_EMAIL) {
            return null;
        }
        return email;
    }

    private static String param(Property property, String name) {
        Optional<Parameter> p = property.getParameter(name);
        if (p.isEmpty()) {
            return null;
        }
        String v = p.get().getValue();
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static RsvpStatus rsvp(String partstat) {
        if (partstat == null) {
            return RsvpStatus.NEEDS_ACTION;
        }
        return switch (partstat.toUpperCase(Locale.ROOT)) {
            case "ACCEPTED" -> RsvpStatus.ACCEPTED;
            case "DECLINED" -> RsvpStatus.DECLINED;
            case "TENTATIVE" -> RsvpStatus.TENTATIVE;
            default -> RsvpStatus.NEEDS_ACTION; // NEEDS-ACTION, DELEGATED, and the to-do values
        };
    }

    // --- reminders --------------------------------------------------------------------------------------------

    private static List<ProviderEvent.Reminder> reminders(VEvent event) {
        List<VAlarm> alarms = event.getAlarms();
        if (alarms.isEmpty()) {
            return List.of();
        }
        Set<ProviderEvent.Reminder> reminders = new LinkedHashSet<>();
        for (VAlarm alarm : alarms) {
            try {
                ProviderEvent.Reminder r = reminder(alarm);
                if (r != null) {
                    reminders.add(r);
                }
            } catch (RuntimeException e) {
                // an unreadable alarm is no reminder; the event stays
            }
        }
        return List.copyOf(reminders);
    }

    private static ProviderEvent.Reminder reminder(VAlarm alarm) {
        Optional<Property> found = alarm.getProperty(Property.TRIGGER);
        if (found.isEmpty() || !(found.get() instanceof Trigger trigger)) {
            return null;
        }
        String related = param(trigger, Parameter.RELATED);
        if (related != null && !related.equalsIgnoreCase("START")) {
            return null; // relative to the end: not a time before the start
        }
        TemporalAmount amount = trigger.getDuration();
        long seconds;
        if (amount instanceof Duration d) {
            seconds = d.getSeconds();
        } else if (amount instanceof Period period) {
            seconds = (period.toTotalMonths() * 30L + period.getDays()) * 86_400L; // a month in a TRIGGER is invalid
        } else {
            return null; // absolute: a date-time, not "so long before"
        }
        if (seconds > 0) {
            return null; // after the start
        }
        long minutes = -seconds / 60;
        if (minutes > Integer.MAX_VALUE) {
            return null;
        }
        String action =
                alarm.getProperty(Property.ACTION).map(Property::getValue).orElse("");
        ReminderMethod method = "EMAIL".equalsIgnoreCase(action.strip()) ? ReminderMethod.EMAIL : ReminderMethod.POPUP;
        return new ProviderEvent.Reminder(method, (int) minutes);
    }

    // --- small values -----------------------------------------------------------------------------------------

    private static String title(List<String> summaries) {
        if (summaries.isEmpty()) {
            return null;
        }
        return cut(summaries.size() == 1 ? summaries.getFirst() : String.join(" - ", summaries), MAX_TITLE);
    }

    private static EventStatus status(String status) {
        if (status == null) {
            return EventStatus.CONFIRMED;
        }
        return switch (status.strip().toUpperCase(Locale.ROOT)) {
            case "TENTATIVE" -> EventStatus.TENTATIVE;
            case "CANCELLED", "CANCELED" -> EventStatus.CANCELLED;
            default -> EventStatus.CONFIRMED;
        };
    }

    private static Instant updatedAt(Props p) {
        Instant modified = instantOrNull(p.lastModified);
        return modified != null ? modified : instantOrNull(p.stamp);
    }

    private static Instant instantOrNull(DateProperty<?> property) {
        if (property == null) {
            return null;
        }
        try {
            Temporal t = property.getDate();
            return t == null ? null : IcsTimes.of(t, null, FeedZone.UTC).instant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Integer sequence(Property property) {
        if (property instanceof Sequence s) {
            try {
                return Math.max(0, s.getSequenceNo());
            } catch (RuntimeException e) {
                return 0;
            }
        }
        return 0;
    }

    private static String text(Property property) {
        String v = property.getValue();
        return v == null || v.isBlank() ? null : v;
    }

    /** At most {@code max} UTF-16 units (so at most as many characters), never half a surrogate pair. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static String uidOf(VEvent event) {
        try {
            return event.getProperty(Property.UID).map(Property::getValue).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        String reason = e instanceof IllegalArgumentException && message != null
                ? message
                : e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        reason = reason.replaceAll("\\s+", " ").strip();
        return reason.length() > 160 ? reason.substring(0, 157) + "..." : reason;
    }

    /** A UID for a log line: one line, bounded. */
    private static String loggable(String uid) {
        if (uid == null) {
            return null;
        }
        String one = uid.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 120 ? one.substring(0, 117) + "..." : one;
    }
}
