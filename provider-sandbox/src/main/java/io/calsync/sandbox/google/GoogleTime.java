package io.calsync.sandbox.google;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The time formats Google's Calendar API writes and reads. */
final class GoogleTime {

    /** {@code created}/{@code updated}: RFC 3339 in UTC with milliseconds. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Event times: seconds and an offset, {@code Z} for UTC. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /** Instance id suffixes: the original start in UTC, iCalendar basic format. */
    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    /** Push headers use RFC 1123 with a two-digit day, as Google sends them. */
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private GoogleTime() {}

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Google writes {@code created} to the second only. */
    static String createdTimestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String dateTime(Instant instant, ZoneId zone) {
        return DATE_TIME.format(instant.atZone(zone));
    }

    static String basic(Instant instant) {
        return BASIC_UTC.format(instant);
    }

    static String basic(LocalDate date) {
        return BASIC_DATE.format(date);
    }

    static String rfc1123(Instant instant) {
        return RFC_1123.format(instant);
    }

    /** A query parameter such as timeMin: RFC 3339 with a mandatory offset. */
    static Instant parseRfc3339(String value, String parameter) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw GoogleApiException.invalid("Invalid value for " + parameter + ": " + value);
        }
    }

    static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
