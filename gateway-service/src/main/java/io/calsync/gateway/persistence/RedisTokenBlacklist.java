package io.calsync.gateway.persistence;

import io.calsync.model.security.TokenBlacklist;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The main app's logout list: a key {@code token_blacklist:<jti>} in Redis means the token is revoked. */
public class RedisTokenBlacklist implements TokenBlacklist {

    static final String PREFIX = "token_blacklist:";
    private final StringRedisTemplate redis;

    public RedisTokenBlacklist(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public boolean isRevoked(String jti) {
        return Boolean.TRUE.equals(redis.hasKey(PREFIX + jti));
    }
}
