package io.calsync.oauth.application;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.google.GoogleAccounts;
import io.calsync.providers.microsoft.GraphAccounts;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Who the account is and which calendars it has, read by the provider edge's clients (the Google Calendar API client
 * and the one Graph client of {@code providers}) and kept in the session in the contract's shape.
 */
@Component
class ProviderAccounts {

    /** One calendar as the session offers it (the contract's shape). */
    public record OfferedCalendar(String id, String name, boolean isPrimary, String color, String accessRole) {}

    record Account(String email, List<OfferedCalendar> calendars) {}

    /** The provider could not be read (safe message). */
    static final class ProviderReadException extends RuntimeException {
        ProviderReadException(String message) {
            super(message, null, false, false);
        }
    }

    private final GoogleAccounts google;
    private final GraphAccounts microsoft;

    ProviderAccounts(GoogleAccounts google, GraphAccounts microsoft) {
        this.google = google;
        this.microsoft = microsoft;
    }

    Account read(CalendarProvider provider, String accessToken) {
        ProviderAccount account;
        try {
            account = switch (provider) {
                case GOOGLE -> google.read(accessToken);
                case MICROSOFT -> microsoft.read(accessToken);
                default -> throw new IllegalArgumentException("no OAuth provider " + provider);
            };
        } catch (ProviderException e) {
            throw new ProviderReadException(e.getMessage());
        }
        return new Account(
                account.email(),
                account.calendars().stream()
                        .map(c -> new OfferedCalendar(c.id(), c.name(), c.isPrimary(), c.color(), c.accessRole()))
                        .toList());
    }
}
