package io.calsync.sandbox.faults;

import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.ProviderErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies the fault rules to the provider endpoints (never to {@code /control}), and the standing latency of every
 * provider call: {@code sandbox.latency} plus or minus {@code sandbox.latency-jitter} (uniform), as the real APIs take
 * 100–300 ms an answer; none by default, so that tests stay fast.
 */
@Component
public class FaultFilter extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Faults faults;
    private final long latencyMs;
    private final long jitterMs;

    public FaultFilter(
            Faults faults,
            @Value("${sandbox.latency:0ms}") Duration latency,
            @Value("${sandbox.latency-jitter:0ms}") Duration jitter) {
        this.faults = faults;
        this.latencyMs = latency.toMillis();
        this.jitterMs = Math.min(jitter.toMillis(), latency.toMillis());
    }

    static Provider providerOf(String path) {
        if (path.startsWith("/google/")) {
            return Provider.GOOGLE;
        }
        if (path.startsWith("/graph/") || path.startsWith("/microsoft/")) {
            return Provider.MICROSOFT;
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Provider provider = providerOf(path);
        if (provider != null && latencyMs > 0) {
            sleep(latencyMs + (jitterMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitterMs, jitterMs + 1)));
        }
        FaultRule rule = provider == null
                ? null
                : faults.matchRequest(provider, request.getMethod(), path).orElse(null);
        if (rule == null) {
            chain.doFilter(request, response);
            return;
        }
        switch (rule.kind()) {
            case LATENCY -> {
                sleep(rule.latencyMs());
                chain.doFilter(request, response);
            }
            case ERROR ->
                write(
                        response,
                        provider == Provider.GOOGLE
                                ? ProviderErrors.google(
                                        rule.status(),
                                        "global",
                                        rule.status() >= 500 ? "backendError" : "badRequest",
                                        rule.status() >= 500 ? "Backend Error" : "Bad Request")
                                : ProviderErrors.graph(
                                        rule.status(),
                                        rule.status() >= 500 ? "ServiceNotAvailable" : "BadRequest",
                                        rule.status() >= 500 ? "Service unavailable" : "Bad request"),
                        rule.retryAfterSeconds());
            case RATE_LIMIT ->
                write(
                        response,
                        provider == Provider.GOOGLE
                                ? ProviderErrors.google(
                                        rule.status() == 0 ? 429 : rule.status(),
                                        "usageLimits",
                                        "rateLimitExceeded",
                                        "Rate Limit Exceeded")
                                : ProviderErrors.graph(
                                        429, "TooManyRequests", "Application is over its MailboxConcurrency limit."),
                        rule.retryAfterSeconds());
            default -> chain.doFilter(request, response);
        }
    }

    private static void write(HttpServletResponse response, ResponseEntity<Object> entity, int retryAfter)
            throws IOException {
        response.setStatus(entity.getStatusCode().value());
        entity.getHeaders().forEach((k, v) -> v.forEach(value -> response.addHeader(k, value)));
        if (retryAfter > 0) {
            response.setHeader("Retry-After", String.valueOf(retryAfter));
        }
        response.setContentType("application/json; charset=UTF-8");
        response.getWriter().write(JSON.writeValueAsString(entity.getBody()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
