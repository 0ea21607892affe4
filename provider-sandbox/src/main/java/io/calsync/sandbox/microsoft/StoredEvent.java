package io.calsync.sandbox.microsoft;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as the mailbox holds it: a single instance or a series master (occurrences are computed, never stored).
 * {@code props} are the client-settable properties in their normalized form; a master also keeps its cancelled
 * occurrences and its exceptions, each exception being only the properties it overrides (as Exchange embeds
 * exceptions in the master), so that a change to the master's subject reaches every exception that did not change
 * its own. Only touched under the store's lock.
 */
final class StoredEvent {

    final String id;
    final String accountId;
    final String calendarId;
    final String iCalUId;
    final Instant created;
    ObjectNode props;
    String changeKey;
    Instant lastModified;
    /** Original start of each cancelled occurrence. */
    final Set<Instant> cancelled = new TreeSet<>();
    /** Exceptions by original start. */
    final Map<Instant, ExceptionData> exceptions = new TreeMap<>();

    /** An exception: the occurrence's own properties (start/end included when moved) and change key. */
    static final class ExceptionData {
        ObjectNode overrides;
        String changeKey;
        Instant lastModified;
        final Instant created;

        ExceptionData(ObjectNode overrides, String changeKey, Instant at) {
            this.overrides = overrides;
            this.changeKey = changeKey;
            this.lastModified = at;
            this.created = at;
        }
    }

    StoredEvent(
            String id,
            String accountId,
            String calendarId,
            String iCalUId,
            ObjectNode props,
            String changeKey,
            Instant created) {
        this.id = id;
        this.accountId = accountId;
        this.calendarId = calendarId;
        this.iCalUId = iCalUId;
        this.props = props;
        this.changeKey = changeKey;
        this.created = created;
        this.lastModified = created;
    }

    boolean isSeriesMaster() {
        return props.hasNonNull("recurrence");
    }

    GraphDateTime start() {
        return GraphDateTime.parse(props.get("start"), "start");
    }

    GraphDateTime end() {
        return GraphDateTime.parse(props.get("end"), "end");
    }

    boolean allDay() {
        return props.path("isAllDay").asBoolean(false);
    }

    Recurrence recurrence() {
        return Recurrence.parse(props.get("recurrence"), start().timeZone());
    }
}
