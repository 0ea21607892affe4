package io.calsync.sandbox.google;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event's {@code start}, {@code end} or {@code originalStartTime}: either an all-day {@code date} or a
 * {@code dateTime} instant with an optional IANA {@code timeZone}.
 */
record EventTime(LocalDate date, Instant dateTime, String timeZone) {

    static EventTime ofDate(LocalDate date) {
        return new EventTime(date, null, null);
    }

    static EventTime ofDateTime(Instant instant, String timeZone) {
        return new EventTime(null, instant, timeZone);
    }

    boolean allDay() {
        return date != null;
    }

    /**
     * Reads Google's JSON. A {@code dateTime} without an offset is local time in {@code timeZone}, which is then
     * required, as at Google.
     *
     * @param what {@code start} or {@code end}, for the error messages
     */
    static EventTime parse(JsonNode node, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw GoogleApiException.required("Missing " + what + " time.");
        }
        String date = text(node, "date");
        String dateTime = text(node, "dateTime");
        String timeZone = text(node, "timeZone");
        if ((date == null) == (dateTime == null)) {
            throw date == null
                    ? GoogleApiException.required("Missing " + what + " time.")
                    : GoogleApiException.invalid("Invalid " + what + " time.");
        }
        ZoneId zone = null;
        if (timeZone != null) {
            zone = GoogleTime.zone(timeZone);
            if (zone == null) {
                throw GoogleApiException.invalid("Invalid time zone definition for " + what + " time.");
            }
        }
        try {
            if (date != null) {
                return ofDate(LocalDate.parse(date));
            }
            try {
                return ofDateTime(
                        OffsetDateTime.parse(dateTime, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                                .toInstant(),
                        timeZone);
            } catch (DateTimeParseException noOffset) {
                LocalDateTime local = LocalDateTime.parse(dateTime);
                if (zone == null) {
                    throw GoogleApiException.required("Missing time zone definition for " + what + " time.");
                }
                return ofDateTime(local.atZone(zone).toInstant(), timeZone);
            }
        } catch (DateTimeParseException e) {
            throw GoogleApiException.invalid("Invalid " + what + " time.");
        }
    }

    /** Where this time lies; all-day dates begin at midnight in the calendar's time zone. */
    Instant instant(ZoneId calendarZone) {
        return allDay() ? date.atStartOfDay(calendarZone).toInstant() : dateTime;
    }

    /** The zone a recurrence is expanded in. */
    ZoneId zone(ZoneId fallback) {
        ZoneId z = timeZone == null ? null : GoogleTime.zone(timeZone);
        return z == null ? fallback : z;
    }

    /** Google's JSON, with a {@code dateTime} written at the offset of {@code renderZone}. */
    ObjectNode toJson(ZoneId renderZone) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (allDay()) {
            n.put("date", date.toString());
        } else {
            n.put("dateTime", GoogleTime.dateTime(dateTime, renderZone));
            if (timeZone != null) {
                n.put("timeZone", timeZone);
            }
        }
        return n;
    }

    /** The suffix of an instance id: {@code 20261124T100000Z} or, all day, {@code 20261124}. */
    String instanceSuffix() {
        return allDay() ? GoogleTime.basic(date) : GoogleTime.basic(dateTime);
    }

    boolean sameTime(EventTime other) {
        return other != null
                && java.util.Objects.equals(date, other.date)
                && java.util.Objects.equals(dateTime, other.dateTime);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }
}
