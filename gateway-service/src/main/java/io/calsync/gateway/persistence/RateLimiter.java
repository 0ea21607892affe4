package io.calsync.gateway.persistence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.calsync.gateway.application.LimitClass;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * The contract's per-user limits as token buckets (Bucket4j): a class's bucket holds its per-minute limit and refills
 * at that rate, token by token, so a burst at the end of one minute is not followed by a full one at the start of the
 * next (what a fixed window allowed: twice the limit across its edge), while a user who paces requests is never
 * refused. In Redis ({@code ratelimit:<class>:<user>}) the buckets are shared by every gateway replica and changed by
 * compare-and-swap, so two replicas never both spend the last token and no counter can be left without an expiry
 * (keys expire once the bucket would be full again). The in-memory buckets exist for the dev profile without Redis
 * only. A Redis that fails or hangs (2 s) is a {@link DataAccessResourceFailureException}: the filter answers 503.
 */
@Component
public class RateLimiter implements DisposableBean {

    /** The verdict: allowed, or refused with the seconds until a token is back. */
    public record Decision(boolean allowed, long retryAfterSeconds) {}

    private final boolean useRedis;
    private final String redisUrl;
    private final TimeMeter time;
    private final Cache<String, Bucket> local = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();
    private volatile RedisClient client;
    private volatile ProxyManager<byte[]> buckets;

    @org.springframework.beans.factory.annotation.Autowired
    public RateLimiter(RedisAvailability availability, Environment env) {
        this(
                availability.useRedis(),
                env.getProperty("spring.data.redis.url", "redis://localhost:6379"),
                TimeMeter.SYSTEM_MILLISECONDS);
    }

    RateLimiter(boolean useRedis, String redisUrl, TimeMeter time) {
        this.useRedis = useRedis;
        this.redisUrl = redisUrl;
        this.time = time;
    }

    static BucketConfiguration configuration(LimitClass limitClass) {
        int n = limitClass.perMinute();
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(n).refillGreedy(n, Duration.ofMinutes(1)))
                .build();
    }

    public Decision acquire(LimitClass limitClass, UUID userId) {
        String key = "ratelimit:" + limitClass.name().toLowerCase(Locale.ROOT) + ":" + userId;
        BucketConfiguration config = configuration(limitClass);
        ConsumptionProbe probe;
        if (useRedis) {
            try {
                probe = redisBuckets()
                        .builder()
                        .build(key.getBytes(StandardCharsets.UTF_8), () -> config)
                        .tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                throw new DataAccessResourceFailureException("the rate-limit buckets in Redis are unavailable", e);
            }
        } else {
            probe = local.get(
                            key,
                            k -> Bucket.builder()
                                    .withCustomTimePrecision(time)
                                    .addLimit(config.getBandwidths()[0])
                                    .build())
                    .tryConsumeAndReturnRemaining(1);
        }
        if (probe.isConsumed()) {
            return new Decision(true, 0);
        }
        long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
        return new Decision(false, Math.max(1, seconds));
    }

    /** The Redis buckets, connected on first use (a Redis that is away at start is no reason not to start). */
    private ProxyManager<byte[]> redisBuckets() {
        ProxyManager<byte[]> b = buckets;
        if (b == null) {
            synchronized (this) {
                if (buckets == null) {
                    RedisURI uri = RedisURI.create(redisUrl);
                    uri.setTimeout(Duration.ofSeconds(2));
                    RedisClient created = RedisClient.create(uri);
                    created.setOptions(io.lettuce.core.ClientOptions.builder()
                            .socketOptions(io.lettuce.core.SocketOptions.builder()
                                    .connectTimeout(Duration.ofSeconds(2))
                                    .build())
                            .build());
                    try {
                        buckets = Bucket4jLettuce.casBasedBuilder(created)
                                .clientClock(time)
                                .requestTimeout(Duration.ofSeconds(2))
                                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                        Duration.ofSeconds(10)))
                                .build();
                        client = created;
                    } catch (RuntimeException e) {
                        created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                        throw e;
                    }
                }
                b = buckets;
            }
        }
        return b;
    }

    @Override
    public void destroy() {
        RedisClient c = client;
        if (c != null) {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
