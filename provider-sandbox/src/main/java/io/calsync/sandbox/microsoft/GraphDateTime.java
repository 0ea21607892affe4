package io.calsync.sandbox.microsoft;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph's dateTimeTimeZone resolved: the wall-clock time, the zone name as the client gave it (kept for
 * originalStartTimeZone) and the zone it names.
 */
record GraphDateTime(LocalDateTime local, String timeZone, ZoneId zone) {

    Instant instant() {
        return local.atZone(zone).toInstant();
    }

    ObjectNode toJson() {
        ObjectNode n = GraphJson.object();
        n.put("dateTime", GraphJson.local(local));
        n.put("timeZone", timeZone);
        return n;
    }

    GraphDateTime withLocal(LocalDateTime other) {
        return new GraphDateTime(other, timeZone, zone);
    }

    /** Parses {@code start}/{@code end} of a request body; Graph's own errors for bad zones and values. */
    static GraphDateTime parse(JsonNode node, String property) {
        if (node == null || node.isNull() || !node.isObject()) {
            throw GraphException.invalidRequest("Your request can't be completed. The '" + property
                    + "' property must be a dateTimeTimeZone with dateTime and timeZone.");
        }
        String tz = GraphJson.text(node, "timeZone");
        String dt = GraphJson.text(node, "dateTime");
        ZoneId zone = TimeZones.resolve(tz == null ? "UTC" : tz)
                .orElseThrow(() -> new GraphException(
                        400,
                        "TimeZoneNotSupportedException",
                        "A valid TimeZone value must be specified. The following TimeZone value is not supported: '"
                                + tz + "'."));
        LocalDateTime local = dt == null ? null : GraphJson.parseLocal(dt, zone);
        if (local == null) {
            throw GraphException.invalidRequest("Cannot convert the literal '" + dt
                    + "' to the expected type 'Edm.DateTime'" + " in property '" + property + "'.");
        }
        return new GraphDateTime(local.withNano(local.getNano() / 100 * 100), tz == null ? "UTC" : tz, zone);
    }
}
