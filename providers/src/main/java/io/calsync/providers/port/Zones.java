package io.calsync.providers.port;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zone names as providers and feeds write them, to IANA ids. Windows names ({@code "Pacific Standard Time"}, as
 * Graph's {@code originalStartTimeZone} and Outlook-made ICS feeds use them) go through CLDR's windowsZones table as
 * ICU ships it (territory {@code 001}, the zone CLDR names for the name as a whole). IANA ids and their old aliases
 * pass through as Java knows them; Outlook's {@code "tzone://Microsoft/Utc"} and the like become {@code UTC}.
 * Unknown names answer null: the caller keeps the instant and drops the zone rather than guessing.
 */
public final class Zones {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
    private static final String NONE = "";

    private Zones() {}

    /** The IANA id for {@code name}, or null when it names no zone we know. */
    public static String toIana(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String found = CACHE.computeIfAbsent(name.strip(), Zones::resolve);
        return found.isEmpty() ? null : found;
    }

    private static String resolve(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("utc")
                || lower.equals("z")
                || lower.equals("gmt")
                || lower.startsWith("tzone://microsoft/utc")) {
            return "UTC";
        }
        try {
            return ZoneId.of(name, ZoneId.SHORT_IDS).getId();
        } catch (DateTimeException notIana) {
            // fall through to the Windows names
        }
        String windows = com.ibm.icu.util.TimeZone.getIDForWindowsID(name, null);
        if (windows != null) {
            try {
                return ZoneId.of(windows).getId();
            } catch (DateTimeException unknownToJava) {
                return NONE;
            }
        }
        return NONE;
    }
}
