package io.calsync.platform.outbox;

import java.util.Locale;

/**
 * The names one service's relay goes by. Replication slots and publications accept only {@code [a-z0-9_]} (at most
 * 63 characters), so the service name is sanitised for them; the lock and the de-duplication consumer use it as is.
 *
 * @param service the service ({@code spring.application.name}), also the {@code origin} it writes to the outbox
 * @param slot the replication slot, and the publication of the same name
 * @param engine Debezium's engine name, also the key of its offsets in {@code outbox_relay_offsets}
 * @param consumer the consumer name under which published ids are recorded in {@code processed_messages}, also the
 *     key of the advisory lock
 */
public record RelayNames(String service, String slot, String engine, String consumer) {

    private static final int MAX_IDENTIFIER = 63;

    public static RelayNames of(String service, String slotOverride) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("the outbox relay needs spring.application.name");
        }
        String slot = slotOverride == null || slotOverride.isBlank() ? sanitise("calsync_" + service) : slotOverride;
        return new RelayNames(service, slot, "outbox-relay-" + service, "outbox-relay:" + service);
    }

    /** {@code gateway-service} becomes {@code gateway_service}; anything outside {@code [a-z0-9_]} becomes {@code _}. */
    static String sanitise(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return s.length() > MAX_IDENTIFIER ? s.substring(0, MAX_IDENTIFIER) : s;
    }
}
