package io.calsync.gateway.web;

import io.calsync.gateway.persistence.UserDirectory;
import io.calsync.model.security.InvalidTokenException;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.VerifiedToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/v1/calendar/**} route but the OAuth callbacks needs the main app's access token, as
 * {@code Authorization: Bearer} or the httpOnly cookie {@code access_token}. A valid one puts the
 * {@link CurrentUser} on the request (creating the calendar user on first sight); anything else is 401.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class AuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final Pattern PUBLIC = Pattern.compile("^/api/v1/calendar/oauth/(google|microsoft)/callback/?$");

    private final JwtVerifier verifier;
    private final UserDirectory users;
    private final CrossSiteCheck crossSite;

    @org.springframework.beans.factory.annotation.Autowired
    public AuthenticationFilter(
            JwtVerifier verifier, UserDirectory users, org.springframework.core.env.Environment env) {
        this(verifier, users, new CrossSiteCheck(env));
    }

    AuthenticationFilter(JwtVerifier verifier, UserDirectory users, CrossSiteCheck crossSite) {
        this.verifier = verifier;
        this.users = users;
        this.crossSite = crossSite;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = io.calsync.gateway.web.RequestFirewallFilter.path(request);
        return !path.startsWith("/api/v1/calendar/")
                || PUBLIC.matcher(path).matches()
                || "OPTIONS".equals(request.getMethod()); // CORS preflight carries no credentials
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        if (token != null && !bearer(request) && !crossSite.allows(request, true)) {
            log.warn(
                    "refused a cross-site request riding on the cookie method={} path={} origin={}",
                    request.getMethod(),
                    request.getRequestURI(),
                    request.getHeader("Origin"));
            Problems.write(
                    response,
                    HttpStatus.FORBIDDEN,
                    "CROSS_SITE_REQUEST",
                    "a request authenticated by the cookie must come from the frontend's origin",
                    Map.of());
            return;
        }
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            log.debug("refused token: {} path={}", e.reason(), request.getRequestURI());
            Problems.write(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "UNAUTHENTICATED",
                    token == null ? "an access token is required" : "the access token is invalid or expired",
                    Map.of("WWW-Authenticate", "Bearer"));
            return;
        } catch (DataAccessException e) {
            log.error("token blacklist unavailable: {}", e.getClass().getSimpleName());
            Problems.writeUnavailable(response, "authentication is unavailable; try again shortly");
            return;
        }
        UUID userId;
        try {
            userId = users.idOf(verified.email(), verified.subject());
        } catch (DataAccessException | TransactionException e) {
            // The database is away: the caller should come back shortly (503), never a bare 500 from a filter.
            log.error("user directory unavailable: {}", e.getClass().getSimpleName());
            Problems.writeUnavailable(response, "the service is briefly unavailable; try again shortly");
            return;
        }
        request.setAttribute(CurrentUser.ATTRIBUTE, new CurrentUser(userId, verified.email()));
        chain.doFilter(request, response);
    }

    private static boolean bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** The main app's token of a request: the bearer header, else the {@code access_token} cookie; null if neither. */
    public static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if ("access_token".equals(c.getName()) && !c.getValue().isBlank()) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
