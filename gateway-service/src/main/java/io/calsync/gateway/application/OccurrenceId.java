package io.calsync.gateway.application;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ids of occurrences expanded from a series: {@code <seriesId>_<original start in UTC basic format>}
 * ({@code _20261124T100000Z}), or {@code _20261124} for all-day series, Google's instance-id convention.
 */
public record OccurrenceId(UUID seriesId, Instant originalStart, LocalDate originalDate) {

    private static final Pattern ID = Pattern.compile("^([0-9a-fA-F-]{36})_(\\d{8})(?:T(\\d{6})Z)?$");
    private static final DateTimeFormatter BASIC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    public static String of(UUID seriesId, Instant originalStart) {
        return seriesId + "_" + BASIC.format(originalStart);
    }

    public static String of(UUID seriesId, LocalDate originalDate) {
        return seriesId + "_" + DATE.format(originalDate);
    }

    public static Optional<OccurrenceId> parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            UUID series = UUID.fromString(m.group(1));
            LocalDate date = LocalDate.parse(m.group(2), DATE);
            if (m.group(3) == null) {
                return Optional.of(new OccurrenceId(series, null, date));
            }
            Instant start = BASIC.parse(m.group(2) + "T" + m.group(3) + "Z", Instant::from);
            return Optional.of(new OccurrenceId(series, start, null));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
