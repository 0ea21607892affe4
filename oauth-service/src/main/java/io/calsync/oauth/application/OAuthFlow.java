package io.calsync.oauth.application;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.persistence.AuditLogEntry;
import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.persistence.CalendarConnectionRepository;
import io.calsync.model.security.TokenCipher;
import io.calsync.oauth.OAuthConfiguration.OAuthSettings;
import io.calsync.oauth.application.ProviderAccounts.OfferedCalendar;
import io.calsync.oauth.persistence.CalendarSession;
import io.calsync.oauth.persistence.CalendarSessionRepository;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.providers.oauth.ProviderTokenClient;
import io.calsync.providers.oauth.ProviderTokenException;
import io.calsync.providers.oauth.ProviderTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consent flow: login (a single-use state with its PKCE verifier), callback (state check, code exchange, account
 * and calendars into an expiring session), the session for its owner, and select (one connection per chosen calendar,
 * idempotently, with {@code ConnectionCreated} through the outbox). Logs carry ids and outcomes, never a token, code,
 * state or verifier.
 */
@Service
public class OAuthFlow {

    static final Duration STATE_TTL = Duration.ofMinutes(10);
    static final Duration SESSION_TTL = Duration.ofMinutes(15);
    private static final Logger log = LoggerFactory.getLogger(OAuthFlow.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TokenCipher cipher;
    private final ProviderTokenClient tokens;
    private final ProviderAccounts accounts;
    private final CalendarSessionRepository sessions;
    private final CalendarConnectionRepository connections;
    private final AuditLogEntryRepository audit;
    private final OutboxWriter outbox;
    private final OAuthSettings settings;
    private final Clock clock;

    OAuthFlow(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            TokenCipher cipher,
            ProviderTokenClient tokens,
            ProviderAccounts accounts,
            CalendarSessionRepository sessions,
            CalendarConnectionRepository connections,
            AuditLogEntryRepository audit,
            OutboxWriter outbox,
            OAuthSettings settings,
            Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.cipher = cipher;
        this.tokens = tokens;
        this.accounts = accounts;
        this.sessions = sessions;
        this.connections = connections;
        this.audit = audit;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    static String newState() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---------------------------------------------------------------------------------------------------- login

    /** A started login: where the browser goes, and the state the browser is bound to (its cookie's value). */
    public record Login(URI authUrl, String state) {}

    public Login login(UUID userId, CalendarProvider provider) {
        if (!tokens.endpoints().provider(provider).configured()) {
            throw new OAuthProblem(
                    org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "SERVICE_UNAVAILABLE",
                    provider.name().toLowerCase(Locale.ROOT) + " is not configured");
        }
        String state = newState();
        String verifier = ProviderTokenClient.newCodeVerifier();
        Instant now = clock.instant();
        jdbc.update(
                "INSERT INTO oauth_states (id, state, user_id, provider, code_verifier, redirect_uri, expires_at,"
                        + " created_at) VALUES (?, ?, ?, ?::calendar_provider, ?, ?, ?, ?)",
                UUID.randomUUID(),
                state,
                userId,
                provider.name(),
                cipher.encrypt(verifier),
                tokens.endpoints().provider(provider).redirectUri().toString(),
                Timestamp.from(now.plus(STATE_TTL)),
                Timestamp.from(now));
        record(userId, "oauth.login", "oauth_state", null, "success", provider.name());
        log.info("oauth login started user={} provider={}", userId, provider);
        return new Login(tokens.authorizationUrl(provider, state, verifier), state);
    }

    // ------------------------------------------------------------------------------------------------- callback

    /** What a state check found. */
    record ClaimedState(UUID userId, CalendarProvider provider, String codeVerifier, Instant expiresAt) {}

    sealed interface StateCheck {
        record Valid(ClaimedState state) implements StateCheck {}

        record Invalid(String errorCode, String why, UUID userId) implements StateCheck {}
    }

    /**
     * Claims the state (single use, race-free: only one {@code UPDATE ... WHERE used_at IS NULL} wins), then checks
     * expiry and provider. A claimed state is spent whatever the outcome.
     */
    StateCheck claim(String state, CalendarProvider provider) {
        if (state == null || state.isBlank() || state.length() > 128) {
            return new StateCheck.Invalid("invalid_state", "missing", null);
        }
        List<ClaimedState> claimed = jdbc.query(
                "UPDATE oauth_states SET used_at = now() WHERE state = ? AND used_at IS NULL"
                        + " RETURNING user_id, provider::text AS provider, code_verifier, expires_at",
                (rs, i) -> new ClaimedState(
                        rs.getObject("user_id", UUID.class),
                        CalendarProvider.valueOf(rs.getString("provider")),
                        rs.getString("code_verifier"),
                        rs.getTimestamp("expires_at").toInstant()),
                state);
        if (claimed.isEmpty()) {
            List<UUID> known = jdbc.queryForList("SELECT user_id FROM oauth_states WHERE state = ?", UUID.class, state);
            return known.isEmpty()
                    ? new StateCheck.Invalid("invalid_state", "unknown", null)
                    : new StateCheck.Invalid("invalid_state", "reused", known.getFirst());
        }
        ClaimedState s = claimed.getFirst();
        if (s.provider() != provider) {
            return new StateCheck.Invalid("invalid_state", "other provider", s.userId());
        }
        if (!s.expiresAt().isAfter(clock.instant())) {
            return new StateCheck.Invalid("expired_state", "expired", s.userId());
        }
        return new StateCheck.Valid(s);
    }

    /**
     * Always a redirect to the frontend: with the session, or with an error code. {@code browserState} is the state
     * the browser's cookie holds (set by the login that browser started): a callback from any other browser is
     * refused, so a victim who approves an attacker's consent link hands the attacker nothing. The state is spent
     * either way.
     */
    public URI callback(CalendarProvider provider, String code, String state, String error, String browserState) {
        String p = provider.name().toLowerCase(Locale.ROOT);
        StateCheck check = claim(state, provider);
        if (check instanceof StateCheck.Valid valid && !sameBrowser(state, browserState)) {
            check = new StateCheck.Invalid(
                    "invalid_state",
                    "not the browser that started the login",
                    valid.state().userId());
        }
        if (check instanceof StateCheck.Invalid invalid) {
            // A denied consent with a bad state is still a bad state: the state is checked first.
            record(
                    invalid.userId(),
                    "oauth.callback",
                    "oauth_state",
                    null,
                    "failure",
                    provider.name() + " " + invalid.errorCode() + " (" + invalid.why() + ")");
            log.warn(
                    "oauth callback refused provider={} error={} why={}", provider, invalid.errorCode(), invalid.why());
            return failure(p, invalid.errorCode());
        }
        ClaimedState s = ((StateCheck.Valid) check).state();
        if (error != null && !error.isBlank()) {
            String mapped = "access_denied".equals(error) ? "access_denied" : "exchange_failed";
            record(s.userId(), "oauth.callback", "oauth_state", null, "failure", provider.name() + " " + mapped);
            log.info(
                    "oauth callback: provider answered an error user={} provider={} error={}",
                    s.userId(),
                    provider,
                    mapped);
            return failure(p, mapped);
        }
        if (code == null || code.isBlank()) {
            record(s.userId(), "oauth.callback", "oauth_state", null, "failure", provider.name() + " no code");
            return failure(p, "exchange_failed");
        }
        ProviderTokens granted;
        ProviderAccounts.Account account;
        try {
            granted = tokens.exchange(provider, code, cipher.decrypt(s.codeVerifier()));
            account = accounts.read(provider, granted.accessToken());
        } catch (ProviderTokenException | ProviderAccounts.ProviderReadException e) {
            record(
                    s.userId(),
                    "oauth.callback",
                    "oauth_state",
                    null,
                    "failure",
                    provider.name() + " exchange_failed: " + e.getMessage());
            log.warn("oauth code exchange failed user={} provider={} reason={}", s.userId(), provider, e.getMessage());
            return failure(p, "exchange_failed");
        }
        CalendarSession session =
                new CalendarSession(s.userId(), provider, clock.instant().plus(SESSION_TTL));
        session.setAccountEmail(account.email());
        session.setAccessToken(cipher.encrypt(granted.accessToken()));
        session.setRefreshToken(granted.refreshToken() == null ? null : cipher.encrypt(granted.refreshToken()));
        session.setTokenExpiresAt(granted.expiresAt());
        session.setTokenScopes(granted.scope());
        session.setCalendars(JSON.writeValueAsString(account.calendars()));
        tx.executeWithoutResult(st -> {
            sessions.save(session);
            // The session id is a bearer of the account's calendars until select: it appears in no answer but the
            // callback's redirect, so not in the audit either.
            record(
                    s.userId(),
                    "oauth.callback",
                    "oauth_session",
                    null,
                    "success",
                    provider.name() + " calendars=" + account.calendars().size());
        });
        log.info(
                "oauth callback complete user={} provider={} session={} calendars={} refreshToken={}",
                s.userId(),
                provider,
                session.getId(),
                account.calendars().size(),
                granted.refreshToken() != null);
        return URI.create(settings.frontendUrl() + "/calendar/connect?session=" + session.getId() + "&provider=" + p);
    }

    private static boolean sameBrowser(String state, String browserState) {
        return browserState != null
                && java.security.MessageDigest.isEqual(
                        state.getBytes(StandardCharsets.UTF_8), browserState.getBytes(StandardCharsets.UTF_8));
    }

    private URI failure(String provider, String errorCode) {
        return URI.create(settings.frontendUrl() + "/calendar/connect?provider=" + provider + "&error="
                + URLEncoder.encode(errorCode, StandardCharsets.UTF_8));
    }

    // -------------------------------------------------------------------------------------------------- session

    public record SessionView(
            UUID sessionId, String provider, String accountEmail, Instant expiresAt, List<OfferedCalendar> calendars) {}

    public SessionView session(UUID userId, UUID sessionId) {
        CalendarSession s = ownedSession(userId, sessionId);
        return new SessionView(
                s.getId(),
                s.getProvider().name().toLowerCase(Locale.ROOT),
                s.getAccountEmail(),
                s.getExpiresAt(),
                offered(s));
    }

    /** The provider of one of the user's live sessions (404 otherwise). */
    public CalendarProvider sessionProvider(UUID userId, UUID sessionId) {
        return ownedSession(userId, sessionId).getProvider();
    }

    private CalendarSession ownedSession(UUID userId, UUID sessionId) {
        return sessions.findById(sessionId)
                .filter(s -> s.getUserId().equals(userId))
                .filter(s -> s.getExpiresAt().isAfter(clock.instant()))
                .orElseThrow(() -> OAuthProblem.notFound("session"));
    }

    private static List<OfferedCalendar> offered(CalendarSession s) {
        return JSON.readValue(s.getCalendars(), new TypeReference<List<OfferedCalendar>>() {});
    }

    // --------------------------------------------------------------------------------------------------- select

    /** Creates (or reconnects) one connection per chosen calendar; selecting again changes nothing. */
    public List<CalendarConnection> select(
            UUID userId, CalendarProvider provider, UUID sessionId, List<String> calendarIds) {
        if (calendarIds == null || calendarIds.isEmpty()) {
            throw OAuthProblem.invalid("calendarIds must name at least one calendar");
        }
        CalendarSession s = ownedSession(userId, sessionId);
        if (s.getProvider() != provider) {
            throw OAuthProblem.notFound("session");
        }
        Map<String, OfferedCalendar> offered =
                offered(s).stream().collect(Collectors.toMap(OfferedCalendar::id, Function.identity(), (a, b) -> a));
        LinkedHashSet<String> chosen = new LinkedHashSet<>(calendarIds);
        for (String id : chosen) {
            if (!offered.containsKey(id)) {
                throw OAuthProblem.invalid("calendarIds contains a calendar this session does not offer");
            }
        }
        List<UUID> ids = tx.execute(st -> {
            // The per-user cap, counted under the user's row lock so that concurrent selects cannot both pass it.
            jdbc.queryForList("SELECT id FROM calendar_users WHERE id = ? FOR UPDATE", UUID.class, userId);
            Integer existing = jdbc.queryForObject(
                    "SELECT count(*) FROM calendar_connections WHERE user_id = ?", Integer.class, userId);
            List<String> known = jdbc.queryForList(
                    "SELECT provider_calendar_id FROM calendar_connections WHERE user_id = ?"
                            + " AND provider = ?::calendar_provider",
                    String.class,
                    userId,
                    provider.name());
            long added = chosen.stream().filter(id -> !known.contains(id)).count();
            if (existing + added > CalendarConnection.MAX_PER_USER) {
                throw OAuthProblem.invalid("a user may connect at most " + CalendarConnection.MAX_PER_USER
                        + " calendars (" + existing + " are connected)");
            }
            List<UUID> result = new ArrayList<>();
            for (String calendarId : chosen) {
                OfferedCalendar c = offered.get(calendarId);
                boolean readOnly = !("owner".equals(c.accessRole()) || "writer".equals(c.accessRole()));
                List<UUID> inserted = jdbc.queryForList(
                        "INSERT INTO calendar_connections (id, user_id, provider, provider_calendar_id, calendar_name,"
                                + " account_email, color, is_primary, is_read_only, is_connected, sync_status,"
                                + " access_token, refresh_token, token_expires_at, token_scopes, created_at, updated_at)"
                                + " VALUES (?, ?, ?::calendar_provider, ?, ?, ?, ?, ?, ?, true, 'PENDING', ?, ?, ?, ?,"
                                + " now(), now())"
                                + " ON CONFLICT (user_id, provider, provider_calendar_id) DO NOTHING RETURNING id",
                        UUID.class,
                        UUID.randomUUID(),
                        userId,
                        provider.name(),
                        calendarId,
                        c.name() == null ? calendarId : c.name(),
                        s.getAccountEmail(),
                        c.color(),
                        c.isPrimary(),
                        readOnly,
                        s.getAccessToken(),
                        s.getRefreshToken(),
                        s.getTokenExpiresAt() == null ? null : Timestamp.from(s.getTokenExpiresAt()),
                        s.getTokenScopes());
                if (!inserted.isEmpty()) {
                    UUID id = inserted.getFirst();
                    outbox.write(ConnectionCreated.of(id, userId, provider));
                    record(userId, "oauth.connection_created", "connection", id, "success", provider.name());
                    result.add(id);
                    continue;
                }
                // Already connected: a repeated select is a no-op; a disconnected one comes back with the new grant.
                List<UUID> reconnected = jdbc.queryForList(
                        "UPDATE calendar_connections SET is_connected = true, disconnected_reason = NULL,"
                                + " sync_status = 'PENDING', last_sync_error = NULL, account_email = ?,"
                                + " version = version + 1, updated_at = now()"
                                + " WHERE user_id = ? AND provider = ?::calendar_provider AND provider_calendar_id = ?"
                                + " AND NOT is_connected RETURNING id",
                        UUID.class,
                        s.getAccountEmail(),
                        userId,
                        provider.name(),
                        calendarId);
                for (UUID id : reconnected) {
                    outbox.write(ConnectionCreated.of(id, userId, provider));
                    record(userId, "oauth.connection_reconnected", "connection", id, "success", provider.name());
                }
                result.add(jdbc.queryForObject(
                        "SELECT id FROM calendar_connections WHERE user_id = ? AND provider = ?::calendar_provider"
                                + " AND provider_calendar_id = ?",
                        UUID.class,
                        userId,
                        provider.name(),
                        calendarId));
            }
            // A CalDAV password is the account's current one: the chosen calendars (new or connected again) use it.
            if (CalDavConnect.isCalDav(provider) && s.getAccessToken() != null) {
                jdbc.update(
                        "UPDATE calendar_connections SET access_token = ?, account_email = ?,"
                                + " token_version = token_version + 1, version = version + 1, updated_at = now()"
                                + " WHERE user_id = ? AND provider = ?::calendar_provider"
                                + " AND provider_calendar_id = ANY(?)",
                        s.getAccessToken(),
                        s.getAccountEmail(),
                        userId,
                        provider.name(),
                        chosen.toArray(String[]::new));
            }
            // One grant per account: every connection of it uses the newest tokens (a refresh updates them all).
            if (s.getRefreshToken() != null) {
                jdbc.update(
                        "UPDATE calendar_connections SET access_token = ?, refresh_token = ?, token_expires_at = ?,"
                                + " token_scopes = ?, token_version = token_version + 1, version = version + 1,"
                                + " updated_at = now() WHERE user_id = ? AND provider = ?::calendar_provider"
                                + " AND lower(account_email) = lower(?) AND is_connected"
                                // never replace a newer (refreshed, possibly rotated) grant with this older one
                                + " AND (token_expires_at IS NULL OR token_expires_at <= ?)",
                        s.getAccessToken(),
                        s.getRefreshToken(),
                        s.getTokenExpiresAt() == null ? null : Timestamp.from(s.getTokenExpiresAt()),
                        s.getTokenScopes(),
                        userId,
                        provider.name(),
                        s.getAccountEmail(),
                        s.getTokenExpiresAt() == null ? null : Timestamp.from(s.getTokenExpiresAt()));
            }
            return result;
        });
        log.info("oauth select user={} provider={} session={} connections={}", userId, provider, sessionId, ids.size());
        return connections.findAllById(ids).stream()
                .sorted(java.util.Comparator.comparing(c -> ids.indexOf(c.getId())))
                .toList();
    }

    private void record(UUID userId, String action, String targetType, UUID targetId, String outcome, String detail) {
        AuditLogEntry e = new AuditLogEntry(userId, action, outcome);
        if (userId == null) {
            e.setActor("anonymous");
        }
        e.setTargetType(targetType);
        e.setTargetId(targetId == null ? null : targetId.toString());
        e.setDetail(detail);
        e.setRequestId(RequestContext.requestId());
        audit.save(e);
    }
}
