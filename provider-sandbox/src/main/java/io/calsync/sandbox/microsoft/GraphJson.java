package io.calsync.sandbox.microsoft;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Graph's JSON conventions: one mapper, and date-times with seven fractional digits as Exchange writes them. */
public final class GraphJson {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** {@code 2017-04-21T10:00:00.0000000}: the dateTime of a dateTimeTimeZone, never with an offset. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

    private GraphJson() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; Graph answers malformed JSON with 400 BadRequest. */
    public static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw new GraphException(400, "BadRequest", "Empty Payload. JSON content expected.");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JacksonException e) {
            // fall through to Graph's message
        }
        throw new GraphException(
                400,
                "BadRequest",
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    public static String local(LocalDateTime t) {
        return LOCAL.format(t);
    }

    /** {@code 2026-05-04T09:24:01.1263863Z} (createdDateTime, expirationDateTime, ...). */
    public static String instant(Instant t) {
        return LOCAL.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + "Z";
    }

    /** {@code 2019-04-15T20:30:00Z}: originalStart as Graph writes it (Edm.DateTimeOffset without fraction). */
    public static String offset(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** {@code 2019-12-11T02:47:21.0000000+00:00}, the form notifications carry. */
    public static String notificationTime(Instant t) {
        return LOCAL.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + "+00:00";
    }

    /**
     * A dateTime as clients send it: {@code 2019-11-11}, {@code 2019-11-11T10:00}, with seconds and any fraction;
     * an offset or {@code Z}, which Graph does not ask for, is honoured by converting into {@code zone}.
     */
    static LocalDateTime parseLocal(String text, ZoneId zone) {
        String s = text.trim();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.endsWith("z") || s.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s.toUpperCase(java.util.Locale.ROOT))
                        .atZoneSameInstant(zone)
                        .toLocalDateTime();
            }
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** startDateTime/endDateTime query values: an offset if given, UTC otherwise. */
    static Instant parseQueryInstant(String text) {
        if (text == null) {
            return null;
        }
        // a '+' that was not percent-encoded arrives as a space
        String s = text.trim().replace(' ', '+');
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            LocalDateTime local = parseLocal(s, ZoneOffset.UTC);
            return local == null ? null : local.toInstant(ZoneOffset.UTC);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
