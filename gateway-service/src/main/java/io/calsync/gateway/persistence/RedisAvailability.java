package io.calsync.gateway.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether Redis backs the blacklist and the rate limits. Outside the dev profile it always does (a Redis outage then
 * answers 503 rather than skipping the checks). In dev, Redis that does not answer at start is replaced by in-memory
 * limits and no blacklist check, each said once.
 */
@Component
public class RedisAvailability {

    private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);
    private final boolean useRedis;

    public RedisAvailability(StringRedisTemplate redis, Environment env) {
        boolean dev = env.acceptsProfiles(Profiles.of("dev"));
        boolean answers;
        try {
            answers = "PONG".equalsIgnoreCase(redis.execute((org.springframework.data.redis.core.RedisCallback<String>)
                    c -> c.ping()));
        } catch (RuntimeException e) {
            answers = false;
        }
        if (!answers && dev) {
            log.warn("Redis does not answer: the dev profile keeps rate limits in memory (this replica only)");
            log.warn("Redis does not answer: the dev profile skips the token blacklist check");
        } else if (!answers) {
            log.error("Redis does not answer at start; blacklist checks and rate limits answer 503 until it does");
        }
        this.useRedis = answers || !dev;
    }

    public boolean useRedis() {
        return useRedis;
    }
}
