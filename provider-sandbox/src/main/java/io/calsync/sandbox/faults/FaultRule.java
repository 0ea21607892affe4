package io.calsync.sandbox.faults;

import io.calsync.sandbox.core.Provider;

/**
 * One injected fault. HTTP faults match requests by provider, method (null for any) and a regular expression over
 * the path; notification faults act on push deliveries of a provider. {@code times} is how often the rule fires
 * (-1: until removed).
 *
 * @param kind LATENCY (delay, then answer normally), ERROR (answer {@code status} with the provider's error body),
 *     RATE_LIMIT (Google: {@code status} 403 or 429 with rateLimitExceeded; Microsoft: 429 TooManyRequests; both with
 *     Retry-After when {@code retryAfterSeconds} > 0), DROP_NOTIFICATIONS, DUPLICATE_NOTIFICATIONS
 */
public record FaultRule(
        String id,
        Provider provider,
        String method,
        String pathPattern,
        Kind kind,
        int status,
        long latencyMs,
        int retryAfterSeconds,
        int times) {

    public enum Kind {
        LATENCY,
        ERROR,
        RATE_LIMIT,
        DROP_NOTIFICATIONS,
        DUPLICATE_NOTIFICATIONS
    }

    public boolean isNotificationFault() {
        return kind == Kind.DROP_NOTIFICATIONS || kind == Kind.DUPLICATE_NOTIFICATIONS;
    }
}
