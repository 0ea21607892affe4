package io.calsync.oauth;

import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.TokenBlacklist;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The caller's JWT check and where the browser goes after a callback; provider clients come from {@code providers}. */
@Configuration(proxyBeanMethods = false)
public class OAuthConfiguration {

    /**
     * The gateway already verified the caller (and the Redis blacklist); this is defense in depth against a call that
     * bypasses the gateway, so the signature and expiry are checked again here.
     */
    @Bean
    JwtVerifier jwtVerifier(Environment env) {
        return new JwtVerifier(
                env.getRequiredProperty("SECRET_KEY"),
                TokenBlacklist.NONE,
                JwtVerifier.Policy.of(
                        !env.acceptsProfiles(org.springframework.core.env.Profiles.of("dev")),
                        env.getProperty("JWT_REQUIRED_CLAIMS", "")));
    }

    @Bean
    OAuthSettings oauthSettings(Environment env) {
        String frontend = env.getProperty("FRONTEND_URL", "http://localhost:3000");
        return new OAuthSettings(frontend.endsWith("/") ? frontend.substring(0, frontend.length() - 1) : frontend);
    }

    /** Where the browser goes after a callback. */
    public record OAuthSettings(String frontendUrl) {}
}
