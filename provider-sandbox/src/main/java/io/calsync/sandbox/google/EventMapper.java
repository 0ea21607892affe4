package io.calsync.sandbox.google;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Between Google's event JSON and {@link StoredEvent}: validation and defaults of what clients write, and the
 * rendering of stored events, series instances and cancelled occurrences as Google returns them.
 */
final class EventMapper {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Fields the server owns; whatever a client sends for them is ignored. */
    private static final List<String> SERVER_FIELDS = List.of(
            "kind",
            "etag",
            "id",
            "htmlLink",
            "created",
            "updated",
            "creator",
            "organizer",
            "iCalUID",
            "sequence",
            "recurringEventId",
            "originalStartTime",
            "start",
            "end");

    /** The order Google writes an event's fields in; the rest follow in insertion order. */
    private static final List<String> FIELD_ORDER = List.of(
            "kind",
            "etag",
            "id",
            "status",
            "htmlLink",
            "created",
            "updated",
            "summary",
            "description",
            "location",
            "colorId",
            "creator",
            "organizer",
            "start",
            "end",
            "endTimeUnspecified",
            "recurrence",
            "recurringEventId",
            "originalStartTime",
            "transparency",
            "visibility",
            "iCalUID",
            "sequence",
            "attendees",
            "extendedProperties",
            "reminders",
            "eventType");

    private static final Set<String> STATUSES = Set.of("confirmed", "tentative", "cancelled");
    private static final Set<String> RESPONSE_STATUSES = Set.of("needsAction", "declined", "tentative", "accepted");
    private static final Set<String> TRANSPARENCIES = Set.of("opaque", "transparent");
    private static final Set<String> VISIBILITIES = Set.of("default", "public", "private", "confidential");
    private static final Set<String> REMINDER_METHODS = Set.of("email", "popup");

    private EventMapper() {}

    /** A validated write: the client's fields with defaults applied, and the parsed times. */
    record Normalized(ObjectNode body, EventTime start, EventTime end) {}

    /**
     * Validates a client's event and applies Google's defaults. Server-owned fields are dropped; the store sets them.
     *
     * @param exception whether the event overrides or cancels an instance of a series (no recurrence allowed; a
     *     cancelled one needs no times)
     */
    static Normalized normalize(ObjectNode input, StoredCalendar calendar, boolean exception) {
        ObjectNode b = input.deepCopy();
        String status = EventTime.text(b, "status");
        if (status == null) {
            status = "confirmed";
        } else if (!STATUSES.contains(status)) {
            throw GoogleApiException.invalid("Invalid value for: status");
        }
        EventTime start = null;
        EventTime end = null;
        boolean minimalCancellation = exception && status.equals("cancelled") && !b.has("start") && !b.has("end");
        if (!minimalCancellation) {
            start = EventTime.parse(b.get("start"), "start");
            end = EventTime.parse(b.get("end"), "end");
            if (start.allDay() != end.allDay()) {
                throw GoogleApiException.invalid("Start and end times must either both be date or both be dateTime.");
            }
            boolean empty = start.allDay()
                    ? !end.date().isAfter(start.date())
                    : end.dateTime().isBefore(start.dateTime());
            if (empty) {
                throw new GoogleApiException(400, "global", "timeRangeEmpty", "The specified time range is empty.");
            }
        }
        b.remove(SERVER_FIELDS);
        b.put("status", status);

        JsonNode recurrence = b.get("recurrence");
        if (exception || recurrence == null || recurrence.isNull() || (recurrence.isArray() && recurrence.isEmpty())) {
            b.remove("recurrence");
        } else {
            if (!start.allDay() && start.timeZone() == null) {
                throw GoogleApiException.required("Missing time zone definition for start time.");
            }
            if (!end.allDay() && end.timeZone() == null) {
                end = EventTime.ofDateTime(end.dateTime(), start.timeZone());
            }
            RecurrenceExpander.validate(recurrence, start, end, calendar.zone());
        }
        normalizeAttendees(b, calendar);
        normalizeReminders(b, minimalCancellation);
        enumField(b, "transparency", TRANSPARENCIES, "opaque");
        enumField(b, "visibility", VISIBILITIES, "default");
        if (!minimalCancellation && EventTime.text(b, "eventType") == null) {
            b.put("eventType", "default");
        }
        return new Normalized(b, start, end);
    }

    private static void normalizeAttendees(ObjectNode b, StoredCalendar calendar) {
        JsonNode attendees = b.get("attendees");
        if (attendees == null || attendees.isNull() || (attendees.isArray() && attendees.isEmpty())) {
            b.remove("attendees");
            return;
        }
        if (!attendees.isArray()) {
            throw GoogleApiException.invalid("Invalid attendees.");
        }
        ArrayNode out = JSON.arrayNode();
        for (JsonNode a : attendees) {
            String email = EventTime.text(a, "email");
            if (!a.isObject() || email == null || email.isBlank()) {
                throw GoogleApiException.required("Missing attendee email.");
            }
            ObjectNode o = ((ObjectNode) a).deepCopy();
            if (o.has("displayName") && "".equals(EventTime.text(o, "displayName"))) {
                o.remove("displayName"); // Google drops empty names (libkgapi sends them)
            }
            String response = EventTime.text(o, "responseStatus");
            if (response == null) {
                o.put("responseStatus", "needsAction");
            } else if (!RESPONSE_STATUSES.contains(response)) {
                throw GoogleApiException.invalid("Invalid attendee response status.");
            }
            o.remove(List.of("self", "organizer"));
            if (email.equalsIgnoreCase(organizerEmail(calendar))) {
                o.put("organizer", true);
            }
            if (email.equalsIgnoreCase(calendar.ownerEmail)) {
                o.put("self", true);
            }
            out.add(o);
        }
        b.set("attendees", out);
    }

    private static void normalizeReminders(ObjectNode b, boolean minimalCancellation) {
        JsonNode reminders = b.get("reminders");
        if (reminders == null || reminders.isNull()) {
            if (!minimalCancellation) {
                b.set("reminders", JSON.objectNode().put("useDefault", true));
            }
            return;
        }
        JsonNode overrides = reminders.path("overrides");
        boolean hasOverrides = overrides.isArray() && !overrides.isEmpty();
        boolean useDefault = reminders.path("useDefault").isBoolean()
                ? reminders.get("useDefault").asBoolean()
                : !hasOverrides;
        if (useDefault && hasOverrides) {
            throw new GoogleApiException(
                    400,
                    "global",
                    "cannotUseDefaultRemindersAndSpecifyOverride",
                    "Cannot specify both default reminders and overrides at the same time.");
        }
        ObjectNode out = JSON.objectNode().put("useDefault", useDefault);
        if (hasOverrides) {
            ArrayNode list = out.putArray("overrides");
            for (JsonNode o : overrides) {
                String method = EventTime.text(o, "method");
                if (method == null || !REMINDER_METHODS.contains(method)) {
                    throw GoogleApiException.invalid("Invalid reminder method.");
                }
                if (!o.path("minutes").isIntegralNumber()
                        || o.get("minutes").asInt() < 0
                        || o.get("minutes").asInt() > 40320) {
                    throw GoogleApiException.invalid("Invalid reminder minutes value.");
                }
                list.add(JSON.objectNode()
                        .put("method", method)
                        .put("minutes", o.get("minutes").asInt()));
            }
        }
        b.set("reminders", out);
    }

    /** Validates an enumerated field; Google does not write the default value back. */
    private static void enumField(ObjectNode b, String field, Set<String> allowed, String defaultValue) {
        if (!b.has(field)) {
            return;
        }
        String v = EventTime.text(b, field);
        if (v == null || !allowed.contains(v)) {
            throw GoogleApiException.invalid("Invalid value for: " + field);
        }
        if (v.equals(defaultValue)) {
            b.remove(field);
        }
    }

    static String organizerEmail(StoredCalendar calendar) {
        return calendar.primary ? calendar.ownerEmail : calendar.id;
    }

    static ObjectNode organizer(StoredCalendar calendar) {
        ObjectNode o = JSON.objectNode().put("email", organizerEmail(calendar));
        String name = calendar.primary ? calendar.ownerName : calendar.summary;
        if (name != null) {
            o.put("displayName", name);
        }
        return o.put("self", true);
    }

    static ObjectNode creator(StoredCalendar calendar) {
        ObjectNode o = JSON.objectNode().put("email", calendar.ownerEmail);
        if (calendar.ownerName != null) {
            o.put("displayName", calendar.ownerName);
        }
        return o.put("self", true);
    }

    /** {@code https://www.google.com/calendar/event?eid=} + base64url("eventId calendarId"). */
    static String htmlLink(String eventId, String calendarId) {
        String eid = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((eventId + " " + calendarId).getBytes(StandardCharsets.UTF_8));
        return "https://www.google.com/calendar/event?eid=" + eid;
    }

    /** A stored event as Google returns it; a cancelled instance of a series shows only what identifies it. */
    static ObjectNode render(StoredEvent e, ZoneId zone) {
        if (e.isException() && e.cancelled()) {
            return cancelledOccurrence(e.id, e.etag(), e.recurringEventId(), e.originalStart, zone);
        }
        return renderFull(e, zone);
    }

    /** Every stored field, also of a cancelled occurrence (the base of a PATCH). */
    static ObjectNode renderFull(StoredEvent e, ZoneId zone) {
        ObjectNode out = e.body.deepCopy();
        if (e.start != null) {
            out.set("start", e.start.toJson(zone));
            out.set("end", e.end.toJson(zone));
        }
        if (e.originalStart != null) {
            out.set("originalStartTime", e.originalStart.toJson(zone));
        }
        return ordered(out);
    }

    static ObjectNode cancelledOccurrence(
            String id, String etag, String recurringEventId, EventTime originalStart, ZoneId zone) {
        ObjectNode out = JSON.objectNode()
                .put("kind", "calendar#event")
                .put("etag", etag)
                .put("id", id)
                .put("status", "cancelled")
                .put("recurringEventId", recurringEventId);
        out.set("originalStartTime", originalStart.toJson(zone));
        return out;
    }

    /** One instance of a series that no override replaces: the master's fields at the occurrence's times. */
    static ObjectNode renderInstance(
            StoredEvent master, String calendarId, RecurrenceExpander.Occurrence o, ZoneId zone) {
        ObjectNode out = master.body.deepCopy();
        out.remove("recurrence");
        String id = master.id + "_" + o.suffix();
        out.put("id", id);
        out.put("htmlLink", htmlLink(id, calendarId));
        out.set("start", o.start().toJson(zone));
        out.set("end", o.end().toJson(zone));
        out.put("recurringEventId", master.id);
        out.set("originalStartTime", o.start().toJson(zone));
        return ordered(out);
    }

    static ObjectNode ordered(ObjectNode in) {
        ObjectNode out = JSON.objectNode();
        for (String f : FIELD_ORDER) {
            if (in.has(f)) {
                out.set(f, in.get(f));
            }
        }
        for (Map.Entry<String, JsonNode> f : in.properties()) {
            if (!out.has(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        }
        return out;
    }

    /** PATCH as Google does it: objects merge field by field, arrays and scalars replace, null removes. */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> f : patch.properties()) {
            JsonNode value = f.getValue();
            JsonNode current = target.get(f.getKey());
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject() && current != null && current.isObject()) {
                mergePatch((ObjectNode) current, (ObjectNode) value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    /** {@code q}: every term must occur in the summary, description, location, attendees or organizer. */
    static boolean matchesText(StoredEvent e, String q) {
        StringBuilder text = new StringBuilder();
        for (String f : List.of("summary", "description", "location")) {
            text.append(' ').append(str(e.body.path(f)));
        }
        for (JsonNode a : e.body.path("attendees")) {
            text.append(' ').append(str(a.path("email"))).append(' ').append(str(a.path("displayName")));
        }
        JsonNode org = e.body.path("organizer");
        text.append(' ').append(str(org.path("email"))).append(' ').append(str(org.path("displayName")));
        String haystack = text.toString().toLowerCase(Locale.ROOT);
        for (String term : q.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (!term.isEmpty() && !haystack.contains(term)) {
                return false;
            }
        }
        return true;
    }

    private static String str(JsonNode n) {
        return n.isString() ? n.stringValue() : "";
    }

    /** {@code privateExtendedProperty=name=value}: all given constraints must hold. */
    static boolean matchesExtended(StoredEvent e, List<String> constraints, String scope) {
        for (String c : constraints) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw GoogleApiException.invalid("Invalid extended property constraint: " + c);
            }
            JsonNode v = e.body.path("extendedProperties").path(scope).path(c.substring(0, eq));
            if (!v.isString() || !v.stringValue().equals(c.substring(eq + 1))) {
                return false;
            }
        }
        return true;
    }
}
