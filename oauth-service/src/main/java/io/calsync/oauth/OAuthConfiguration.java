package io.calsync.oauth;

import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.TokenBlacklist;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.oauth.AccessTokens;
import io.calsync.platform.oauth.ProviderEndpoints;
import io.calsync.platform.oauth.ProviderTokenClient;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The provider endpoints (contract variables), the OAuth client, the token library and the caller's JWT check. */
@Configuration(proxyBeanMethods = false)
class OAuthConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ProviderEndpoints providerEndpoints(Environment env) {
        return ProviderEndpoints.from(env::getProperty);
    }

    @Bean
    ProviderTokenClient providerTokenClient(ProviderEndpoints endpoints, Clock clock) {
        return new ProviderTokenClient(endpoints, clock);
    }

    @Bean
    AccessTokens accessTokens(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            TokenCipher cipher,
            ProviderTokenClient client,
            AuditLogEntryRepository audit,
            Clock clock) {
        return new AccessTokens(jdbc, transactions, cipher, client, audit, clock);
    }

    /**
     * The gateway already verified the caller (and the Redis blacklist); this is defense in depth against a call that
     * bypasses the gateway, so the signature and expiry are checked again here.
     */
    @Bean
    JwtVerifier jwtVerifier(Environment env) {
        return new JwtVerifier(env.getRequiredProperty("SECRET_KEY"), TokenBlacklist.NONE);
    }

    @Bean
    OAuthSettings oauthSettings(Environment env) {
        String frontend = env.getProperty("FRONTEND_URL", "http://localhost:3000");
        return new OAuthSettings(frontend.endsWith("/") ? frontend.substring(0, frontend.length() - 1) : frontend);
    }

    /** Where the browser goes after a callback. */
    record OAuthSettings(String frontendUrl) {}
}
