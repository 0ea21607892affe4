package io.calsync.providers.port;

import java.util.List;

/**
 * Who a connected account is and which calendars it offers, read once right after the consent (the OAuth session's
 * content). A provider that cannot be read answers a {@link ProviderException} whose message is safe to show.
 */
public record ProviderAccount(String email, List<OfferedCalendar> calendars) {

    /** One calendar as the session offers it (the contract's shape). */
    public record OfferedCalendar(String id, String name, boolean isPrimary, String color, String accessRole) {}
}
