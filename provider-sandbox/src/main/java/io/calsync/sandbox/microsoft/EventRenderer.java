package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes events as Graph does: every property present (nulls included), in the order Exchange answers, with the
 * defaults Outlook gives to what the client did not set.
 */
final class EventRenderer {

    /** What is shown: the event's effective properties and what the mailbox adds. */
    record Shown(
            String id,
            String type,
            String calendarId,
            ObjectNode props,
            GraphDateTime start,
            GraphDateTime end,
            String changeKey,
            Instant created,
            Instant lastModified,
            String iCalUId,
            String uid,
            String seriesMasterId,
            Instant originalStart,
            LocalDate occurrenceDate,
            Account organizer) {}

    /** Stored (never accepted from a Graph body) on an event the mailbox was invited to: its organizer. */
    static final String INVITED_BY = "x-sandbox-invited-by";

    /** Stored on an invitation: the mailbox's own answer, {@code {response, time}}. */
    static final String RESPONSE = "x-sandbox-response";

    private EventRenderer() {}

    static EventView view(Shown s) {
        boolean allDay = s.props().path("isAllDay").asBoolean(false);
        Instant start = s.start().instant();
        Instant end = s.end().instant();
        ObjectNode json = render(s, allDay, start, end);
        return new EventView(
                s.id(),
                s.calendarId(),
                s.type(),
                start,
                end,
                allDay,
                s.start().local(),
                s.end().local(),
                json);
    }

    private static ObjectNode render(Shown s, boolean allDay, Instant start, Instant end) {
        ObjectNode p = s.props();
        ObjectNode j = GraphJson.object();
        j.put("@odata.etag", "W/\"" + s.changeKey() + "\"");
        j.put("id", s.id());
        j.put("createdDateTime", GraphJson.instant(s.created()));
        j.put("lastModifiedDateTime", GraphJson.instant(s.lastModified()));
        j.put("changeKey", s.changeKey());
        j.set("categories", p.path("categories").isArray() ? p.get("categories") : GraphJson.array());
        j.set("transactionId", p.hasNonNull("transactionId") ? p.get("transactionId") : null);
        j.put("originalStartTimeZone", s.start().timeZone());
        j.put("originalEndTimeZone", s.end().timeZone());
        if (s.originalStart() != null) {
            j.put("originalStart", GraphJson.offset(s.originalStart()));
        }
        j.put("iCalUId", s.iCalUId());
        j.put("uid", s.uid());
        j.put("reminderMinutesBeforeStart", p.path("reminderMinutesBeforeStart").asInt(15));
        j.put("isReminderOn", p.path("isReminderOn").asBoolean(true));
        j.put("hasAttachments", false);
        j.put("subject", p.hasNonNull("subject") ? p.get("subject").asString() : "");
        j.put("bodyPreview", preview(p.path("body")));
        j.put("importance", text(p, "importance", "normal"));
        j.put("sensitivity", text(p, "sensitivity", "normal"));
        j.put("isAllDay", allDay);
        j.put("isCancelled", false);
        // An invitation from someone else (the control API's "invitation"): the mailbox is an attendee of it.
        boolean invited = p.path(INVITED_BY).isObject();
        j.put("isOrganizer", !invited);
        j.put("responseRequested", p.path("responseRequested").asBoolean(true));
        j.put("seriesMasterId", s.seriesMasterId());
        j.put("showAs", text(p, "showAs", "busy"));
        j.put("type", s.type());
        j.put(
                "webLink",
                "https://outlook.office365.com/owa/?itemid=" + URLEncoder.encode(s.id(), StandardCharsets.UTF_8)
                        + "&exvsurl=1&path=/calendar/item");
        j.putNull("onlineMeetingUrl");
        boolean online = p.path("isOnlineMeeting").asBoolean(false);
        j.put("isOnlineMeeting", online);
        j.put("onlineMeetingProvider", text(p, "onlineMeetingProvider", online ? "teamsForBusiness" : "unknown"));
        j.put("allowNewTimeProposals", p.path("allowNewTimeProposals").asBoolean(true));
        j.put(
                "occurrenceId",
                s.occurrenceDate() == null ? null : "OID." + s.seriesMasterId() + "." + s.occurrenceDate());
        j.put("isDraft", false);
        j.put("hideAttendees", p.path("hideAttendees").asBoolean(false));
        ObjectNode response = j.putObject("responseStatus");
        response.put("response", invited ? p.path(RESPONSE).path("response").asString("notResponded") : "organizer");
        response.put("time", invited ? p.path(RESPONSE).path("time").asString(EventInput.NO_TIME) : EventInput.NO_TIME);
        j.set("body", p.path("body").isObject() ? p.get("body") : defaultBody());
        j.set("start", utc(allDay ? s.start().local() : LocalDateTime.ofInstant(start, ZoneOffset.UTC)));
        j.set("end", utc(allDay ? s.end().local() : LocalDateTime.ofInstant(end, ZoneOffset.UTC)));
        ObjectNode location = p.path("location").isObject()
                ? (ObjectNode) p.get("location")
                : EventInput.location(GraphJson.object());
        j.set("location", location);
        j.set("locations", locations(p, location));
        j.set("recurrence", "seriesMaster".equals(s.type()) ? p.get("recurrence") : null);
        j.set("attendees", p.path("attendees").isArray() ? p.get("attendees") : GraphJson.array());
        ObjectNode organizer = j.putObject("organizer").putObject("emailAddress");
        organizer.put(
                "name",
                invited
                        ? p.path(INVITED_BY).path("name").asString("")
                        : s.organizer().displayName());
        organizer.put(
                "address",
                invited
                        ? p.path(INVITED_BY).path("address").asString("")
                        : s.organizer().email());
        if (online) {
            String thread = s.uid().substring(s.uid().length() - 32).toLowerCase(java.util.Locale.ROOT);
            j.putObject("onlineMeeting")
                    .put(
                            "joinUrl",
                            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + thread + "%40thread.v2/0");
        } else {
            j.putNull("onlineMeeting");
        }
        // the JSON must not share nodes with the mailbox: views outlive later changes
        return j.deepCopy();
    }

    private static ArrayNode locations(ObjectNode p, ObjectNode location) {
        if (p.path("locations").isArray()) {
            return (ArrayNode) p.get("locations");
        }
        ArrayNode a = GraphJson.array();
        if (!location.path("displayName").asString("").isEmpty()) {
            ObjectNode l = a.addObject();
            l.put("displayName", location.get("displayName").asString());
            l.put("locationType", location.path("locationType").asString("default"));
            l.put("uniqueIdType", "unknown");
            l.set("address", location.path("address").isObject() ? location.get("address") : GraphJson.object());
            l.set(
                    "coordinates",
                    location.path("coordinates").isObject() ? location.get("coordinates") : GraphJson.object());
        }
        return a;
    }

    private static ObjectNode utc(LocalDateTime t) {
        ObjectNode n = GraphJson.object();
        n.put("dateTime", GraphJson.local(t));
        n.put("timeZone", "UTC");
        return n;
    }

    private static ObjectNode defaultBody() {
        ObjectNode b = GraphJson.object();
        b.put("contentType", "html");
        b.put("content", "");
        return b;
    }

    private static String text(ObjectNode p, String field, String fallback) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? fallback : v.asString();
    }

    /** The first 255 characters of the body as text (tags dropped, white space collapsed). */
    static String preview(JsonNode body) {
        String content = body.path("content").asString("");
        if ("html".equalsIgnoreCase(body.path("contentType").asString(""))) {
            content = content.replaceAll("(?is)<(head|style|script)[^>]*>.*?</\\1>", " ")
                    .replaceAll("<[^>]+>", " ")
                    .replace("&nbsp;", " ")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
        }
        String text = content.replaceAll("\\s+", " ").trim();
        return text.length() > 255 ? text.substring(0, 255) : text;
    }

    /**
     * Exchange's global object id as iCalUId: the master's has zeros where an instance date goes; an occurrence's
     * carries its date (year, month, day) there.
     */
    static String instanceUid(String masterUid, LocalDate date) {
        String datePart = String.format("%04X%02X%02X", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        return masterUid.substring(0, 32) + datePart + masterUid.substring(40);
    }

    static String newUid(Instant created, byte[] random16) {
        long fileTime = created.toEpochMilli() * 10_000 + 116_444_736_000_000_000L;
        StringBuilder le = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            le.append(String.format("%02X", (fileTime >>> (8 * i)) & 0xff));
        }
        return "040000008200E00074C5B7101A82E008" + "00000000" + le + "0000000000000000" + "10000000"
                + HexFormat.of().withUpperCase().formatHex(random16);
    }
}
