package io.calsync.poller.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final RefreshPolicy POLICY = new RefreshPolicy(Duration.ofMinutes(15), 0.1, 5, Duration.ofHours(24));

    @Test
    void aFeedWithoutRefreshIntervalIsDueAfterTheServiceInterval() {
        assertThat(POLICY.delay(null, 0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.delay(0, 0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.delay(-60, 0)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aShorterRefreshIntervalCannotMakeRefreshesMoreFrequent() {
        assertThat(POLICY.delay(60, 0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.delay(899, 0)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aLongerRefreshIntervalIsHonoured() {
        assertThat(POLICY.delay(3600, 0)).isEqualTo(Duration.ofHours(1));
        assertThat(POLICY.delay(7 * 86_400, 0)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void eachConsecutiveFailureDoublesTheDelayUpToFiveDoublings() {
        assertThat(POLICY.delay(null, 1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(POLICY.delay(null, 2)).isEqualTo(Duration.ofMinutes(60));
        assertThat(POLICY.delay(null, 3)).isEqualTo(Duration.ofMinutes(120));
        assertThat(POLICY.delay(null, 5)).isEqualTo(Duration.ofMinutes(15 * 32));
        assertThat(POLICY.delay(null, 6)).isEqualTo(Duration.ofMinutes(15 * 32));
        assertThat(POLICY.delay(null, 1000)).isEqualTo(Duration.ofMinutes(15 * 32));
        assertThat(POLICY.delay(null, -3)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void backoffStartsFromTheFeedsOwnIntervalAndStopsAtTheCap() {
        assertThat(POLICY.delay(3600, 2)).isEqualTo(Duration.ofHours(4));
        assertThat(POLICY.delay(3600, 5)).isEqualTo(Duration.ofHours(24)); // 32 h, capped at 24 h
        // A feed whose own interval exceeds the cap keeps its interval: backoff never refreshes it more often.
        assertThat(POLICY.delay(2 * 86_400, 3)).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void jitterOnlyAddsAndStaysWithinItsFraction() {
        Duration delay = Duration.ofMinutes(60); // two failures
        assertThat(POLICY.nextRefresh(NOW, null, 2, 0.0)).isEqualTo(NOW.plus(delay));
        assertThat(POLICY.nextRefresh(NOW, null, 2, 0.5))
                .isEqualTo(NOW.plus(delay).plus(Duration.ofMinutes(3)));
        Instant upper = NOW.plus(delay).plus(Duration.ofMinutes(6));
        assertThat(POLICY.nextRefresh(NOW, null, 2, 0.999_999)).isBefore(upper).isAfter(upper.minusSeconds(1));
        // Out-of-range randoms are clamped rather than trusted.
        assertThat(POLICY.nextRefresh(NOW, null, 2, -1)).isEqualTo(NOW.plus(delay));
        assertThat(POLICY.nextRefresh(NOW, null, 2, 7)).isBefore(upper);

        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant next = POLICY.nextRefresh(NOW, 3600, 0, random.nextDouble());
            assertThat(next).isBetween(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofMinutes(66)));
        }
    }

    @Test
    void jitterSpreadsFeedsThatWereDueTogether() {
        Random random = new Random(7);
        long distinct = random.doubles(100)
                .mapToObj(r -> POLICY.nextRefresh(NOW, null, 0, r))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(90);
    }

    @Test
    void withoutJitterTheNextRefreshIsExact() {
        RefreshPolicy exact = new RefreshPolicy(Duration.ofMinutes(15), 0.0, 5, Duration.ofHours(24));
        assertThat(exact.nextRefresh(NOW, null, 0, 0.9)).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThatThrownBy(() -> new RefreshPolicy(Duration.ZERO, 0.1, 5, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefreshPolicy(Duration.ofMinutes(1), 1.5, 5, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefreshPolicy(Duration.ofMinutes(1), 0.1, 31, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
