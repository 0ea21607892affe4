package io.calsync.model.domain;

import java.util.Locale;

/**
 * How an event blocks its owner's time, in one vocabulary for every provider (column
 * {@code calendar_events.availability}; null counts as {@link #BUSY}). Google's {@code transparency}, Graph's
 * {@code showAs} and ICS {@code TRANSP} map here; free/busy leaves {@link #FREE} events out and answers
 * {@link #TENTATIVE} ones as such.
 */
public enum Availability {
    BUSY,
    FREE,
    TENTATIVE,
    OOF,
    WORKING_ELSEWHERE;

    /** Google's {@code transparency}: {@code transparent} is FREE, anything else (opaque, absent) BUSY. */
    public static Availability fromGoogleTransparency(String transparency) {
        return "transparent".equalsIgnoreCase(transparency) ? FREE : BUSY;
    }

    /** Graph's {@code showAs}; {@code unknown} and absent values are BUSY. */
    public static Availability fromGraphShowAs(String showAs) {
        if (showAs == null) {
            return BUSY;
        }
        return switch (showAs.toLowerCase(Locale.ROOT)) {
            case "free" -> FREE;
            case "tentative" -> TENTATIVE;
            case "oof" -> OOF;
            case "workingelsewhere" -> WORKING_ELSEWHERE;
            default -> BUSY;
        };
    }

    /** RFC 5545 {@code TRANSP}: {@code TRANSPARENT} is FREE, OPAQUE (the default) BUSY. */
    public static Availability fromIcsTransp(String transp) {
        return transp != null && "TRANSPARENT".equalsIgnoreCase(transp.trim()) ? FREE : BUSY;
    }

    /** The stored value read back: null or an unknown word is BUSY. */
    public static Availability parse(String stored) {
        if (stored == null) {
            return BUSY;
        }
        try {
            return valueOf(stored);
        } catch (IllegalArgumentException e) {
            return BUSY;
        }
    }
}
