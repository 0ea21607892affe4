package io.calsync.providers.oauth;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.AuditLogEntry;
import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.security.TokenCipher;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Provider access tokens for whoever calls the providers (the sync engine): {@link #accessToken(UUID)} answers a
 * decrypted access token of a connection that stays valid for at least {@link #MIN_VALIDITY}, refreshing it first
 * when needed.
 *
 * <p><b>Why a library and not an endpoint of oauth-service.</b> Every sync-service replica calls this in process: no
 * extra network hop per provider call, no single point of failure (a down oauth-service would stop every sync), and
 * no second copy of the coordination: PostgreSQL, which already holds the tokens, is the coordinator.
 *
 * <p><b>Single flight across replicas.</b> A refresh runs in one transaction that first takes a transaction-scoped
 * advisory lock keyed by (provider, account email) ({@code pg_advisory_xact_lock(hashtext(...))}), then reads the
 * connection again: whoever waited behind the lock finds the token the winner stored and does not refresh. So N
 * concurrent callers cause exactly one refresh grant at the provider, whichever replica they run in.
 *
 * <p><b>Rotation.</b> The new tokens (Microsoft rotates the refresh token on every use) are written encrypted, to
 * every connection of that account (same user, provider and account email), in the transaction that holds the lock,
 * so no other caller can use the old refresh token after the rotation committed. Should the commit itself fail after
 * the provider rotated, the previous refresh token still works during the provider's grace period, and the next
 * caller simply refreshes again: a lost rotation never strands a connection.
 *
 * <p><b>Revocation.</b> {@code invalid_grant} and AADSTS refusals mark those connections disconnected
 * ({@code is_connected=false}, {@code disconnected_reason}, {@code sync_status=FAILED}; the sync engine does no jobs
 * for disconnected connections, and {@code GET /calendars} shows the reason), write {@code oauth.token_revoked} to the
 * audit log, and throw {@link TokenRevokedException}. Nothing here ever logs a token.
 */
public class AccessTokens {

    /** The least validity a returned token has left. */
    public static final Duration MIN_VALIDITY = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TokenCipher cipher;
    private final ProviderTokenClient client;
    private final AuditLogEntryRepository audit;
    private final Clock clock;

    public AccessTokens(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            TokenCipher cipher,
            ProviderTokenClient client,
            AuditLogEntryRepository audit,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.cipher = cipher;
        this.client = client;
        this.audit = audit;
        this.clock = clock;
    }

    /** The connection is gone, disconnected, or holds no OAuth tokens. */
    public static final class ConnectionUnavailableException extends RuntimeException {
        public ConnectionUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private record Row(
            UUID id,
            UUID userId,
            CalendarProvider provider,
            String accountEmail,
            boolean connected,
            String accessToken,
            String refreshToken,
            Instant expiresAt) {}

    /**
     * A decrypted access token of the connection, valid for at least {@link #MIN_VALIDITY}.
     *
     * @throws TokenRevokedException the provider refused the refresh token; the connection is now disconnected
     * @throws ProviderTokenException the provider failed (transient) or refused the client (permanent)
     * @throws ConnectionUnavailableException no such connected OAuth connection
     */
    public String accessToken(UUID connectionId) {
        Row row = read(connectionId);
        if (isPassword(row)) {
            return password(row);
        }
        if (fresh(row)) {
            return cipher.decrypt(row.accessToken());
        }
        Outcome outcome = tx.execute(status -> refreshLocked(connectionId));
        if (outcome.revoked() != null) {
            throw outcome.revoked();
        }
        return outcome.accessToken();
    }

    /** Forces a refresh now (e.g. after a 401 from the provider), still single-flight per account. */
    public String refreshNow(UUID connectionId, String rejectedAccessToken) {
        Row stored = read(connectionId);
        if (isPassword(stored)) {
            return passwordAgain(stored, rejectedAccessToken);
        }
        Outcome outcome = tx.execute(status -> {
            Row row = lockAndRead(connectionId);
            if (fresh(row) && !cipher.decrypt(row.accessToken()).equals(rejectedAccessToken)) {
                return new Outcome(cipher.decrypt(row.accessToken()), null);
            }
            return doRefresh(row);
        });
        if (outcome.revoked() != null) {
            throw outcome.revoked();
        }
        return outcome.accessToken();
    }

    private record Outcome(String accessToken, TokenRevokedException revoked) {}

    /** A CalDAV connection ({@code APPLE}, {@code CALDAV}): its "access token" is the account's password. */
    private static boolean isPassword(Row row) {
        return row.provider() == CalendarProvider.APPLE || row.provider() == CalendarProvider.CALDAV;
    }

    private String password(Row row) {
        if (row.accessToken() == null) {
            throw new ConnectionUnavailableException("connection " + row.id() + " has no password");
        }
        return cipher.decrypt(row.accessToken());
    }

    /**
     * A password has no refresh: the server refused it (401). If the user has stored a newer one since (connected
     * again), that one is tried; otherwise the calendar is disconnected ("reconnect with the current password") and
     * the sync ends, as for a revoked grant.
     */
    private String passwordAgain(Row row, String rejected) {
        String current = password(row);
        if (rejected != null
                && !java.security.MessageDigest.isEqual(
                        current.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        rejected.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return current;
        }
        String reason = "the CalDAV server refused the password; connect the calendar again with the current one";
        TokenRevokedException e = new TokenRevokedException(reason);
        tx.executeWithoutResult(s -> {
            jdbc.update(
                    "UPDATE calendar_connections SET is_connected = false, disconnected_reason = ?,"
                            + " sync_status = 'FAILED'::sync_status, last_sync_error = ?, version = version + 1,"
                            + " updated_at = now() WHERE id = ?",
                    reason,
                    reason,
                    row.id());
            AuditLogEntry entry = new AuditLogEntry(row.userId(), "oauth.token_revoked", "failure");
            entry.setActor("system");
            entry.setTargetType("connection");
            entry.setTargetId(row.id().toString());
            entry.setDetail(reason);
            audit.save(entry);
        });
        log.warn("caldav server refused the password connection={} provider={}", row.id(), row.provider());
        return throwRevoked(e);
    }

    private static String throwRevoked(TokenRevokedException e) {
        throw e;
    }

    private Outcome refreshLocked(UUID connectionId) {
        Row row = lockAndRead(connectionId);
        if (fresh(row)) { // another caller (any replica) refreshed while this one waited for the lock
            return new Outcome(cipher.decrypt(row.accessToken()), null);
        }
        return doRefresh(row);
    }

    private Row lockAndRead(UUID connectionId) {
        Row first = read(connectionId);
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))::text", String.class, lockKey(first));
        return read(connectionId);
    }

    private Outcome doRefresh(Row row) {
        if (row.refreshToken() == null) {
            TokenRevokedException e = new TokenRevokedException("no refresh token is stored; reconnect the account");
            disconnect(row, e.getMessage());
            return new Outcome(null, e);
        }
        ProviderTokens tokens;
        try {
            tokens = client.refresh(row.provider(), cipher.decrypt(row.refreshToken()));
        } catch (TokenRevokedException e) {
            disconnect(row, e.getMessage());
            return new Outcome(null, e);
        }
        String access = cipher.encrypt(tokens.accessToken());
        String refresh = tokens.refreshToken() == null ? row.refreshToken() : cipher.encrypt(tokens.refreshToken());
        int updated = jdbc.update(
                "UPDATE calendar_connections SET access_token = ?, refresh_token = ?, token_expires_at = ?,"
                        + " token_version = token_version + 1, version = version + 1, updated_at = now()"
                        + " WHERE " + sameAccount(),
                access,
                refresh,
                Timestamp.from(tokens.expiresAt()),
                row.userId(),
                row.provider().name(),
                row.accountEmail(),
                row.id());
        log.info(
                "refreshed provider token connection={} provider={} connectionsUpdated={} rotated={}",
                row.id(),
                row.provider(),
                updated,
                tokens.refreshToken() != null);
        return new Outcome(tokens.accessToken(), null);
    }

    private void disconnect(Row row, String reason) {
        int updated = jdbc.update(
                "UPDATE calendar_connections SET is_connected = false, disconnected_reason = ?,"
                        + " sync_status = 'FAILED'::sync_status, last_sync_error = ?, version = version + 1,"
                        + " updated_at = now() WHERE " + sameAccount(),
                reason,
                reason,
                row.userId(),
                row.provider().name(),
                row.accountEmail(),
                row.id());
        AuditLogEntry e = new AuditLogEntry(row.userId(), "oauth.token_revoked", "failure");
        e.setActor("system");
        e.setTargetType("connection");
        e.setTargetId(row.id().toString());
        e.setDetail(reason);
        audit.save(e);
        log.warn(
                "provider refused the refresh token connection={} provider={} connectionsDisconnected={}",
                row.id(),
                row.provider(),
                updated);
    }

    /** Every connection of the account: same user, provider and account email (or this very connection). */
    private static String sameAccount() {
        return "((user_id = ? AND provider = ?::calendar_provider AND lower(account_email) = lower(?)) OR id = ?)"
                + " AND provider IN ('GOOGLE', 'MICROSOFT')";
    }

    private boolean fresh(Row row) {
        return row.accessToken() != null
                && row.expiresAt() != null
                && row.expiresAt().isAfter(clock.instant().plus(MIN_VALIDITY));
    }

    private static String lockKey(Row row) {
        return "oauth-refresh:" + row.provider().name() + ":"
                + (row.accountEmail() == null
                        ? row.id().toString()
                        : row.accountEmail().toLowerCase(Locale.ROOT));
    }

    private Row read(UUID connectionId) {
        List<Row> rows = jdbc.query(
                "SELECT id, user_id, provider::text AS provider, account_email, is_connected, access_token,"
                        + " refresh_token, token_expires_at FROM calendar_connections WHERE id = ?",
                (rs, i) -> new Row(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        CalendarProvider.valueOf(rs.getString("provider")),
                        rs.getString("account_email"),
                        rs.getBoolean("is_connected"),
                        rs.getString("access_token"),
                        rs.getString("refresh_token"),
                        rs.getTimestamp("token_expires_at") == null
                                ? null
                                : rs.getTimestamp("token_expires_at").toInstant()),
                connectionId);
        if (rows.isEmpty()) {
            throw new ConnectionUnavailableException("connection " + connectionId + " not found");
        }
        Row row = rows.getFirst();
        if (row.provider() == CalendarProvider.ICS) {
            throw new ConnectionUnavailableException("connection " + connectionId + " has no OAuth tokens");
        }
        if (!row.connected()) {
            throw new ConnectionUnavailableException("connection " + connectionId + " is disconnected");
        }
        return row;
    }
}
