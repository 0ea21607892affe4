package io.calsync.sandbox.microsoft;

import java.time.Instant;
import java.time.LocalDateTime;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable snapshot of one event as Graph shows it: a single instance, series master, occurrence or exception,
 * its JSON written in UTC, and what is needed to write start/end in another zone. All-day events float: their
 * midnight-to-midnight stays the same whatever zone they are shown in.
 */
public record EventView(
        String id,
        String calendarId,
        String type,
        Instant start,
        Instant end,
        boolean allDay,
        LocalDateTime floatingStart,
        LocalDateTime floatingEnd,
        ObjectNode utcJson) {

    /** The event's JSON in UTC (a copy). */
    public ObjectNode json() {
        return utcJson.deepCopy();
    }

    public ObjectNode render(RenderZone zone) {
        ObjectNode json = utcJson.deepCopy();
        if (zone == null || zone.equals(RenderZone.UTC)) {
            return json;
        }
        json.set("start", dateTime(allDay ? floatingStart : LocalDateTime.ofInstant(start, zone.zone()), zone.label()));
        json.set("end", dateTime(allDay ? floatingEnd : LocalDateTime.ofInstant(end, zone.zone()), zone.label()));
        return json;
    }

    /** Equal fingerprints mean a delta has nothing to report for this item. */
    String fingerprint() {
        return utcJson.toString();
    }

    boolean overlaps(Instant from, Instant to) {
        if (start.equals(end)) {
            return !start.isBefore(from) && start.isBefore(to);
        }
        return start.isBefore(to) && end.isAfter(from);
    }

    private static ObjectNode dateTime(LocalDateTime t, String zone) {
        ObjectNode n = GraphJson.object();
        n.put("dateTime", GraphJson.local(t));
        n.put("timeZone", zone);
        return n;
    }
}
