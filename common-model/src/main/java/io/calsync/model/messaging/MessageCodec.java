package io.calsync.model.messaging;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of {@link CalendarMessage}s: instants as ISO-8601 strings, the logical type id in {@code type}, unknown
 * properties ignored (so that newer writers may add fields). Thread-safe.
 */
public final class MessageCodec {

    /** Kafka header that repeats the message's logical type. */
    public static final String TYPE_HEADER = "calsync-type";
    /** Kafka header that repeats the message's event id. */
    public static final String EVENT_ID_HEADER = "calsync-event-id";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private MessageCodec() {}

    public static String encode(CalendarMessage message) {
        return MAPPER.writeValueAsString(message);
    }

    public static byte[] encodeBytes(CalendarMessage message) {
        return MAPPER.writeValueAsBytes(message);
    }

    /**
     * Reads a message.
     *
     * @throws MalformedMessageException when the bytes are not a message this version knows: such a record can never
     *     succeed on retry and goes to the dead-letter topic at once
     */
    public static CalendarMessage decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw new MalformedMessageException("empty message");
        }
        try {
            CalendarMessage message = MAPPER.readValue(json, CalendarMessage.class);
            if (message.eventId() == null || message.connectionId() == null) {
                throw new MalformedMessageException("message without eventId or connectionId");
            }
            return message;
        } catch (JacksonException e) {
            throw new MalformedMessageException("not a calendar message: " + e.getOriginalMessage());
        }
    }

    public static CalendarMessage decode(String json) {
        return decode(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Thrown for bytes that are not a valid message; never worth a retry. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message) {
            super(message);
        }
    }
}
