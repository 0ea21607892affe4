package io.calsync.providers.ical;

import io.calsync.providers.port.Zones;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.property.DateProperty;

/**
 * Date and date-time values of a feed, read into what the store keeps: a date, or an instant with the zone it was
 * written in.
 *
 * <ul>
 *   <li>{@code VALUE=DATE}: a date, never shifted by a zone.
 *   <li>{@code TZID}: the instant as ical4j resolved it with the feed's own VTIMEZONE (or its built-in zones);
 *       the zone named as IANA through {@link Zones#toIana} (Windows names from Outlook feeds included), or by
 *       the tail of a libical path id ({@code /freeassociation.sourceforge.net/Tzfile/Europe/Vienna}). A custom
 *       VTIMEZONE name that is none of these ({@code "Customized Time Zone"}) keeps ical4j's resolved offset for
 *       the instant and no IANA name: we do not guess one.
 *   <li>A {@code TZID} ical4j does not know and that has no VTIMEZONE: read in the IANA zone it names, when it names
 *       one; else treated as floating.
 *   <li>Floating (no {@code TZID}, no {@code Z}): in the calendar's zone ({@link FeedZone}), else UTC.
 *   <li>{@code Z}: UTC.
 * </ul>
 *
 * <p>A value ical4j cannot turn into a date at all (it parses lazily, so this shows only when it is read) is read
 * here from its text, so that for instance an unquoted {@code TZID=tzone://Microsoft/Utc}, which the parser splits
 * at its colon, still gives its event a start.
 */
final class IcsTimes {

    /** ISO basic UTC date-time, as RECURRENCE-ID suffixes, EXDATE/RDATE and UNTIL values are written. */
    static final DateTimeFormatter UTC_BASIC =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static final DateTimeFormatter DATE_BASIC = DateTimeFormatter.ofPattern("uuuuMMdd");

    private static final DateTimeFormatter TIME_BASIC = DateTimeFormatter.ofPattern("HHmmss");

    /** Years outside 1..9999 fit neither the basic formats above nor, at the far end, PostgreSQL's timestamptz. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** An optional prefix (the rest of a TZID split at its colon), a date, an optional time, an optional Z. */
    private static final Pattern RAW = Pattern.compile("^(?:(.*):)?(\\d{8})(?:T(\\d{6})(Z)?)?$");

    private IcsTimes() {}

    /**
     * The zone floating times of one feed are read in: the calendar's ({@link io.calsync.providers.ical.IcsFeed#timezone}:
     * X-WR-TIMEZONE, else its VTIMEZONE) when it names a zone we know, else UTC.
     */
    record FeedZone(ZoneId zone, String iana) {

        static final FeedZone UTC = new FeedZone(ZoneOffset.UTC, "UTC");

        static FeedZone of(String calendarZone) {
            String iana = ianaOf(calendarZone);
            if (iana == null) {
                return UTC;
            }
            try {
                return new FeedZone(ZoneId.of(iana), iana);
            } catch (DateTimeException e) {
                return UTC;
            }
        }
    }

    /**
     * One value read: {@code date} for a DATE; else {@code instant}, the {@code zone} to compute wall times in and
     * the {@code iana} name to store (null when the zone has none).
     */
    record When(LocalDate date, Instant instant, ZoneId zone, String iana) {

        static When ofDate(LocalDate date) {
            return new When(date, date.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC, null);
        }

        boolean isDate() {
            return date != null;
        }

        /** The date as written: the date itself, or the wall date in the value's own zone. */
        LocalDate wallDate() {
            return date != null ? date : instant.atZone(zone).toLocalDate();
        }

        LocalTime wallTime() {
            return date != null ? LocalTime.MIDNIGHT : instant.atZone(zone).toLocalTime();
        }

        /** RECURRENCE-ID suffix form: the date for a DATE, else the instant in UTC basic form. */
        String basic() {
            return date != null ? DATE_BASIC.format(date) : UTC_BASIC.format(instant);
        }
    }

    /**
     * Reads a DTSTART, DTEND or RECURRENCE-ID.
     *
     * @throws IllegalArgumentException when the value cannot be read as a date at all, or lies outside years 1..9999
     */
    static When read(DateProperty<?> property, FeedZone feed) {
        String tzid = tzid(property);
        Temporal value;
        try {
            value = property.getDate();
        } catch (RuntimeException unreadable) {
            value = null;
        }
        When when = value != null ? of(value, tzid, feed) : raw(property.getName(), property.getValue(), tzid, feed);
        return checked(property.getName(), when);
    }

    /**
     * The IANA zone a TZID names: {@link Zones#toIana}, or, for the path-like ids that libical-based producers
     * write ({@code /freeassociation.sourceforge.net/Tzfile/Europe/Vienna}, {@code /mozilla.org/20050126_1/...}),
     * the zone their tail names. Null when none.
     */
    static String ianaOf(String tzid) {
        String iana = Zones.toIana(tzid);
        if (iana != null || tzid == null || !tzid.startsWith("/")) {
            return iana;
        }
        for (int slash = tzid.indexOf('/', 1); slash > 0; slash = tzid.indexOf('/', slash + 1)) {
            String tail = tzid.substring(slash + 1);
            if (tail.indexOf('/') > 0) {
                iana = Zones.toIana(tail);
                if (iana != null) {
                    return iana;
                }
            }
        }
        return null;
    }

    static String tzid(net.fortuna.ical4j.model.Property property) {
        return property.getParameter(Parameter.TZID)
                .map(Parameter::getValue)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(null);
    }

    /** A value ical4j produced, read as described above. */
    static When of(Temporal value, String tzid, FeedZone feed) {
        if (value instanceof LocalDate date) {
            return When.ofDate(date);
        }
        if (value instanceof LocalDateTime local) {
            String iana = ianaOf(tzid);
            ZoneId zone = zoneOrNull(iana);
            if (zone == null) {
                return new When(null, local.atZone(feed.zone()).toInstant(), feed.zone(), feed.iana());
            }
            return new When(null, local.atZone(zone).toInstant(), zone, iana);
        }
        if (value instanceof ZonedDateTime zoned) {
            // The instant as the feed defines its zone; the IANA name only from the TZID (ical4j's own zone ids
            // are per-parse UUIDs and name nothing).
            String iana = ianaOf(tzid);
            ZoneId zone = zoneOrNull(iana);
            if (zone == null) {
                // A zone the feed defined under a name of its own: the IANA zone that keeps the same time, if any.
                iana = ZoneMatch.iana(zoned.getZone(), Instant.now()).orElse(null);
                zone = zoneOrNull(iana);
            }
            return new When(null, zoned.toInstant(), zone != null ? zone : zoned.getZone(), zone != null ? iana : null);
        }
        if (value instanceof OffsetDateTime offset) {
            boolean utc = offset.getOffset().equals(ZoneOffset.UTC);
            return new When(null, offset.toInstant(), offset.getOffset(), utc ? "UTC" : null);
        }
        if (value instanceof Instant instant) {
            return new When(null, instant, ZoneOffset.UTC, "UTC");
        }
        return new When(null, Instant.from(value), ZoneOffset.UTC, "UTC");
    }

    /**
     * A value read from its text: {@code [prefix:]yyyyMMdd[THHmmss[Z]]}, where a prefix is the tail of a TZID that
     * contained a colon.
     */
    static When raw(String name, String text, String tzid, FeedZone feed) {
        Matcher m = text == null ? null : RAW.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(name + " is not a date");
        }
        try {
            LocalDate date = LocalDate.parse(m.group(2), DATE_BASIC);
            if (m.group(3) == null) {
                return When.ofDate(date);
            }
            LocalDateTime local = date.atTime(LocalTime.parse(m.group(3), TIME_BASIC));
            if (m.group(4) != null) {
                return new When(null, local.toInstant(ZoneOffset.UTC), ZoneOffset.UTC, "UTC");
            }
            String zoneName = m.group(1) == null ? tzid : (tzid == null ? m.group(1) : tzid + ":" + m.group(1));
            return of(local, zoneName, feed);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + " is not a valid date", e);
        }
    }

    static When checked(String name, When when) {
        if (when.instant().isBefore(EARLIEST) || when.instant().isAfter(LATEST)) {
            throw new IllegalArgumentException(name + " is outside the years 1 to 9999");
        }
        return when;
    }

    static ZoneId zoneOrNull(String iana) {
        if (iana == null) {
            return null;
        }
        try {
            return ZoneId.of(iana);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
