package io.calsync.providers.ical;

import java.time.Duration;
import java.util.List;
import net.fortuna.ical4j.model.component.VEvent;

/**
 * A feed as {@link IcsParser} read it.
 *
 * @param calendarName {@code X-WR-CALNAME}, else {@code NAME} (RFC 7986), unescaped and trimmed; null when the feed
 *     names none
 * @param timezone {@code X-WR-TIMEZONE}, else the TZID of the first VTIMEZONE; null when there is neither
 * @param refreshInterval {@code REFRESH-INTERVAL} (RFC 7986), else {@code X-PUBLISHED-TTL}, when positive; null
 *     otherwise. The poller treats it as a minimum between refreshes
 * @param events the VEVENTs that could be read and have a start, in feed order
 * @param skipped the components that could not be read (or VEVENTs without a readable start), each with its reason:
 *     the feed is kept without them
 * @param repairs what the repair pass and the parser changed or dropped to read the rest (bounded; for logs)
 */
public record IcsFeed(
        String calendarName,
        String timezone,
        Duration refreshInterval,
        List<VEvent> events,
        List<Skipped> skipped,
        List<String> repairs) {

    public IcsFeed {
        events = List.copyOf(events);
        skipped = List.copyOf(skipped);
        repairs = List.copyOf(repairs);
    }

    /** The number of VEVENTs read ({@code eventCount} of the contract). */
    public int eventCount() {
        return events.size();
    }

    /**
     * A component left out.
     *
     * @param component its name ({@code VEVENT}, {@code VTIMEZONE}, ...)
     * @param uid its UID when it has one, else null
     * @param line the feed line its BEGIN was on (1-based)
     * @param reason why, in words
     */
    public record Skipped(String component, String uid, int line, String reason) {}
}
