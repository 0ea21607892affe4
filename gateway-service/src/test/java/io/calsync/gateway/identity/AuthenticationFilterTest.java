package io.calsync.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

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
                new JwtVerifier(TestTokens.SECRET, TokenBlacklist.NONE), new UserDirectory(away));
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
}
