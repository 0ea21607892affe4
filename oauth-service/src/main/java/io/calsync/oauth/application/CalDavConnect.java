package io.calsync.oauth.application;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.AuditLogEntry;
import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.persistence.CalendarConnection;
import io.calsync.model.security.TokenCipher;
import io.calsync.oauth.persistence.CalendarSession;
import io.calsync.oauth.persistence.CalendarSessionRepository;
import io.calsync.providers.caldav.CalDavDiscovery;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Connecting a CalDAV account (contract: "CalDAV calendars"): discovery with the user's server URL, user name and
 * password into an OAuth-style session (the password encrypted like a token; the session answers the calendars,
 * never the password), then select through the same path as OAuth sessions ({@link OAuthFlow#select}).
 *
 * <p>{@code APPLE} is iCloud ({@code *.icloud.com}), {@code CALDAV} any other server. Errors: wrong credentials 422
 * {@code CALDAV_AUTH_FAILED}; no CalDAV or no event calendar there, or no answer, 422 {@code CALDAV_NOT_FOUND}; a
 * URL the SSRF guard refuses (or plain http to anything but loopback) 422 {@code URL_NOT_ALLOWED}. Logs and the
 * audit name the host and the outcome, never the user's password or the URL's path.
 */
@Service
public class CalDavConnect {

    static final int MAX_URL = 2048;
    static final int MAX_USERNAME = 320;
    static final int MAX_PASSWORD = 1024;
    private static final Logger log = LoggerFactory.getLogger(CalDavConnect.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CalDavDiscovery discovery;
    private final TokenCipher cipher;
    private final CalendarSessionRepository sessions;
    private final AuditLogEntryRepository audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    CalDavConnect(
            @Lazy CalDavDiscovery discovery,
            TokenCipher cipher,
            CalendarSessionRepository sessions,
            AuditLogEntryRepository audit,
            org.springframework.transaction.PlatformTransactionManager transactions,
            Clock clock) {
        this.discovery = discovery;
        this.cipher = cipher;
        this.sessions = sessions;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    public OAuthFlow.SessionView discover(UUID userId, String serverUrl, String username, String password) {
        String url = required("serverUrl", serverUrl, MAX_URL).strip();
        String user = required("username", username, MAX_USERNAME).strip();
        String secret = required("password", password, MAX_PASSWORD);
        String host = hostOf(url);
        CalendarProvider provider = host.equals("icloud.com") || host.endsWith(".icloud.com")
                ? CalendarProvider.APPLE
                : CalendarProvider.CALDAV;
        ProviderAccount account;
        try {
            account = discovery.discover(url, user, secret);
        } catch (ProviderException e) {
            String code = switch (e.code() == null ? "" : e.code()) {
                case "CALDAV_AUTH_FAILED" -> "CALDAV_AUTH_FAILED";
                case "URL_NOT_ALLOWED" -> "URL_NOT_ALLOWED";
                default -> "CALDAV_NOT_FOUND";
            };
            record(userId, "failure", provider + " " + code + " host=" + host);
            log.info("caldav discovery refused user={} provider={} host={} code={}", userId, provider, host, code);
            throw new OAuthProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, e.getMessage());
        } catch (RuntimeException e) {
            // Whatever else a server's answers make of the client is still that server's fault, not a 500 of ours.
            record(
                    userId,
                    "failure",
                    provider + " CALDAV_NOT_FOUND host=" + host + " "
                            + e.getClass().getSimpleName());
            log.warn(
                    "caldav discovery failed on the server's answers user={} host={} error={}",
                    userId,
                    host,
                    e.getClass().getName());
            throw new OAuthProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "CALDAV_NOT_FOUND",
                    "the CalDAV server at " + host + " answered in a way that could not be read");
        }
        List<ProviderAccounts.OfferedCalendar> calendars = account.calendars().stream()
                .map(c -> new ProviderAccounts.OfferedCalendar(
                        c.id(), c.name(), c.isPrimary(), c.color(), c.accessRole()))
                .toList();
        CalendarSession session =
                new CalendarSession(userId, provider, clock.instant().plus(OAuthFlow.SESSION_TTL));
        session.setAccountEmail(user);
        session.setAccessToken(cipher.encrypt(secret));
        session.setCalendars(JSON.writeValueAsString(calendars));
        tx.executeWithoutResult(s -> {
            sessions.save(session);
            record(userId, "success", provider + " calendars=" + calendars.size() + " host=" + host);
        });
        log.info(
                "caldav discovery complete user={} provider={} host={} calendars={}",
                userId,
                provider,
                host,
                calendars.size());
        return new OAuthFlow.SessionView(
                session.getId(), provider.name().toLowerCase(Locale.ROOT), user, session.getExpiresAt(), calendars);
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw OAuthProblem.invalid(field + " is required");
        }
        if (value.length() > max) {
            throw OAuthProblem.invalid(field + " is longer than " + max + " characters");
        }
        return value;
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            if (host == null) {
                throw new IllegalArgumentException();
            }
            return host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new OAuthProblem(HttpStatus.UNPROCESSABLE_CONTENT, "URL_NOT_ALLOWED", "serverUrl is not a valid URL");
        }
    }

    private void record(UUID userId, String outcome, String detail) {
        AuditLogEntry e = new AuditLogEntry(userId, "caldav.discover", outcome);
        e.setTargetType("caldav_session");
        e.setDetail(detail);
        e.setRequestId(RequestContext.requestId());
        audit.save(e);
    }

    /** The providers whose sessions this flow makes. */
    static boolean isCalDav(CalendarProvider p) {
        return p == CalendarProvider.APPLE || p == CalendarProvider.CALDAV;
    }

    /** Connections made from a CalDAV session, for the controller's answer. */
    public List<CalendarConnection> select(OAuthFlow flow, UUID userId, UUID sessionId, List<String> calendarIds) {
        CalendarProvider provider = flow.sessionProvider(userId, sessionId);
        if (!isCalDav(provider)) {
            throw OAuthProblem.notFound("session");
        }
        return flow.select(userId, provider, sessionId, calendarIds);
    }
}
