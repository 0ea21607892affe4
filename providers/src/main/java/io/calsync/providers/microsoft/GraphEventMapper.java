package io.calsync.providers.microsoft;

import io.calsync.model.domain.Availability;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.Zones;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph's event JSON to and from the port's {@link ProviderEvent}.
 *
 * <p><b>Reading.</b> {@code start}/{@code end} are read in the zone their {@code timeZone} names (UTC with the
 * adapter's {@code Prefer: outlook.timezone="UTC"}; the corpus also has Windows names such as "Pacific Standard
 * Time"), so instants are exact whatever zone a payload was rendered in. All-day events are midnight to midnight
 * and Graph writes them as floating dates (the same dates whatever zone is asked for): their dates are the date
 * parts as given, end exclusive, with start/end at UTC midnight of those dates. {@code timezone} is the IANA zone of
 * {@code originalStartTimeZone} (Windows names through CLDR, {@code tzone://Microsoft/Utc} as UTC), else of the
 * recurrence's zone; only when a payload lacks {@code originalStartTimeZone} (a {@code $select}) the zone of
 * {@code start.timeZone}. A name no table knows ("Customized Time Zone") leaves it null rather than guessed.
 * The description is the body as text: a text body as is, an HTML body with its tags dropped ({@code <br>} and block
 * ends as line breaks, the common entities decoded); only when the body is absent (a {@code $select} without it)
 * the 255-character {@code bodyPreview}. A series master's {@code recurrence} becomes an {@code RRULE:} line
 * ({@link GraphRecurrence}); occurrences and exceptions carry {@code seriesMasterId} and their original start
 * ({@code originalStart}, else their start). Status: {@code isCancelled} is CANCELLED, {@code showAs: tentative}
 * TENTATIVE, anything else CONFIRMED; {@code showAs} is kept as the event's {@link Availability}. A reminder that is on is one POPUP.
 *
 * <p><b>Writing.</b> Times go out in the event's zone under its Windows name (the names every Graph version and
 * mailbox accepts; Graph takes only some IANA names), or in UTC when the zone has none; all-day events as midnight
 * dates. The body is sent as text. Attendees flagged as the organizer are left out (Graph sets the organizer
 * itself). {@code showAs} is sent for every availability but busy (and for a TENTATIVE status), so that a write of an
 * event stored before availability was kept does not overwrite "out of office" or "free" chosen in Outlook.
 */
public final class GraphEventMapper {

    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final Pattern DROPPED_BLOCKS =
            Pattern.compile("(?is)<!--.*?-->|<(head|style|script|title)\\b[^>]*>.*?</\\1\\s*>");
    private static final Pattern LINE_BREAKS =
            Pattern.compile("(?i)<br\\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|table|ul|ol)\\s*>");
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x[0-9a-fA-F]+|[0-9]+);");

    private GraphEventMapper() {}

    // ------------------------------------------------------------------ Graph -> ProviderEvent

    /**
     * One Graph event (single instance, series master, occurrence or exception) in the port's terms.
     *
     * @throws IllegalArgumentException when it has no readable start or end
     */
    public static ProviderEvent toProviderEvent(JsonNode e) {
        boolean allDay = e.path("isAllDay").asBoolean(false);
        String type = text(e, "type");
        String seriesMasterId = text(e, "seriesMasterId");
        JsonNode recurrence = e.get("recurrence");
        boolean master = "seriesMaster".equalsIgnoreCase(type)
                || (seriesMasterId == null
                        && recurrence != null
                        && recurrence.path("pattern").isObject());

        String original = text(e, "originalStartTimeZone");
        String timezone = Zones.toIana(original);
        if (timezone == null && master) {
            timezone = Zones.toIana(text(recurrence.path("range"), "recurrenceTimeZone"));
        }
        if (timezone == null && original == null) {
            // a $select without it: the zone the times were written in is the best left
            timezone = Zones.toIana(text(e.path("start"), "timeZone"));
        }
        ZoneId fallbackZone = timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);

        LocalDateTime startLocal = local(e.path("start"), "start");
        LocalDateTime endLocal = local(e.path("end"), "end");
        Instant startTime;
        Instant endTime;
        LocalDate startDate = null;
        LocalDate endDate = null;
        if (allDay) {
            startDate = startLocal.toLocalDate();
            endDate = endLocal.toLocalDate();
            if (!endDate.isAfter(startDate)) {
                endDate = startDate.plusDays(1);
            }
            startTime = startDate.atStartOfDay(ZoneOffset.UTC).toInstant();
            endTime = endDate.atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            startTime = startLocal.atZone(zoneOf(e.path("start"), fallbackZone)).toInstant();
            endTime = endLocal.atZone(zoneOf(e.path("end"), fallbackZone)).toInstant();
            if (endTime.isBefore(startTime)) {
                endTime = startTime;
            }
        }

        List<String> rrule = null;
        if (master) {
            ZoneId seriesZone = seriesZone(recurrence, fallbackZone);
            LocalDate first = allDay ? startDate : LocalDate.ofInstant(startTime, seriesZone);
            String line = GraphRecurrence.toRrule(recurrence, first, seriesZone, allDay);
            rrule = line == null ? null : List.of(line);
        }

        String recurringId = master ? null : seriesMasterId;
        Instant originalStartTime = null;
        LocalDate originalStartDate = null;
        if (recurringId != null) {
            Instant originalStart = instant(text(e, "originalStart"));
            if (allDay) {
                originalStartDate = originalStart == null
                        ? startDate
                        : LocalDate.ofInstant(originalStart, originalStartZone(e, fallbackZone));
                originalStartTime =
                        originalStartDate.atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                originalStartTime = originalStart == null ? startTime : originalStart;
            }
        }

        return new ProviderEvent(
                text(e, "id"),
                text(e, "iCalUId"),
                text(e, "subject"),
                description(e),
                blankToNull(text(e.path("location"), "displayName")),
                startTime,
                endTime,
                allDay,
                startDate,
                endDate,
                timezone,
                status(e),
                rrule,
                recurringId,
                originalStartTime,
                originalStartDate,
                blankToNull(text(e.path("organizer").path("emailAddress"), "address")),
                text(e, "webLink"),
                changeKey(e),
                instant(text(e, "lastModifiedDateTime")),
                null,
                attendees(e),
                reminders(e),
                Availability.fromGraphShowAs(text(e, "showAs")));
    }

    /** A copy with other recurrence lines (the sync adds the EXDATEs it found). */
    static ProviderEvent withRecurrence(ProviderEvent e, List<String> recurrence) {
        return new ProviderEvent(
                e.providerEventId(),
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
                e.status(),
                recurrence,
                e.providerRecurringId(),
                e.originalStartTime(),
                e.originalStartDate(),
                e.organizerEmail(),
                e.htmlLink(),
                e.etag(),
                e.providerUpdatedAt(),
                e.sequence(),
                e.attendees(),
                e.reminders(),
                e.availability());
    }

    /** The zone a series recurs in: range.recurrenceTimeZone, else the event's. */
    static ZoneId seriesZone(JsonNode recurrence, ZoneId eventZone) {
        String iana = recurrence == null ? null : Zones.toIana(text(recurrence.path("range"), "recurrenceTimeZone"));
        return iana == null ? eventZone : ZoneId.of(iana);
    }

    /** Graph's showAs for an availability other than busy (busy is not sent, so a write keeps what Outlook has). */
    private static String showAs(Availability a) {
        return switch (a) {
            case FREE -> "free";
            case TENTATIVE -> "tentative";
            case OOF -> "oof";
            case WORKING_ELSEWHERE -> "workingElsewhere";
            case BUSY -> null;
        };
    }

    private static EventStatus status(JsonNode e) {
        if (e.path("isCancelled").asBoolean(false)) {
            return EventStatus.CANCELLED;
        }
        return "tentative".equalsIgnoreCase(text(e, "showAs")) ? EventStatus.TENTATIVE : EventStatus.CONFIRMED;
    }

    private static String changeKey(JsonNode e) {
        String key = text(e, "changeKey");
        if (key != null) {
            return key;
        }
        String etag = text(e, "@odata.etag"); // W/"<changeKey>"
        if (etag == null) {
            return null;
        }
        String v = etag.startsWith("W/") ? etag.substring(2) : etag;
        return v.replace("\"", "");
    }

    private static List<ProviderEvent.Attendee> attendees(JsonNode e) {
        String organizer = text(e.path("organizer").path("emailAddress"), "address");
        List<ProviderEvent.Attendee> out = new ArrayList<>();
        for (JsonNode a : e.path("attendees")) {
            String email = blankToNull(text(a.path("emailAddress"), "address"));
            if (email == null) {
                continue;
            }
            String response = text(a.path("status"), "response");
            boolean isOrganizer =
                    "organizer".equalsIgnoreCase(response) || (organizer != null && organizer.equalsIgnoreCase(email));
            out.add(new ProviderEvent.Attendee(
                    email,
                    blankToNull(text(a.path("emailAddress"), "name")),
                    rsvp(response),
                    "optional".equalsIgnoreCase(text(a, "type")),
                    isOrganizer));
        }
        return out;
    }

    static RsvpStatus rsvp(String response) {
        if (response == null) {
            return RsvpStatus.NEEDS_ACTION;
        }
        return switch (response.toLowerCase(Locale.ROOT)) {
            case "accepted", "organizer" -> RsvpStatus.ACCEPTED;
            case "declined" -> RsvpStatus.DECLINED;
            case "tentativelyaccepted" -> RsvpStatus.TENTATIVE;
            default -> RsvpStatus.NEEDS_ACTION; // none, notResponded
        };
    }

    private static List<ProviderEvent.Reminder> reminders(JsonNode e) {
        if (!e.path("isReminderOn").asBoolean(false)) {
            return List.of();
        }
        int minutes = e.path("reminderMinutesBeforeStart").asInt(15);
        return List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, Math.max(0, minutes)));
    }

    /** The body as text (see the class comment); null when empty. */
    static String description(JsonNode e) {
        JsonNode body = e.get("body");
        if (body == null || body.isNull() || !body.has("content")) {
            return blankToNull(text(e, "bodyPreview"));
        }
        String content = body.path("content").asString("");
        if ("html".equalsIgnoreCase(text(body, "contentType"))) {
            content = htmlToText(content);
        }
        content = content.replace("\r\n", "\n").replace('\r', '\n').strip();
        return content.isEmpty() ? null : content;
    }

    /** Tags dropped, line breaks kept, entities decoded, blank runs collapsed. */
    static String htmlToText(String html) {
        String s = DROPPED_BLOCKS.matcher(html).replaceAll(" ");
        // line breaks in the source are formatting in HTML; <br> and block ends are the text's line breaks
        s = s.replace('\r', ' ').replace('\n', ' ');
        s = LINE_BREAKS.matcher(s).replaceAll("\n");
        s = TAGS.matcher(s).replaceAll("");
        s = decodeEntities(s);
        StringBuilder out = new StringBuilder();
        int blank = 0;
        for (String line : s.split("\n", -1)) {
            String l = line.replace('\u00a0', ' ')
                    .replaceAll("[ \\t\\x0B\\f]+", " ")
                    .strip();
            if (l.isEmpty()) {
                blank++;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            out.append(l);
            blank = 0;
        }
        return out.toString();
    }

    private static String decodeEntities(String s) {
        Matcher m = NUMERIC_ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String n = m.group(1);
            int cp;
            try {
                cp = n.startsWith("x") || n.startsWith("X")
                        ? Integer.parseInt(n.substring(1), 16)
                        : Integer.parseInt(n);
            } catch (NumberFormatException e) {
                cp = '?';
            }
            m.appendReplacement(
                    sb, Matcher.quoteReplacement(Character.isValidCodePoint(cp) ? Character.toString(cp) : "?"));
        }
        m.appendTail(sb);
        return sb.toString()
                .replace("&nbsp;", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    // ------------------------------------------------------------------ ProviderEvent -> Graph

    /**
     * The body of a POST or PATCH for an event (without {@code transactionId}). A master's recurrence goes along
     * when {@code withRecurrence}; an instance never has one.
     *
     * @throws ProviderException PERMANENT when it has no start, or when its RRULE is one Graph cannot hold
     */
    static ObjectNode toGraph(ProviderEvent e, boolean withRecurrence) {
        if (e.allDay() ? e.startDate() == null && e.startTime() == null : e.startTime() == null) {
            throw new ProviderException(
                    ProviderException.Kind.PERMANENT,
                    0,
                    "noStart",
                    "an event without a start cannot be written to Graph");
        }
        ObjectNode b = GraphClient.JSON.createObjectNode();
        b.put("subject", e.title() == null ? "" : e.title());
        ObjectNode body = b.putObject("body");
        body.put("contentType", "text");
        body.put("content", e.description() == null ? "" : e.description());

        ZoneId zone = zone(e.timezone());
        String graphZone = windowsName(zone);
        if (graphZone == null) {
            zone = ZoneOffset.UTC;
            graphZone = "UTC";
        }
        LocalDate seriesStart;
        if (e.allDay()) {
            LocalDate sd = e.startDate() != null ? e.startDate() : LocalDate.ofInstant(e.startTime(), ZoneOffset.UTC);
            LocalDate ed = e.endDate() != null
                    ? e.endDate()
                    : e.endTime() == null ? sd.plusDays(1) : LocalDate.ofInstant(e.endTime(), ZoneOffset.UTC);
            if (!ed.isAfter(sd)) {
                ed = sd.plusDays(1);
            }
            b.put("isAllDay", true);
            b.set("start", dateTime(sd.atStartOfDay(), graphZone));
            b.set("end", dateTime(ed.atStartOfDay(), graphZone));
            seriesStart = sd;
        } else {
            Instant end = e.endTime() == null ? e.startTime() : e.endTime();
            b.put("isAllDay", false);
            b.set("start", dateTime(LocalDateTime.ofInstant(e.startTime(), zone), graphZone));
            b.set("end", dateTime(LocalDateTime.ofInstant(end, zone), graphZone));
            seriesStart = LocalDate.ofInstant(e.startTime(), zone);
        }
        b.putObject("location").put("displayName", e.location() == null ? "" : e.location());

        ArrayNode attendees = b.putArray("attendees");
        for (ProviderEvent.Attendee a : e.attendees()) {
            if (a.organizer() || a.email() == null || a.email().isBlank()) {
                continue;
            }
            ObjectNode j = attendees.addObject();
            j.put("type", a.optional() ? "optional" : "required");
            ObjectNode address = j.putObject("emailAddress");
            address.put("address", a.email());
            if (a.displayName() != null) {
                address.put("name", a.displayName());
            }
        }
        if (e.reminders().isEmpty()) {
            b.put("isReminderOn", false);
        } else {
            b.put("isReminderOn", true);
            b.put("reminderMinutesBeforeStart", e.reminders().getFirst().minutesBefore());
        }
        String showAs = showAs(e.availability());
        if (showAs != null) {
            b.put("showAs", showAs);
        } else if (e.status() == EventStatus.TENTATIVE) {
            b.put("showAs", "tentative");
        }
        if (withRecurrence && !e.isInstance() && e.recurrence() != null) {
            b.set(
                    "recurrence",
                    GraphRecurrence.toGraph(
                            e.recurrence(),
                            seriesStart,
                            e.allDay() ? null : java.time.LocalTime.ofInstant(e.startTime(), zone),
                            zone,
                            graphZone));
        }
        return b;
    }

    /** The Windows zone name Graph knows for an IANA zone (CLDR's table), "UTC" for UTC, or null. */
    static String windowsName(ZoneId zone) {
        if (zone == null) {
            return null;
        }
        String id = zone.normalized().getId();
        if (id.equals("Z") || id.equals("UTC") || id.equals("Etc/UTC") || id.equals("GMT")) {
            return "UTC";
        }
        return com.ibm.icu.util.TimeZone.getWindowsID(id);
    }

    private static ZoneId zone(String iana) {
        if (iana == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(iana);
        } catch (DateTimeException e) {
            String mapped = Zones.toIana(iana);
            return mapped == null ? ZoneOffset.UTC : ZoneId.of(mapped);
        }
    }

    private static ObjectNode dateTime(LocalDateTime t, String zone) {
        ObjectNode n = GraphClient.JSON.createObjectNode();
        n.put("dateTime", GRAPH_LOCAL.format(t));
        n.put("timeZone", zone);
        return n;
    }

    // ------------------------------------------------------------------ JSON helpers

    /** A dateTimeTimeZone's wall-clock time (seven fraction digits, or a bare date). */
    private static LocalDateTime local(JsonNode dt, String what) {
        String s = text(dt, "dateTime");
        if (s == null) {
            throw new IllegalArgumentException("the event has no " + what);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s)
                        .atZoneSameInstant(zoneOf(dt, ZoneOffset.UTC))
                        .toLocalDateTime();
            }
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the event's " + what + " is not a date-time");
        }
    }

    /** The zone a dateTimeTimeZone names, or {@code fallback} when no table knows the name. */
    private static ZoneId zoneOf(JsonNode dt, ZoneId fallback) {
        String iana = Zones.toIana(text(dt, "timeZone"));
        return iana == null ? fallback : ZoneId.of(iana);
    }

    /** Where an occurrence's original start falls on the calendar: its own zone, else the event's. */
    private static ZoneId originalStartZone(JsonNode e, ZoneId fallback) {
        String iana = Zones.toIana(text(e, "originalStartTimeZone"));
        return iana == null ? fallback : ZoneId.of(iana);
    }

    /** Graph's Edm.DateTimeOffset ({@code 2017-10-07T04:59:13.8136423Z}, {@code 2019-04-15T20:30:00+00:00}). */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException alsoNot) {
                return null;
            }
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
