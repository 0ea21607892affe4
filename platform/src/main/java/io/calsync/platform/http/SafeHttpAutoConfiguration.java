package io.calsync.platform.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.PropertySource;

/**
 * The {@link SsrfGuard} and the {@link SafeHttpFetcher}, configured by {@code calsync.ics.*}
 * ({@link SafeFetchProperties}); {@code calsync.ics.allow-private-networks} defaults to the contract's
 * {@code ICS_ALLOW_PRIVATE_NETWORKS} ({@code safe-fetch.properties}). Lazy: only services that fetch user URLs
 * create the client and its threads.
 */
@AutoConfiguration
@EnableConfigurationProperties(SafeFetchProperties.class)
@PropertySource("classpath:io/calsync/platform/http/safe-fetch.properties")
public class SafeHttpAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    SsrfGuard ssrfGuard(SafeFetchProperties properties) {
        return new SsrfGuard(properties.allowPrivateNetworks());
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    SafeHttpFetcher safeHttpFetcher(SsrfGuard guard, SafeFetchProperties properties) {
        return new SafeHttpFetcher(guard, properties);
    }
}
