package io.calsync.sandbox.google;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored event: a single event, a recurring series' master, an override of one instance, or a cancelled
 * occurrence. {@code body} is the event's Google JSON with the server's fields; the parsed times are kept beside it
 * because listing compares them constantly. Mutable; guarded by the store's lock.
 */
final class StoredEvent {

    final String id;
    /** Insertion order: the default order of a full list. */
    final long ordinal;

    ObjectNode body;
    /** Null for a cancelled occurrence, which has only its original start. */
    EventTime start;

    EventTime end;
    /** Overrides and cancelled occurrences: which instance of the series they replace. */
    EventTime originalStart;
    /** The calendar's sequence number at this event's last change. */
    long changeSeq;

    Instant updated;

    StoredEvent(String id, long ordinal) {
        this.id = id;
        this.ordinal = ordinal;
    }

    String recurringEventId() {
        return EventTime.text(body, "recurringEventId");
    }

    boolean cancelled() {
        return "cancelled".equals(EventTime.text(body, "status"));
    }

    /** A series master: has a recurrence and is not itself an instance. */
    boolean isMaster() {
        JsonNode r = body.get("recurrence");
        return recurringEventId() == null && r != null && r.isArray() && !r.isEmpty();
    }

    boolean isException() {
        return recurringEventId() != null;
    }

    String etag() {
        return EventTime.text(body, "etag");
    }
}
