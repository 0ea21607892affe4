package io.calsync.sandbox.microsoft;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Ids of occurrences. Graph derives an occurrence's id from its series and original start, so it is the same in
 * every calendarView and stays when the occurrence becomes an exception; here the id encodes both, reversibly, so
 * that {@code GET /me/events/{occurrenceId}} needs no registry.
 */
final class OccurrenceIds {

    private static final String PREFIX = "AAMkAOcc";

    record Ref(String masterId, Instant originalStart) {}

    private OccurrenceIds() {}

    static String of(String masterId, Instant originalStart) {
        String raw = masterId + "|" + originalStart.getEpochSecond();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8))
                + "=";
    }

    static Optional<Ref> parse(String id) {
        if (id == null || !id.startsWith(PREFIX) || !id.endsWith("=")) {
            return Optional.empty();
        }
        try {
            String raw = new String(
                    Base64.getUrlDecoder().decode(id.substring(PREFIX.length(), id.length() - 1)),
                    StandardCharsets.UTF_8);
            int bar = raw.lastIndexOf('|');
            if (bar < 1) {
                return Optional.empty();
            }
            return Optional.of(
                    new Ref(raw.substring(0, bar), Instant.ofEpochSecond(Long.parseLong(raw.substring(bar + 1)))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
