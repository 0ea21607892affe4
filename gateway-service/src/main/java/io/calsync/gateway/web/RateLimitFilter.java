package io.calsync.gateway.web;

import io.calsync.gateway.application.LimitClass;
import io.calsync.gateway.persistence.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every authenticated request of a limit class before it is handled, whatever its outcome, and answers 429
 * with {@code Retry-After} over the limit. Runs after authentication (it needs the user).
 */
@Component
// after Spring Security's chain (order -100), which puts the caller on the request
@Order(-90)
public class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private final RateLimiter limiter;

    public RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The decoded path, as Spring MVC routes it: /ics/%76alidate counts as /ics/validate.
        Optional<LimitClass> limitClass =
                LimitClass.of(request.getMethod(), io.calsync.gateway.web.RequestFirewallFilter.path(request));
        Object user = request.getAttribute(CurrentUser.class.getName());
        if (limitClass.isEmpty() || user == null) {
            chain.doFilter(request, response);
            return;
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(limitClass.get(), ((CurrentUser) user).id());
        } catch (DataAccessException e) {
            log.error("rate limiter unavailable: {}", e.getClass().getSimpleName());
            Problems.writeUnavailable(response, "the service is briefly unavailable; try again shortly");
            return;
        }
        if (!decision.allowed()) {
            Problems.write(
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    "too many "
                            + limitClass
                                    .get()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', ' ') + " requests: at most "
                            + limitClass.get().perMinute() + " a minute",
                    Map.of("Retry-After", String.valueOf(decision.retryAfterSeconds())));
            return;
        }
        chain.doFilter(request, response);
    }
}
