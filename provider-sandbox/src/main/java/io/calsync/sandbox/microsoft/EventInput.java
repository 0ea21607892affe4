package io.calsync.sandbox.microsoft;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies of event writes, checked and normalized the way Graph does: unknown properties are a
 * RequestBodyRead error, read-only ones are ignored, enums are checked, and start/end/recurrence/all-day rules are
 * validated on the event as a whole after a PATCH has been merged in.
 */
final class EventInput {

    /** Properties a client may write (PATCH replaces each one as a whole, as Graph does). */
    static final Set<String> WRITABLE = Set.of(
            "subject",
            "body",
            "start",
            "end",
            "location",
            "locations",
            "attendees",
            "isAllDay",
            "showAs",
            "importance",
            "sensitivity",
            "categories",
            "isReminderOn",
            "reminderMinutesBeforeStart",
            "recurrence",
            "isOnlineMeeting",
            "onlineMeetingProvider",
            "responseRequested",
            "allowNewTimeProposals",
            "hideAttendees",
            "transactionId");

    /** Read-only or navigation properties that Graph accepts in a body and ignores. */
    private static final Set<String> IGNORED = Set.of(
            "id",
            "changeKey",
            "createdDateTime",
            "lastModifiedDateTime",
            "iCalUId",
            "uid",
            "type",
            "seriesMasterId",
            "webLink",
            "organizer",
            "responseStatus",
            "isOrganizer",
            "hasAttachments",
            "bodyPreview",
            "originalStart",
            "originalStartTimeZone",
            "originalEndTimeZone",
            "occurrenceId",
            "onlineMeeting",
            "onlineMeetingUrl",
            "isCancelled",
            "isDraft",
            "attachments",
            "extensions",
            "instances",
            "calendar",
            "singleValueExtendedProperties",
            "multiValueExtendedProperties",
            "cancelledOccurrences",
            "exceptionOccurrences");

    private static final Map<String, List<String>> ENUMS = Map.of(
            "showAs", List.of("free", "tentative", "busy", "oof", "workingElsewhere", "unknown"),
            "importance", List.of("low", "normal", "high"),
            "sensitivity", List.of("normal", "personal", "private", "confidential"),
            "onlineMeetingProvider", List.of("unknown", "teamsForBusiness", "skypeForBusiness", "skypeForConsumer"));
    private static final Map<String, String> ENUM_TYPES = Map.of(
            "showAs",
            "freeBusyStatus",
            "importance",
            "importance",
            "sensitivity",
            "sensitivity",
            "onlineMeetingProvider",
            "onlineMeetingProviderType");
    private static final Set<String> BOOLEANS = Set.of(
            "isAllDay",
            "isReminderOn",
            "isOnlineMeeting",
            "responseRequested",
            "allowNewTimeProposals",
            "hideAttendees");
    private static final List<String> RESPONSES =
            List.of("none", "organizer", "tentativelyAccepted", "accepted", "declined", "notResponded");
    static final String NO_TIME = "0001-01-01T00:00:00Z";

    private EventInput() {}

    /** The writable properties of a body, each normalized; recurrence is finished in {@link #validate}. */
    static ObjectNode properties(ObjectNode body) {
        ObjectNode out = GraphJson.object();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String name = e.getKey();
            if (name.startsWith("@odata.") || IGNORED.contains(name)) {
                continue;
            }
            if (!WRITABLE.contains(name)) {
                throw new GraphException(
                        400,
                        "RequestBodyRead",
                        "The property '" + name
                                + "' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that"
                                + " are defined by the type or mark the type as open type.");
            }
            out.set(name, normalize(name, e.getValue()));
        }
        return out;
    }

    private static JsonNode normalize(String name, JsonNode v) {
        if (v.isNull()) {
            return v;
        }
        if (BOOLEANS.contains(name)) {
            if (!v.isBoolean()) {
                throw cannotConvert(v, "Edm.Boolean");
            }
            return v;
        }
        if (ENUMS.containsKey(name)) {
            String value = ENUMS.get(name).stream()
                    .filter(a -> a.equalsIgnoreCase(v.asString()))
                    .findFirst()
                    .orElseThrow(() -> cannotConvert(v, "microsoft.graph." + ENUM_TYPES.get(name)));
            return GraphJson.MAPPER.getNodeFactory().stringNode(value);
        }
        return switch (name) {
            case "subject", "transactionId" -> {
                if (!v.isString()) {
                    throw cannotConvert(v, "Edm.String");
                }
                yield v;
            }
            case "reminderMinutesBeforeStart" -> {
                if (!v.canConvertToInt()) {
                    throw cannotConvert(v, "Edm.Int32");
                }
                yield v;
            }
            case "start", "end" -> GraphDateTime.parse(v, name).toJson();
            case "body" -> body(v);
            case "location" -> location(v);
            case "locations" -> {
                ArrayNode a = GraphJson.array();
                for (JsonNode l : requireArray(v, name)) {
                    a.add(location(l));
                }
                yield a;
            }
            case "attendees" -> {
                ArrayNode a = GraphJson.array();
                for (JsonNode att : requireArray(v, name)) {
                    a.add(attendee(att));
                }
                yield a;
            }
            case "categories" -> {
                for (JsonNode c : requireArray(v, name)) {
                    if (!c.isString()) {
                        throw cannotConvert(c, "Edm.String");
                    }
                }
                yield v;
            }
            default -> v; // recurrence: checked with the whole event
        };
    }

    /**
     * Checks the event as a whole (after a PATCH is merged) and finishes normalization: start and end present, end
     * not before start, all-day events from midnight to midnight and at least a day long, recurrence valid and
     * written back in Graph's full form.
     */
    static void validate(ObjectNode props, boolean occurrence) {
        if (!props.hasNonNull("start") || !props.hasNonNull("end")) {
            throw GraphException.invalidRequest(
                    "Your request can't be completed. An event must have both a start and an end time.");
        }
        GraphDateTime start = GraphDateTime.parse(props.get("start"), "start");
        GraphDateTime end = GraphDateTime.parse(props.get("end"), "end");
        if (end.instant().isBefore(start.instant())) {
            throw GraphException.invalidRequest(
                    "Your request can't be completed. The end time of the event must not be earlier than its start time.");
        }
        if (props.path("isAllDay").asBoolean(false)) {
            if (!start.local().toLocalTime().equals(LocalTime.MIDNIGHT)
                    || !end.local().toLocalTime().equals(LocalTime.MIDNIGHT)) {
                throw GraphException.validation(
                        "Your request can't be completed. The start and end of an event marked as All day must be at midnight.");
            }
            if (Duration.between(start.local(), end.local()).toHours() < 24) {
                throw GraphException.validation(
                        "The duration of an event marked as All day must be at least 24 hours.");
            }
        }
        if (props.hasNonNull("recurrence")) {
            if (occurrence) {
                throw GraphException.invalidRequest(
                        "Your request can't be completed. The recurrence of an occurrence or exception can't be changed.");
            }
            props.set(
                    "recurrence",
                    Recurrence.parse(props.get("recurrence"), start.timeZone()).toJson());
        }
    }

    private static ObjectNode body(JsonNode v) {
        if (!v.isObject()) {
            throw cannotConvert(v, "microsoft.graph.itemBody");
        }
        String type = GraphJson.text(v, "contentType");
        if (type != null && !type.equalsIgnoreCase("text") && !type.equalsIgnoreCase("html")) {
            throw cannotConvert(v.get("contentType"), "microsoft.graph.bodyType");
        }
        ObjectNode b = GraphJson.object();
        b.put("contentType", type == null ? "text" : type.toLowerCase(java.util.Locale.ROOT));
        String content = GraphJson.text(v, "content");
        b.put("content", content == null ? "" : content);
        return b;
    }

    /** Graph fills in locationType, uniqueId/uniqueIdType and empty address/coordinates. */
    static ObjectNode location(JsonNode v) {
        if (!v.isObject()) {
            throw cannotConvert(v, "microsoft.graph.location");
        }
        String name = GraphJson.text(v, "displayName");
        ObjectNode l = GraphJson.object();
        l.put("displayName", name == null ? "" : name);
        l.put(
                "locationType",
                v.hasNonNull("locationType") ? v.get("locationType").asString() : "default");
        if (v.hasNonNull("uniqueId")) {
            l.put("uniqueId", v.get("uniqueId").asString());
            l.put(
                    "uniqueIdType",
                    v.hasNonNull("uniqueIdType") ? v.get("uniqueIdType").asString() : "private");
        } else if (name != null && !name.isEmpty()) {
            l.put("uniqueId", name);
            l.put("uniqueIdType", "private");
        } else {
            l.put("uniqueIdType", "unknown");
        }
        l.set("address", v.path("address").isObject() ? v.get("address") : GraphJson.object());
        l.set("coordinates", v.path("coordinates").isObject() ? v.get("coordinates") : GraphJson.object());
        return l;
    }

    private static ObjectNode attendee(JsonNode v) {
        JsonNode email = v.path("emailAddress");
        String address = GraphJson.text(email, "address");
        if (address == null || !address.contains("@")) {
            throw GraphException.invalidRequest(
                    "Your request can't be completed. An attendee needs an emailAddress with an address.");
        }
        String type = v.hasNonNull("type") ? v.get("type").asString() : "required";
        if (!List.of("required", "optional", "resource").contains(type)) {
            throw cannotConvert(v.get("type"), "microsoft.graph.attendeeType");
        }
        ObjectNode a = GraphJson.object();
        a.put("type", type);
        ObjectNode status = a.putObject("status");
        String response = GraphJson.text(v.path("status"), "response");
        if (response != null && !RESPONSES.contains(response)) {
            throw cannotConvert(v.path("status").get("response"), "microsoft.graph.responseType");
        }
        status.put("response", response == null ? "none" : response);
        String time = GraphJson.text(v.path("status"), "time");
        status.put("time", time == null ? NO_TIME : time);
        ObjectNode e = a.putObject("emailAddress");
        String name = GraphJson.text(email, "name");
        e.put("name", name == null ? address : name);
        e.put("address", address);
        return a;
    }

    private static JsonNode requireArray(JsonNode v, String name) {
        if (!v.isArray()) {
            throw new GraphException(
                    400,
                    "RequestBodyRead",
                    "An unexpected '" + v.getNodeType()
                            + "' node was found when reading from the JSON reader. A 'StartArray' node was expected for property '"
                            + name + "'.");
        }
        return v;
    }

    private static GraphException cannotConvert(JsonNode v, String type) {
        return new GraphException(
                400,
                "RequestBodyRead",
                "Cannot convert the literal '" + (v == null ? "null" : v.asString()) + "' to the expected type '" + type
                        + "'.");
    }
}
