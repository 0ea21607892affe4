package io.calsync.model.messaging;

import java.util.List;
import java.util.stream.Stream;

/**
 * The Kafka topics of the system. Every message is keyed by its calendar connection id, so that one connection's
 * messages stay in order on one partition and are handled by one sync consumer. Names are fixed strings, never
 * derived from class names.
 */
public final class Topics {

    /** Manual, scheduled, initial and backstop sync requests, and new connections. */
    public static final String SYNC_REQUESTS = "calendar.sync-requests";
    /** Verified push notifications from Google and Microsoft. */
    public static final String PROVIDER_NOTIFICATIONS = "calendar.provider-notifications";
    /** Local creates, updates and deletes to write back to the provider. */
    public static final String EVENT_COMMANDS = "calendar.event-commands";
    /** Push-subscription work: create, renew, stop, recreate, reauthorize. */
    public static final String SUBSCRIPTION_LIFECYCLE = "calendar.subscription-lifecycle";
    /** What a sync changed, for downstream consumers. */
    public static final String EVENTS_CHANGED = "calendar.events-changed";

    /** Suffix of the dead-letter topic of each topic. */
    public static final String DLT_SUFFIX = "-dlt";

    /**
     * Partitions of every topic: up to this many sync consumers share the work. A dead-letter topic has as many as
     * its topic, because a failed record is dead-lettered to the partition it came from.
     */
    public static final int PARTITIONS = 12;

    public static final List<String> MAIN =
            List.of(SYNC_REQUESTS, PROVIDER_NOTIFICATIONS, EVENT_COMMANDS, SUBSCRIPTION_LIFECYCLE, EVENTS_CHANGED);

    /** Every topic the system uses, each main topic followed by its dead-letter topic. */
    public static final List<String> ALL =
            MAIN.stream().flatMap(t -> Stream.of(t, dlt(t))).toList();

    private Topics() {}

    public static String dlt(String topic) {
        return topic + DLT_SUFFIX;
    }
}
