package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.gateway.persistence.UserDirectory;
import io.calsync.model.persistence.CalendarUserRepository;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.TokenBlacklist;
import io.calsync.testsupport.TestTokens;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The pieces of the gateway's Spring Security chain on their own: the decoder (JwtVerifier's policy, a blacklist
 * that is away told apart from a bad token), the answers (401, or 503 when a dependency is away), the cross-site check
 * of cookie requests and the calendar user of a caller. The chain itself runs in GatewayApiIT and the slice tests.
 */
class SecurityConfigurationTest {

    static final CrossSiteCheck CHECK = new CrossSiteCheck(new MockEnvironment()
            .withProperty("CORS_ORIGINS", "http://localhost:3000, https://app.example.com")
            .withProperty("FRONTEND_URL", "https://calendar.example.com/app"));

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    static MockHttpServletRequest request(String method, String... headers) {
        MockHttpServletRequest r = new MockHttpServletRequest(method, "/api/v1/calendar/calendars/sync-all");
        r.setServletPath("/api/v1/calendar/calendars/sync-all");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.addHeader(headers[i], headers[i + 1]);
        }
        return r;
    }

    static CalendarUserRepository away() {
        return (CalendarUserRepository) Proxy.newProxyInstance(
                SecurityConfigurationTest.class.getClassLoader(),
                new Class<?>[] {CalendarUserRepository.class},
                (proxy, m, args) -> {
                    throw new CannotCreateTransactionException("no connection within the timeout");
                });
    }

    @Test
    void theDecoderIsJwtVerifiersPolicyAndTellsAnAbsentBlacklistFromABadToken() {
        var decoder = SecurityConfiguration.decoder(new JwtVerifier(TestTokens.SECRET, TokenBlacklist.NONE));
        Jwt jwt = decoder.decode(TestTokens.forEmail("ada@example.com"));
        assertThat(jwt.getClaimAsString("email")).isEqualTo("ada@example.com");
        assertThat(jwt.getSubject()).isEqualTo(TestTokens.subjectOf("ada@example.com"));
        assertThat(jwt.getId()).isNotBlank();
        assertThatThrownBy(() -> decoder.decode("not-a-jwt")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode(TestTokens.forEmail("late@example.com", Duration.ofMinutes(-5))))
                .isInstanceOf(BadJwtException.class);
        var blacklistAway = SecurityConfiguration.decoder(new JwtVerifier(TestTokens.SECRET, jti -> {
            throw new QueryTimeoutException("Redis did not answer");
        }));
        assertThatThrownBy(() -> blacklistAway.decode(TestTokens.forEmail("ada@example.com")))
                .isInstanceOf(JwtException.class)
                .isNotInstanceOf(BadJwtException.class)
                .hasRootCauseInstanceOf(QueryTimeoutException.class);
    }

    @Test
    void refusalsAre401ProblemsAndAnAbsentDependencyIs503() throws Exception {
        MockHttpServletResponse none = new MockHttpServletResponse();
        SecurityConfiguration.unauthenticated(request("GET"), none, new InvalidBearerTokenException("no token"));
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(none.getContentType()).startsWith("application/problem+json");
        assertThat(none.getContentAsString())
                .contains("\"code\":\"UNAUTHENTICATED\"")
                .contains("is required");
        assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer");

        MockHttpServletResponse bad = new MockHttpServletResponse();
        SecurityConfiguration.unauthenticated(
                request("GET", "Authorization", "Bearer x.y.z"), bad, new InvalidBearerTokenException("bad"));
        assertThat(bad.getContentAsString()).contains("invalid or expired").doesNotContain("x.y.z");

        MockHttpServletResponse down = new MockHttpServletResponse();
        SecurityConfiguration.unauthenticated(
                request("GET", "Authorization", "Bearer x.y.z"),
                down,
                new AuthenticationServiceException(
                        "blacklist", new JwtException("away", new QueryTimeoutException("t"))));
        assertThat(down.getStatus()).isEqualTo(503);
        assertThat(down.getHeader("Retry-After")).isEqualTo("5");
        assertThat(down.getContentAsString()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
    }

    @Test
    void aRefusedCallerGetsA403Problem() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        SecurityConfiguration.denied(
                request("GET"), response, new org.springframework.security.access.AccessDeniedException("no"));
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"FORBIDDEN\"");
    }

    @Test
    void aDatabaseOutageWhileLookingUpTheCallerIs503() throws Exception {
        var filter = new SecurityConfiguration.CurrentUserFilter(new UserDirectory(away()));
        Jwt jwt = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .claim("email", "ada@example.com")
                .subject("s")
                .build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request("GET"), response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(chain.getRequest()).as("the request went no further").isNull();
    }

    @Test
    void aCookieRequestFromAnotherSiteIsRefusedAndTheFrontendsIsNot() {
        // forged from another site: refused whatever the header that tells it
        assertThat(CHECK.allows(request("POST", "Origin", "https://evil.example"), true))
                .isFalse();
        assertThat(CHECK.allows(
                        request("POST", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), true))
                .isFalse();
        assertThat(CHECK.allows(request("DELETE", "Origin", "null"), true)).isFalse();
        assertThat(CHECK.allows(request("PUT", "Sec-Fetch-Site", "cross-site"), true))
                .isFalse();
        // the frontend, or the browser itself
        assertThat(CHECK.allows(request("POST", "Origin", "https://app.example.com"), true))
                .isTrue();
        assertThat(CHECK.allows(request("POST", "Origin", "https://calendar.example.com"), true))
                .isTrue();
        assertThat(CHECK.allows(request("POST", "Sec-Fetch-Site", "same-origin"), true))
                .isTrue();
        assertThat(CHECK.allows(
                        request("POST", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:3000"), true))
                .isTrue();
        // reads, bearer requests and requests that no browser made cross-site
        assertThat(CHECK.allows(request("GET", "Origin", "https://evil.example"), true))
                .isTrue();
        assertThat(CHECK.allows(request("POST", "Origin", "https://evil.example"), false))
                .isTrue();
        assertThat(CHECK.allows(request("POST"), true)).isTrue();
    }

    @Test
    void theCrossSiteFilterAnswers403ToAForgedCookiePostAndLetsTheBearerOneThrough() throws Exception {
        var filter = new SecurityConfiguration.CrossSiteFilter(CHECK);
        MockHttpServletRequest forged = request("POST", "Origin", "https://evil.example");
        forged.setCookies(new jakarta.servlet.http.Cookie("access_token", TestTokens.forEmail("ada@example.com")));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(forged, response, chain);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("\"code\":\"CROSS_SITE_REQUEST\"");
        assertThat(chain.getRequest()).isNull();

        MockHttpServletRequest bearer = request("POST", "Origin", "https://evil.example");
        bearer.addHeader("Authorization", "Bearer " + TestTokens.forEmail("ada@example.com"));
        MockFilterChain passed = new MockFilterChain();
        filter.doFilter(bearer, new MockHttpServletResponse(), passed);
        assertThat(passed.getRequest()).as("a bearer request goes on").isNotNull();
    }
}
