package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.gateway.persistence.UserDirectory;
import io.calsync.model.persistence.CalendarUserRepository;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.TokenBlacklist;
import io.calsync.testsupport.TestTokens;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;

/** The filter when what it depends on is away: a 503 problem, never a 500 that a filter cannot shape. */
class AuthenticationFilterTest {

    @Test
    void aDatabaseOutageWhileLookingUpTheCallerIs503() throws Exception {
        CalendarUserRepository away = (CalendarUserRepository) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CalendarUserRepository.class}, (proxy, m, args) -> {
                    throw new CannotCreateTransactionException("no connection within the timeout");
                });
        AuthenticationFilter filter = new AuthenticationFilter(
                new JwtVerifier(TestTokens.SECRET, TokenBlacklist.NONE),
                new UserDirectory(away),
                new CrossSiteCheck(new org.springframework.mock.env.MockEnvironment()));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/calendar/calendars");
        request.setServletPath("/api/v1/calendar/calendars");
        request.addHeader("Authorization", "Bearer " + TestTokens.forEmail("ada@example.com"));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(chain.getRequest()).as("the request went no further").isNull();
    }

    static final CrossSiteCheck CHECK = new CrossSiteCheck(new org.springframework.mock.env.MockEnvironment()
            .withProperty("CORS_ORIGINS", "http://localhost:3000, https://app.example.com")
            .withProperty("FRONTEND_URL", "https://calendar.example.com/app"));

    static MockHttpServletRequest request(String method, String... headers) {
        MockHttpServletRequest r = new MockHttpServletRequest(method, "/api/v1/calendar/calendars/sync-all");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.addHeader(headers[i], headers[i + 1]);
        }
        return r;
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
    void theFilterAnswers403ToAForgedCookiePostAndLetsTheBearerOneThrough() throws Exception {
        AuthenticationFilter filter = new AuthenticationFilter(
                new JwtVerifier(TestTokens.SECRET, TokenBlacklist.NONE),
                new UserDirectory((CalendarUserRepository) Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {CalendarUserRepository.class},
                        (proxy, m, args) -> {
                            throw new CannotCreateTransactionException("not reached");
                        })),
                CHECK);
        MockHttpServletRequest forged = request("POST", "Origin", "https://evil.example");
        forged.setServletPath("/api/v1/calendar/calendars/sync-all");
        forged.setCookies(new jakarta.servlet.http.Cookie("access_token", TestTokens.forEmail("ada@example.com")));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(forged, response, chain);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("\"code\":\"CROSS_SITE_REQUEST\"");
        assertThat(chain.getRequest()).isNull();

        MockHttpServletRequest bearer = request("POST", "Origin", "https://evil.example");
        bearer.setServletPath("/api/v1/calendar/calendars/sync-all");
        bearer.addHeader("Authorization", "Bearer " + TestTokens.forEmail("ada@example.com"));
        MockHttpServletResponse answered = new MockHttpServletResponse();
        filter.doFilter(bearer, answered, new MockFilterChain());
        assertThat(answered.getStatus())
                .as("the bearer request passes the check and reaches the (here unavailable) user directory")
                .isEqualTo(503);
    }
}
