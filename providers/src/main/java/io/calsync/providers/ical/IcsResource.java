package io.calsync.providers.ical;

import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;

/**
 * One iCalendar object as a CalDAV server stores it (one resource: a series master and its overrides, or a single
 * event, sharing a UID), edited at the level of its content lines so that whatever we do not model survives a
 * write untouched: other clients' {@code X-} properties, categories, classes, attachments, the VTIMEZONEs, and every
 * component we do not write.
 *
 * <p>A write replaces, in the VEVENT it concerns, only the properties this system owns ({@link #OWNED}: times,
 * recurrence, title, description, location, status, transparency, attendees, alarms and the version stamps) and
 * keeps the others in their order. Attendees keep the parameters we do not model ({@code RSVP}, {@code CUTYPE},
 * ...) from the line of the same address. Timed events are written in their IANA zone with {@code TZID} and a
 * VTIMEZONE from ical4j's registry (so that a weekly series stays at 10:00 across daylight saving), else in UTC;
 * all-day events as dates. Overrides are addressed by their original start ({@code RECURRENCE-ID}, written in UTC
 * or as a date), the same key the mapper gives their ids ({@link #occurrenceKey}).
 *
 * <p>Lines are unfolded when read and folded at 75 octets when written (never inside a UTF-8 sequence); text values
 * are escaped as RFC 5545 says. Not thread-safe; one per write.
 */
public final class IcsResource {

    /** The properties of a VEVENT that a write replaces; every other property is kept as it was. */
    static final Set<String> OWNED = Set.of(
            "UID",
            "DTSTAMP",
            "LAST-MODIFIED",
            "SEQUENCE",
            "SUMMARY",
            "DESCRIPTION",
            "LOCATION",
            "DTSTART",
            "DTEND",
            "DURATION",
            "RRULE",
            "RDATE",
            "EXDATE",
            "EXRULE",
            "STATUS",
            "TRANSP",
            "ATTENDEE",
            "RECURRENCE-ID");

    static final String PRODID = "-//calsync//calsync 1.1//EN";

    private static final DateTimeFormatter UTC_BASIC =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL_BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE_BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    private final List<String> head = new ArrayList<>();
    private final List<List<String>> components = new ArrayList<>();

    private IcsResource() {}

    /** A new, empty calendar object. */
    public static IcsResource empty() {
        IcsResource r = new IcsResource();
        r.head.add("VERSION:2.0");
        r.head.add("PRODID:" + PRODID);
        return r;
    }

    /**
     * Reads a stored calendar object. Lenient like the feed reader: lines that are not content lines are dropped,
     * a missing END is supplied.
     */
    public static IcsResource parse(String text) {
        IcsResource r = new IcsResource();
        List<String> lines = unfold(text);
        int depth = 0;
        List<String> current = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            ContentLine c = ContentLine.parse(line);
            if (c == null) {
                continue;
            }
            if (c.isBegin()) {
                depth++;
                if (depth == 2) {
                    current = new ArrayList<>();
                    r.components.add(current);
                }
                if (depth >= 2) {
                    current.add(line);
                }
                continue;
            }
            if (c.isEnd()) {
                if (depth >= 2) {
                    current.add(line);
                }
                depth--;
                if (depth == 1) {
                    current = null;
                }
                if (depth <= 0) {
                    break;
                }
                continue;
            }
            if (depth == 1) {
                r.head.add(line);
            } else if (depth >= 2) {
                current.add(line);
            }
        }
        if (current != null && !current.getLast().toUpperCase(Locale.ROOT).startsWith("END:")) {
            current.add("END:" + type(current));
        }
        if (r.head.stream().noneMatch(l -> l.regionMatches(true, 0, "VERSION:", 0, 8))) {
            r.head.addFirst("VERSION:2.0");
        }
        if (r.head.stream().noneMatch(l -> l.regionMatches(true, 0, "PRODID:", 0, 7))) {
            r.head.add("PRODID:" + PRODID);
        }
        return r;
    }

    /** The UID of the object's events (the first VEVENT's), or null. */
    public String uid() {
        for (List<String> c : events()) {
            String uid = value(c, "UID");
            if (uid != null) {
                return uid.strip();
            }
        }
        return null;
    }

    /** How many VEVENTs the object holds. */
    public int eventCount() {
        return events().size();
    }

    /**
     * Writes a single event or series master: the VEVENT without RECURRENCE-ID is replaced (keeping what is not
     * ours), or added.
     */
    public void putMaster(ProviderEvent e, String uid, Instant now) {
        List<String> existing = master();
        List<String> written = vevent(e, uid, existing, null, now);
        replace(existing, written);
    }

    /**
     * Writes one occurrence of the series: the override whose original start is the event's is replaced, or a new
     * one added after the master. A CANCELLED occurrence is removed as an override and excluded from the master
     * (EXDATE) instead: that is how every CalDAV client deletes one occurrence.
     */
    public void putOccurrence(ProviderEvent e, String uid, Instant now) {
        String key = key(e);
        List<String> existing = override(key);
        if (e.status() == EventStatus.CANCELLED) {
            cancelOccurrence(key);
            return;
        }
        String recurrenceId = e.originalStartDate() != null
                ? "RECURRENCE-ID;VALUE=DATE:" + DATE_BASIC.format(e.originalStartDate())
                : "RECURRENCE-ID:" + UTC_BASIC.format(e.originalStartTime());
        List<String> written = vevent(e, uid, existing, recurrenceId, now);
        if (existing == null) {
            List<String> master = master();
            components.add(master == null ? components.size() : components.indexOf(master) + 1, written);
        } else {
            replace(existing, written);
        }
    }

    /**
     * Removes one occurrence of the series: its override, if any, goes, and the master excludes its original start
     * ({@code EXDATE}, a date for an all-day key). Nothing changes when it is excluded already.
     */
    public void cancelOccurrence(String key) {
        List<String> existing = override(key);
        if (existing != null) {
            components.remove(existing);
        }
        List<String> master = master();
        if (master != null && !excluded(master, key)) {
            master.add(endOfProperties(master), key.length() == 8 ? "EXDATE;VALUE=DATE:" + key : "EXDATE:" + key);
        }
    }

    /** Whether the object has an override for that original start. */
    public boolean hasOverride(String occurrenceKey) {
        return override(occurrenceKey) != null;
    }

    /** Whether the object has a recurring master (a VEVENT without RECURRENCE-ID that has RRULE or RDATE). */
    public boolean hasSeries() {
        List<String> m = master();
        return m != null && (property(m, "RRULE") != null || property(m, "RDATE") != null);
    }

    /**
     * The id suffix of an occurrence, as the mapper writes it after {@code <master id>_}: the original start in UTC
     * ({@code 20261124T100000Z}) or its date ({@code 20261124}).
     */
    public static String occurrenceKey(Instant originalStart, LocalDate originalDate) {
        return originalDate != null ? DATE_BASIC.format(originalDate) : UTC_BASIC.format(originalStart);
    }

    /** The object as text: CRLF lines folded at 75 octets, with a VTIMEZONE for every TZID used and not defined. */
    public String toText() {
        Set<String> used = new LinkedHashSet<>();
        Set<String> defined = new LinkedHashSet<>();
        for (List<String> c : components) {
            if ("VTIMEZONE".equals(type(c))) {
                String id = value(c, "TZID");
                if (id != null) {
                    defined.add(id.strip());
                }
                continue;
            }
            for (String line : c) {
                ContentLine cl = ContentLine.parse(line);
                if (cl == null) {
                    continue;
                }
                for (String p : cl.params()) {
                    if (p.startsWith("TZID=")) {
                        used.add(unquote(p.substring(5)));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        fold(out, "BEGIN:VCALENDAR");
        for (String line : head) {
            fold(out, line);
        }
        for (String tz : used) {
            if (!defined.contains(tz)) {
                String vtimezone = vtimezone(tz);
                if (vtimezone != null) {
                    for (String line : unfold(vtimezone)) {
                        if (!line.isBlank()) {
                            fold(out, line);
                        }
                    }
                }
            }
        }
        for (List<String> c : components) {
            for (String line : c) {
                fold(out, line);
            }
        }
        fold(out, "END:VCALENDAR");
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------- writing

    private List<String> vevent(ProviderEvent e, String uid, List<String> existing, String recurrenceId, Instant now) {
        List<String> out = new ArrayList<>();
        out.add("BEGIN:VEVENT");
        String keptUid = existing == null ? null : value(existing, "UID");
        out.add("UID:" + (keptUid != null ? keptUid.strip() : uid));
        out.add("DTSTAMP:" + UTC_BASIC.format(now));
        if (recurrenceId != null) {
            out.add(recurrenceId);
        }
        times(out, e);
        if (recurrenceId == null && e.recurrence() != null) {
            for (String line : e.recurrence()) {
                ContentLine c = ContentLine.parse(line.strip());
                if (c != null && Set.of("RRULE", "RDATE", "EXDATE").contains(c.name())) {
                    out.add(line.strip());
                }
            }
        }
        out.add("SUMMARY:" + escape(e.title() == null ? "" : e.title()));
        if (e.description() != null && !e.description().isEmpty()) {
            out.add("DESCRIPTION:" + escape(e.description()));
        }
        if (e.location() != null && !e.location().isEmpty()) {
            out.add("LOCATION:" + escape(e.location()));
        }
        out.add("STATUS:" + (e.status() == EventStatus.TENTATIVE ? "TENTATIVE" : "CONFIRMED"));
        out.add("TRANSP:" + (e.availability() == Availability.FREE ? "TRANSPARENT" : "OPAQUE"));
        int sequence = 0;
        if (existing != null) {
            String s = value(existing, "SEQUENCE");
            try {
                sequence = s == null ? 0 : Integer.parseInt(s.strip()) + 1;
            } catch (NumberFormatException ignored) {
                sequence = 1;
            }
        }
        out.add("SEQUENCE:" + sequence);
        out.add("LAST-MODIFIED:" + UTC_BASIC.format(now));
        Map<String, ContentLine> knownAttendees = new LinkedHashMap<>();
        if (existing != null) {
            int depth = 0;
            for (int i = 1; i < existing.size() - 1; i++) {
                String line = existing.get(i);
                ContentLine c = ContentLine.parse(line);
                if (c == null) {
                    continue;
                }
                if (c.isBegin()) {
                    depth++;
                }
                if (depth == 0 && c.name().equals("ATTENDEE")) {
                    knownAttendees.put(address(c.value()), c);
                }
                if (depth == 0 && !OWNED.contains(c.name())) {
                    out.add(line);
                } else if (depth > 0 && !"VALARM".equals(currentBlock(existing, i))) {
                    out.add(line); // a sub-component other than an alarm (rare): kept as it was
                }
                if (c.isEnd()) {
                    depth--;
                }
            }
        }
        boolean hasOrganizer = out.stream().anyMatch(l -> l.regionMatches(true, 0, "ORGANIZER", 0, 9));
        if (!hasOrganizer && e.organizerEmail() != null && !e.attendees().isEmpty()) {
            out.add("ORGANIZER:mailto:" + e.organizerEmail());
        }
        for (ProviderEvent.Attendee a : e.attendees()) {
            if (a.email() == null || a.email().isBlank()) {
                continue;
            }
            out.add(attendee(a, knownAttendees.get(a.email().toLowerCase(Locale.ROOT))));
        }
        for (ProviderEvent.Reminder r : e.reminders()) {
            out.add("BEGIN:VALARM");
            boolean email = r.method() == ReminderMethod.EMAIL && e.organizerEmail() != null;
            out.add("ACTION:" + (email ? "EMAIL" : "DISPLAY"));
            out.add("DESCRIPTION:" + escape(e.title() == null || e.title().isBlank() ? "Reminder" : e.title()));
            if (email) {
                out.add("SUMMARY:" + escape(e.title() == null || e.title().isBlank() ? "Reminder" : e.title()));
                out.add("ATTENDEE:mailto:" + e.organizerEmail());
            }
            out.add("TRIGGER:" + (r.minutesBefore() <= 0 ? "PT0S" : "-PT" + r.minutesBefore() + "M"));
            out.add("END:VALARM");
        }
        out.add("END:VEVENT");
        return out;
    }

    private static String currentBlock(List<String> lines, int index) {
        for (int i = index; i > 0; i--) {
            ContentLine c = ContentLine.parse(lines.get(i));
            if (c != null && c.isBegin()) {
                return c.value().strip().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static void times(List<String> out, ProviderEvent e) {
        if (e.allDay()) {
            LocalDate start = e.startDate() != null
                    ? e.startDate()
                    : e.startTime().atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate end = e.endDate() != null ? e.endDate() : start.plusDays(1);
            out.add("DTSTART;VALUE=DATE:" + DATE_BASIC.format(start));
            out.add("DTEND;VALUE=DATE:" + DATE_BASIC.format(end.isAfter(start) ? end : start.plusDays(1)));
            return;
        }
        ZoneId zone = zone(e.timezone());
        if (zone == null) {
            out.add("DTSTART:" + UTC_BASIC.format(e.startTime()));
            out.add("DTEND:" + UTC_BASIC.format(e.endTime() == null ? e.startTime() : e.endTime()));
            return;
        }
        String tzid = zone.getId();
        out.add("DTSTART;TZID=" + tzid + ":" + LOCAL_BASIC.format(LocalDateTime.ofInstant(e.startTime(), zone)));
        out.add("DTEND;TZID=" + tzid + ":"
                + LOCAL_BASIC.format(LocalDateTime.ofInstant(e.endTime() == null ? e.startTime() : e.endTime(), zone)));
    }

    /** An IANA zone other than UTC that ical4j can describe, or null (then UTC times are written). */
    private static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank() || timezone.equals("UTC") || timezone.equals("Etc/UTC")) {
            return null;
        }
        try {
            ZoneId zone = ZoneId.of(timezone);
            return zone instanceof ZoneOffset || vtimezone(zone.getId()) == null ? null : zone;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static final TimeZoneRegistry ZONES =
            TimeZoneRegistryFactory.getInstance().createRegistry();

    private static String vtimezone(String tzid) {
        try {
            TimeZone tz = ZONES.getTimeZone(tzid);
            return tz == null ? null : tz.getVTimeZone().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String attendee(ProviderEvent.Attendee a, ContentLine known) {
        StringBuilder line = new StringBuilder("ATTENDEE");
        if (known != null) {
            for (String p : known.params()) {
                String name = p.substring(0, p.indexOf('='));
                if (!Set.of("CN", "PARTSTAT", "ROLE").contains(name)) {
                    line.append(';').append(p);
                }
            }
        }
        if (a.displayName() != null && !a.displayName().isBlank()) {
            line.append(";CN=").append(paramValue(a.displayName()));
        }
        line.append(";PARTSTAT=").append(partstat(a.responseStatus()));
        line.append(";ROLE=").append(a.optional() ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT");
        return line.append(":mailto:").append(a.email()).toString();
    }

    private static String partstat(RsvpStatus s) {
        if (s == null) {
            return "NEEDS-ACTION";
        }
        return switch (s) {
            case ACCEPTED -> "ACCEPTED";
            case DECLINED -> "DECLINED";
            case TENTATIVE -> "TENTATIVE";
            case NEEDS_ACTION -> "NEEDS-ACTION";
        };
    }

    private static String address(String value) {
        String v = value.strip();
        if (v.regionMatches(true, 0, "mailto:", 0, 7)) {
            v = v.substring(7);
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /** RFC 5545 TEXT escaping. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case ';' -> b.append("\\;");
                case ',' -> b.append("\\,");
                case '\n' -> b.append("\\n");
                case '\r' -> {
                    if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                        b.append("\\n");
                    }
                }
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A parameter value: quoted when it holds {@code : ; ,}; double quotes and controls dropped (RFC 5545 3.1). */
    static String paramValue(String value) {
        StringBuilder b = new StringBuilder();
        boolean quote = false;
        for (char c : value.toCharArray()) {
            if (c == '"' || (c < 0x20 && c != '\t')) {
                continue;
            }
            quote |= c == ':' || c == ';' || c == ',';
            b.append(c);
        }
        return quote ? "\"" + b + "\"" : b.toString();
    }

    // ------------------------------------------------------------------------------------------------- reading

    private List<List<String>> events() {
        return components.stream().filter(c -> "VEVENT".equals(type(c))).toList();
    }

    private List<String> master() {
        for (List<String> c : events()) {
            if (property(c, "RECURRENCE-ID") == null) {
                return c;
            }
        }
        return null;
    }

    private List<String> override(String key) {
        List<String> master = master();
        ZoneId masterZone = master == null ? null : zoneOf(property(master, "DTSTART"));
        for (List<String> c : events()) {
            ContentLine rid = property(c, "RECURRENCE-ID");
            if (rid != null && key.equals(keyOf(rid, masterZone))) {
                return c;
            }
        }
        return null;
    }

    private static boolean excluded(List<String> master, String key) {
        ZoneId zone = zoneOf(property(master, "DTSTART"));
        for (String line : master) {
            ContentLine c = ContentLine.parse(line);
            if (c != null && c.name().equals("EXDATE")) {
                for (String v : c.value().split(",")) {
                    if (key.equals(keyOf(new ContentLine("EXDATE", c.params(), v.strip(), 0), zone))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The occurrence key of a RECURRENCE-ID or EXDATE value, or null when it cannot be read. */
    static String keyOf(ContentLine line, ZoneId floatingZone) {
        String v = line.value().strip();
        try {
            if (v.length() == 8) {
                return v;
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return UTC_BASIC.format(LocalDateTime.parse(v.substring(0, v.length() - 1), LOCAL_BASIC)
                        .toInstant(ZoneOffset.UTC));
            }
            ZoneId zone = zoneOf(line);
            if (zone == null) {
                zone = floatingZone == null ? ZoneOffset.UTC : floatingZone;
            }
            return UTC_BASIC.format(
                    LocalDateTime.parse(v, LOCAL_BASIC).atZone(zone).toInstant());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneId zoneOf(ContentLine line) {
        if (line == null) {
            return null;
        }
        for (String p : line.params()) {
            if (p.startsWith("TZID=")) {
                try {
                    return ZoneId.of(unquote(p.substring(5)));
                } catch (DateTimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String key(ProviderEvent e) {
        return occurrenceKey(e.originalStartTime(), e.originalStartDate());
    }

    private void replace(List<String> existing, List<String> written) {
        if (existing == null) {
            int firstEvent = components.indexOf(events().isEmpty() ? null : events().getFirst());
            components.add(firstEvent < 0 ? components.size() : firstEvent, written);
        } else {
            components.set(components.indexOf(existing), written);
        }
    }

    /** The index just before the component's first sub-component or its END. */
    private static int endOfProperties(List<String> c) {
        for (int i = 1; i < c.size(); i++) {
            ContentLine l = ContentLine.parse(c.get(i));
            if (l != null && (l.isBegin() || l.isEnd())) {
                return i;
            }
        }
        return c.size() - 1;
    }

    /** The component's own property of that name (not a sub-component's), or null. */
    private static ContentLine property(List<String> c, String name) {
        int depth = 0;
        for (int i = 1; i < c.size() - 1; i++) {
            ContentLine l = ContentLine.parse(c.get(i));
            if (l == null) {
                continue;
            }
            if (l.isBegin()) {
                depth++;
            } else if (l.isEnd()) {
                depth--;
            } else if (depth == 0 && l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    private static String value(List<String> c, String name) {
        ContentLine l = property(c, name);
        return l == null ? null : l.value();
    }

    private static String type(List<String> c) {
        ContentLine first = ContentLine.parse(c.getFirst());
        return first == null ? "" : first.value().strip().toUpperCase(Locale.ROOT);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    static List<String> unfold(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = null;
        for (String raw : text.split("\r\n|\n|\r", -1)) {
            if (!raw.isEmpty() && (raw.charAt(0) == ' ' || raw.charAt(0) == '\t') && current != null) {
                current.append(raw, 1, raw.length());
                continue;
            }
            if (current != null) {
                lines.add(current.toString());
            }
            current = new StringBuilder(raw);
        }
        if (current != null && !current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** Appends the line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence. */
    static void fold(StringBuilder out, String line) {
        int octets = 0;
        int limit = 75;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append("\r\n ");
                octets = 1;
                limit = 75;
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
