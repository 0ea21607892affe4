package io.calsync.sync;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.security.TokenCipher;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the sync-service ITs set up alike: a user with a connected calendar, and Google's push notification. */
final class SyncItSupport {

    private SyncItSupport() {}

    /** A user and a connection row. */
    record Connected(UUID user, UUID connection) {}

    /**
     * A new user and a connected calendar of the provider, its access token encrypted as oauth-service stores it (valid
     * for an hour, so nothing is refreshed).
     */
    static Connected connect(
            JdbcTemplate jdbc,
            TokenCipher cipher,
            CalendarProvider provider,
            String calendarId,
            String email,
            String accessToken) {
        UUID user = jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES (?) RETURNING id",
                UUID.class,
                "u-" + UUID.randomUUID() + "@x.test");
        UUID connection = jdbc.queryForObject(
                """
                INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name, account_email,
                  access_token, refresh_token, token_expires_at)
                VALUES (?, ?::calendar_provider, ?, 'Primary', ?, ?, ?, now() + interval '1 hour') RETURNING id
                """,
                UUID.class,
                user,
                provider.name(),
                calendarId,
                email,
                cipher.encrypt(accessToken),
                cipher.encrypt("unused-refresh-token"));
        return new Connected(user, connection);
    }

    /** What webhook-ingest publishes for a Google push ("exists": something of the calendar changed). */
    static ProviderNotificationReceived googleChange(UUID connection) {
        return new ProviderNotificationReceived(
                UUID.randomUUID(),
                1,
                Instant.now(),
                connection,
                CalendarProvider.GOOGLE,
                "channel",
                "exists",
                null,
                null,
                null);
    }
}
