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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gateway's security on Spring Security: every {@code /api/v1/calendar/**} route but the OAuth callbacks is an
 * OAuth2 resource server for the main app's HS256 access tokens. The {@link JwtDecoder} is {@link JwtVerifier} (the
 * same policy oauth-service applies: {@code SECRET_KEY}, {@code exp}, {@code iat} not in the future, {@code jti} outside
 * dev, {@code JWT_REQUIRED_CLAIMS}, the Redis blacklist, failing closed outside dev); the token comes from the bearer
 * header or else the {@code access_token} cookie; a cookie request that changes something must pass
 * {@link CrossSiteCheck}; the caller's calendar user is then put on the request as {@link CurrentUser}. Failures
 * answer problem+json: 401 {@code UNAUTHENTICATED}, 403 {@code CROSS_SITE_REQUEST}, 503 when the blacklist or the
 * database is away. No session, no Spring CSRF token (the cross-site check is the defence), CORS stays the servlet
 * filter ahead of this chain so that every answer carries its headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String CALLBACKS = "/api/v1/calendar/oauth/*/callback";

    @Bean
    SecurityFilterChain api(HttpSecurity http, JwtVerifier verifier, UserDirectory users, Environment env)
            throws Exception {
        AuthenticationEntryPoint entryPoint = SecurityConfiguration::unauthenticated;
        http.securityMatcher("/api/v1/calendar/**")
                .csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.requestMatchers(CALLBACKS, CALLBACKS + "/")
                        .permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(o -> o.bearerTokenResolver(tokens())
                        .jwt(j -> j.decoder(decoder(verifier)))
                        .authenticationEntryPoint(entryPoint)
                        // a blacklist that is away is a 503 of the entry point, never rethrown as a 500
                        .withObjectPostProcessor(
                                new org.springframework.security.config.ObjectPostProcessor<
                                        BearerTokenAuthenticationFilter>() {
                                    @Override
                                    public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                        filter.setAuthenticationFailureHandler(SecurityConfiguration::unauthenticated);
                                        return filter;
                                    }
                                }))
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(SecurityConfiguration::denied))
                .addFilterBefore(new CrossSiteFilter(new CrossSiteCheck(env)), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new CurrentUserFilter(users), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /** Everything else (actuator, OpenAPI, the webhooks' absence here): no authentication by this service. */
    @Bean
    SecurityFilterChain rest(HttpSecurity http) throws Exception {
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    /** The main app's token of a request: the bearer header, else the {@code access_token} cookie; null if neither. */
    public static String token(HttpServletRequest request) {
        return tokens().resolve(request);
    }

    /** The bearer header, else the main app's httpOnly {@code access_token} cookie. */
    static BearerTokenResolver tokens() {
        DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
        return request -> {
            String token = header.resolve(request);
            return token != null ? token : cookie(request);
        };
    }

    static String cookie(HttpServletRequest request) {
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

    /** The main app's tokens decoded by {@link JwtVerifier}: one policy for every service that reads them. */
    static JwtDecoder decoder(JwtVerifier verifier) {
        return token -> {
            VerifiedToken v;
            try {
                v = verifier.verify(token);
            } catch (InvalidTokenException e) {
                throw new BadJwtException(e.reason());
            } catch (DataAccessException e) {
                // the blacklist is away: fail closed, and say so as 503, not as a bad token
                throw new JwtException("the token blacklist is unavailable", e);
            }
            Jwt.Builder b = Jwt.withTokenValue(token)
                    .header("alg", "HS256")
                    .claim("email", v.email())
                    .expiresAt(v.expiresAt());
            if (v.subject() != null) {
                b.subject(v.subject());
            }
            if (v.jti() != null) {
                b.jti(v.jti());
            }
            return b.build();
        };
    }

    /** 401 problem+json, or 503 when what checks tokens is away. */
    static void unauthenticated(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof AuthenticationServiceException && causedBy(e, DataAccessException.class)) {
            log.error("token blacklist unavailable");
            Problems.writeUnavailable(response, "authentication is unavailable; try again shortly");
            return;
        }
        boolean none = tokens().resolve(request) == null;
        log.debug("refused token path={} reason={}", request.getRequestURI(), e.getMessage());
        Problems.write(
                response,
                HttpStatus.UNAUTHORIZED,
                "UNAUTHENTICATED",
                none ? "an access token is required" : "the access token is invalid or expired",
                Map.of("WWW-Authenticate", "Bearer"));
    }

    /** 403 problem+json for an authenticated caller a route refuses (no route does today; the shape is the contract's). */
    static void denied(
            HttpServletRequest request,
            HttpServletResponse response,
            org.springframework.security.access.AccessDeniedException e)
            throws IOException {
        Problems.write(response, HttpStatus.FORBIDDEN, "FORBIDDEN", "this route is not open to the caller", Map.of());
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** An unsafe request riding on the cookie must come from the frontend (see {@link CrossSiteCheck}). */
    static final class CrossSiteFilter extends OncePerRequestFilter {
        private final CrossSiteCheck check;

        CrossSiteFilter(CrossSiteCheck check) {
            this.check = check;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            boolean viaCookie = new DefaultBearerTokenResolver().resolve(request) == null && cookie(request) != null;
            if (!check.allows(request, viaCookie)) {
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
            chain.doFilter(request, response);
        }
    }

    /** The authenticated caller's calendar user (created on first sight) as {@link CurrentUser}; 503 if the database is away. */
    static final class CurrentUserFilter extends OncePerRequestFilter {
        private final UserDirectory users;

        CurrentUserFilter(UserDirectory users) {
            this.users = users;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            if (auth instanceof JwtAuthenticationToken jwt) {
                UUID userId;
                String email = jwt.getToken().getClaimAsString("email");
                try {
                    userId = users.idOf(email, jwt.getToken().getSubject());
                } catch (DataAccessException | TransactionException e) {
                    log.error("user directory unavailable: {}", e.getClass().getSimpleName());
                    Problems.writeUnavailable(response, "the service is briefly unavailable; try again shortly");
                    return;
                }
                request.setAttribute(CurrentUser.ATTRIBUTE, new CurrentUser(userId, email));
            }
            chain.doFilter(request, response);
        }
    }
}
