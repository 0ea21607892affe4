package io.calsync.gateway.web;

import io.calsync.gateway.persistence.RedisAvailability;
import io.calsync.gateway.persistence.RedisTokenBlacklist;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.TokenBlacklist;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    @Bean
    JwtVerifier jwtVerifier(Environment env, RedisAvailability redis, StringRedisTemplate template) {
        TokenBlacklist blacklist = redis.useRedis() ? new RedisTokenBlacklist(template) : TokenBlacklist.NONE;
        return new JwtVerifier(
                env.getRequiredProperty("SECRET_KEY"),
                blacklist,
                JwtVerifier.Policy.of(
                        !env.acceptsProfiles(org.springframework.core.env.Profiles.of("dev")),
                        env.getProperty("JWT_REQUIRED_CLAIMS", "")));
    }
}
