package io.calsync.providers.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.domain.CalendarProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policy's inline allowance: a consumer thread waits a few seconds at most, then the work is moved. */
class ProviderCallsTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    final List<Duration> slept = new ArrayList<>();
    final ProviderCalls calls = new ProviderCalls(
            new SimpleMeterRegistry(),
            6,
            Duration.ofMillis(100),
            Duration.ofSeconds(30),
            slept::add,
            Duration.ofSeconds(5),
            Clock.fixed(NOW, ZoneOffset.UTC));
    final SyncTarget target = new SyncTarget(
            UUID.randomUUID(), CalendarProvider.ICS, null, null, "https://x", null, null, null, null, null, null);

    static ProviderException limited(int retryAfterSeconds) {
        return new ProviderException(
                ProviderException.Kind.RATE_LIMITED, 429, "rateLimited", "busy", Duration.ofSeconds(retryAfterSeconds));
    }

    @Test
    void aShortRetryAfterIsWaitedInline() {
        AtomicInteger attempts = new AtomicInteger();
        String answer = calls.execute(target, "get", token -> {
            if (attempts.incrementAndGet() < 3) {
                throw limited(1);
            }
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(slept).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void aRetryAfterBeyondTheAllowanceMovesTheWorkWithoutSleeping() {
        assertThatThrownBy(() -> calls.execute(target, "get", token -> {
                    throw limited(120);
                }))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.retryAt()).isEqualTo(NOW.plusSeconds(120));
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
                    assertThat(e.status()).isEqualTo(429);
                });
        assertThat(slept).isEmpty();
    }

    @Test
    void shortWaitsThatAddUpPastTheAllowanceMoveTheWorkToo() {
        assertThatThrownBy(() -> calls.execute(target, "get", token -> {
                    throw limited(2);
                }))
                .isInstanceOf(RetryLaterException.class);
        assertThat(slept.stream().mapToLong(Duration::toMillis).sum())
                .as("never more than the allowance in all")
                .isLessThanOrEqualTo(5_000);
        assertThat(slept).hasSize(2);
    }
}
