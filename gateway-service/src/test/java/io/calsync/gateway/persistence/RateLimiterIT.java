package io.calsync.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.gateway.application.LimitClass;
import io.github.bucket4j.TimeMeter;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits at a minute's edge, with a clock the test moves, in Redis (as every replica shares them) and in memory
 * (the dev profile without Redis): a user who spent the limit at the end of a minute does not get it again at the
 * start of the next (a fixed window gave twice the limit across its edge); a paced user is never refused.
 */
class RateLimiterIT {

    static final String REDIS = System.getenv().getOrDefault("REDIS_URL", "redis://localhost:6379");

    /** A clock in nanoseconds that only the test moves. */
    static final class TestTime implements TimeMeter {
        final AtomicLong nanos = new AtomicLong(1_700_000_000_000_000_000L);

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }

        void advanceMillis(long millis) {
            nanos.addAndGet(millis * 1_000_000L);
        }
    }

    @ParameterizedTest(name = "in Redis: {0}")
    @ValueSource(booleans = {true, false})
    void aBurstAtAMinutesEndIsNotFollowedByAFullOneAtTheNextMinutesStart(boolean redis) {
        TestTime time = new TestTime();
        RateLimiter limiter = new RateLimiter(redis, REDIS, time);
        try {
            UUID user = UUID.randomUUID();
            int allowed = 0;
            for (int i = 0; i < 31; i++) {
                allowed += limiter.acquire(LimitClass.EVENT_WRITE, user).allowed() ? 1 : 0;
            }
            assertThat(allowed).as("the limit in a burst").isEqualTo(LimitClass.EVENT_WRITE.perMinute());
            RateLimiter.Decision refused = limiter.acquire(LimitClass.EVENT_WRITE, user);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfterSeconds())
                    .as("one token is back after 2 s (30 a minute)")
                    .isEqualTo(2);

            // one second later (a new fixed window might have begun): still nothing
            time.advanceMillis(1_000);
            assertThat(limiter.acquire(LimitClass.EVENT_WRITE, user).allowed()).isFalse();
            // two seconds after the burst: one request, not thirty
            time.advanceMillis(1_000);
            assertThat(limiter.acquire(LimitClass.EVENT_WRITE, user).allowed()).isTrue();
            assertThat(limiter.acquire(LimitClass.EVENT_WRITE, user).allowed()).isFalse();

            // a paced user, one request every 2 s for two minutes, is never refused
            UUID paced = UUID.randomUUID();
            for (int i = 0; i < 60; i++) {
                assertThat(limiter.acquire(LimitClass.EVENT_WRITE, paced).allowed())
                        .as("request %d", i)
                        .isTrue();
                time.advanceMillis(2_000);
            }
            // classes and users have buckets of their own
            assertThat(limiter.acquire(LimitClass.SYNC, user).allowed()).isTrue();
            assertThat(limiter.acquire(LimitClass.EVENT_WRITE, UUID.randomUUID())
                            .allowed())
                    .isTrue();
        } finally {
            limiter.destroy();
        }
    }
}
