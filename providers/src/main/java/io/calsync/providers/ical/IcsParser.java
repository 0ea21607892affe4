package io.calsync.providers.ical;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.util.CompatibilityHints;

/**
 * Reads an ICS feed's bytes tolerantly: real feeds are often not valid RFC 5545, and one bad event must never cost
 * the user the whole calendar.
 *
 * <ol>
 *   <li>Decode (UTF-8, UTF-16 by BOM, else ISO-8859-1) and refuse what is not iCalendar at all: empty, HTML, JSON
 *       ({@link InvalidIcsException}, {@code ICS_INVALID}).
 *   <li>Repair the text ({@link IcsRepair}): structure, malformed lines, dates (year 0, missing seconds, ...).
 *   <li>Parse it with ical4j in relaxed mode; a property ical4j cannot read is dropped and noted
 *       ({@link RecordingContentHandler}). Should the whole still fail, each top-level component is parsed on its
 *       own and those that fail are skipped ({@link ComponentReader}).
 *   <li>Keep the VEVENTs that have a start; skip the others.
 * </ol>
 *
 * <p>The feed is refused only when it had events and not one of them could be read. Thread-safe. ical4j's
 * compatibility hints are JVM-wide and set once, when this class is loaded: relaxed unfolding, parsing and
 * validation, Outlook and Lotus Notes compatibility.
 */
public class IcsParser {

    private static final Set<String> CALENDAR_COMPONENTS =
            Set.of("VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY");
    private static final Pattern WEEKS = Pattern.compile("^\\+?P(\\d{1,6})W$");

    static {
        for (String hint : List.of(
                CompatibilityHints.KEY_RELAXED_UNFOLDING,
                CompatibilityHints.KEY_RELAXED_PARSING,
                CompatibilityHints.KEY_RELAXED_VALIDATION,
                CompatibilityHints.KEY_OUTLOOK_COMPATIBILITY,
                CompatibilityHints.KEY_NOTES_COMPATIBILITY)) {
            CompatibilityHints.setHintEnabled(hint, true);
        }
    }

    /**
     * @param content the feed's bytes as fetched
     * @return the feed; never null
     * @throws InvalidIcsException when the content is not an iCalendar feed or none of its events can be read
     */
    public IcsFeed parse(byte[] content) {
        String text = IcsText.decode(content);
        IcsText.requireICalendar(text);
        Notes notes = new Notes();
        IcsRepair.Repaired repaired = IcsRepair.repair(text, notes);
        if (!repaired.hadCalendar()
                && repaired.components().stream().noneMatch(b -> CALENDAR_COMPONENTS.contains(b.name()))) {
            throw new InvalidIcsException("the content is not an iCalendar feed (it has no VCALENDAR or events)");
        }
        Sorted sorted = Sorted.of(ComponentReader.read(repaired, notes));
        sorted.requireAnEvent();
        String declaredZone = text(repaired, "X-WR-TIMEZONE");
        return new IcsFeed(
                text(repaired, "X-WR-CALNAME", "NAME"),
                declaredZone != null ? declaredZone : sorted.firstZone(),
                refreshInterval(repaired, notes),
                sorted.events(),
                sorted.skipped(),
                notes.list());
    }

    /** The components read, sorted: the events with a start, what was skipped, the first time zone read. */
    private record Sorted(List<VEvent> events, List<IcsFeed.Skipped> skipped, String firstZone) {

        static Sorted of(List<ComponentReader.Read> read) {
            List<VEvent> events = new ArrayList<>();
            List<IcsFeed.Skipped> skipped = new ArrayList<>();
            String firstZone = null;
            for (ComponentReader.Read r : read) {
                if (r.component() == null) {
                    skipped.add(skip(r.block(), r.failure()));
                } else if (r.component() instanceof VEvent event) {
                    if (event.getProperty(Property.DTSTART).isPresent()) {
                        events.add(event);
                    } else {
                        skipped.add(skip(r.block(), "no readable DTSTART"));
                    }
                } else if (r.component() instanceof VTimeZone && firstZone == null) {
                    firstZone = r.block().property("TZID").strip();
                }
            }
            return new Sorted(events, skipped, firstZone);
        }

        private static IcsFeed.Skipped skip(IcsRepair.Block block, String reason) {
            String uid = block.property("UID");
            return new IcsFeed.Skipped(block.name(), uid == null ? null : uid.strip(), block.line(), reason);
        }

        /** A feed whose every event is broken is refused, with the first reason: there is nothing to show. */
        void requireAnEvent() {
            if (!events.isEmpty()) {
                return;
            }
            skipped.stream()
                    .filter(s -> s.component().equals("VEVENT"))
                    .findFirst()
                    .ifPresent(first -> {
                        throw new InvalidIcsException("none of the feed's events could be read (the first, at line "
                                + first.line() + ": " + first.reason() + ")");
                    });
        }
    }

    /** The first non-blank value of the named calendar properties, unescaped. */
    private static String text(IcsRepair.Repaired repaired, String... names) {
        for (String name : names) {
            ContentLine p = repaired.calendarProperty(name);
            if (p != null && !p.value().isBlank()) {
                return ContentLine.unescapeText(p.value()).strip();
            }
        }
        return null;
    }

    /** REFRESH-INTERVAL or X-PUBLISHED-TTL as a positive duration ({@code PT1H}, {@code P1D}, {@code P1W}). */
    private static Duration refreshInterval(IcsRepair.Repaired repaired, Notes notes) {
        String value = text(repaired, "REFRESH-INTERVAL", "X-PUBLISHED-TTL");
        if (value == null) {
            return null;
        }
        String v = value.toUpperCase(Locale.ROOT);
        try {
            Matcher weeks = WEEKS.matcher(v);
            Duration d = weeks.matches() ? Duration.ofDays(7 * Long.parseLong(weeks.group(1))) : Duration.parse(v);
            return d.isNegative() || d.isZero() ? null : d;
        } catch (DateTimeParseException | ArithmeticException e) {
            notes.add("refresh interval " + value + " is not a duration; ignored");
            return null;
        }
    }
}
