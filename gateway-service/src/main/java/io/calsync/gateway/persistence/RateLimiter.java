package io.calsync.gateway.persistence;

import io.calsync.gateway.application.LimitClass;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Fixed one-minute windows per user and class. In Redis ({@code ratelimit:<class>:<user>:<minute>}, INCR with a
 * two-minute expiry) the count is shared by every gateway replica; the in-memory fallback exists for the dev
 * profile without Redis only.
 */
@Component
public class RateLimiter {

    /** The verdict: allowed, or refused with the seconds until the window resets. */
    public record Decision(boolean allowed, long retryAfterSeconds) {}

    private final StringRedisTemplate redis;
    private final boolean useRedis;
    private final Clock clock;
    private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public RateLimiter(StringRedisTemplate redis, RedisAvailability availability) {
        this(redis, availability.useRedis(), Clock.systemUTC());
    }

    RateLimiter(StringRedisTemplate redis, boolean useRedis, Clock clock) {
        this.redis = redis;
        this.useRedis = useRedis;
        this.clock = clock;
    }

    public Decision acquire(LimitClass limitClass, UUID userId) {
        long nowSeconds = clock.instant().getEpochSecond();
        long minute = nowSeconds / 60;
        String key = "ratelimit:" + limitClass.name().toLowerCase(java.util.Locale.ROOT) + ":" + userId + ":" + minute;
        long count;
        if (useRedis) {
            Long n = redis.opsForValue().increment(key);
            count = n == null ? 1 : n;
            if (count == 1) {
                redis.expire(key, Duration.ofMinutes(2));
            }
        } else {
            if (local.size() > 50_000) {
                local.keySet().removeIf(k -> !k.endsWith(":" + minute));
            }
            count = local.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        return count <= limitClass.perMinute()
                ? new Decision(true, 0)
                : new Decision(false, Math.max(1, 60 - nowSeconds % 60));
    }
}
