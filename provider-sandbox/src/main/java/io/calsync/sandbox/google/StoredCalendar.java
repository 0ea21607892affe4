package io.calsync.sandbox.google;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;

/**
 * One calendar and its events. Mutable; guarded by the store's lock. {@code seq} is the calendar's change sequence:
 * every change to one of its events takes the next number, which sync and page tokens refer to; {@code epoch} bumps
 * when the control API invalidates the sync tokens.
 */
final class StoredCalendar {

    final String id;
    final String accountId;
    final String ownerEmail;
    /** Null when the account has no name beyond its email; Google then omits {@code displayName}. */
    final String ownerName;

    final boolean primary;
    final long ordinal;
    /** The opaque resource id of {@code events.watch} channels: stable per calendar, as at Google. */
    final String resourceId;

    final Map<String, StoredEvent> events = new LinkedHashMap<>();

    String summary;
    String description;
    String location;
    String timeZone;
    String colorId;
    String accessRole;
    ArrayNode defaultReminders;
    long etag;
    /** The account's calendar-list sequence number at this entry's last change. */
    long listSeq;

    long seq;
    int epoch;
    long nextOrdinal;
    Instant updated;

    StoredCalendar(
            String id,
            String accountId,
            String ownerEmail,
            String ownerName,
            boolean primary,
            long ordinal,
            String resourceId) {
        this.id = id;
        this.accountId = accountId;
        this.ownerEmail = ownerEmail;
        this.ownerName = ownerName;
        this.primary = primary;
        this.ordinal = ordinal;
        this.resourceId = resourceId;
    }

    ZoneId zone() {
        ZoneId z = GoogleTime.zone(timeZone);
        return z == null ? java.time.ZoneOffset.UTC : z;
    }

    boolean writable() {
        return "owner".equals(accessRole) || "writer".equals(accessRole);
    }
}
