package io.calsync.providers;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.security.TokenCipher;
import io.calsync.providers.caldav.CalDavCalendars;
import io.calsync.providers.caldav.CalDavClient;
import io.calsync.providers.caldav.CalDavDiscovery;
import io.calsync.providers.google.GoogleAccounts;
import io.calsync.providers.google.GoogleCalendarSync;
import io.calsync.providers.google.GoogleCalendarWriter;
import io.calsync.providers.google.GoogleChannels;
import io.calsync.providers.http.SafeFetchProperties;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.ics.IcsFeedSync;
import io.calsync.providers.microsoft.GraphAccounts;
import io.calsync.providers.microsoft.GraphCalendarSync;
import io.calsync.providers.microsoft.GraphCalendarWriter;
import io.calsync.providers.microsoft.GraphSubscriptions;
import io.calsync.providers.oauth.AccessTokens;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.oauth.ProviderTokenClient;
import io.calsync.providers.port.ProviderCalls;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The provider edge for every service, in one place: the provider endpoints of the contract's variables, the token
 * client and {@link AccessTokens} (single-flight refresh, encrypted storage), the SSRF guard and the safe fetcher
 * ({@code calsync.ics.*}, {@link SafeFetchProperties}), the ICS parser, and the Google, Graph, ICS and CalDAV
 * adapters (one CalDAV adapter per provider value: {@code APPLE} and {@code CALDAV}) behind the engine's ports ({@link io.calsync.providers.port}).
 *
 * <p>The adapters are imported by class (bean names are their class names, so they never clash with a service's own
 * beans, such as the sandbox's fake {@code GoogleChannels}), never component-scanned. Everything here is lazy: a bean
 * exists only in a service that uses it. The gateway validates feeds (fetcher and
 * parser) and never builds a token client, so it needs no {@code ENCRYPTION_KEY}; sync-service injects the adapters;
 * oauth-service the token client and the accounts clients.
 */
@AutoConfiguration
@EnableConfigurationProperties(SafeFetchProperties.class)
@PropertySource("classpath:io/calsync/providers/http/safe-fetch.properties")
@Import({
    GoogleCalendarSync.class,
    GoogleCalendarWriter.class,
    GoogleChannels.class,
    GoogleAccounts.class,
    GraphCalendarSync.class,
    GraphCalendarWriter.class,
    GraphSubscriptions.class,
    GraphAccounts.class,
    IcsFeedSync.class
})
public class ProvidersAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ProviderEndpoints providerEndpoints(Environment env) {
        return ProviderEndpoints.from(env::getProperty);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    ProviderTokenClient providerTokenClient(ProviderEndpoints endpoints, Clock clock) {
        return new ProviderTokenClient(endpoints, clock);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    AccessTokens accessTokens(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            TokenCipher cipher,
            ProviderTokenClient client,
            AuditLogEntryRepository audit,
            Clock clock) {
        return new AccessTokens(jdbc, transactions, cipher, client, audit, clock);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    SsrfGuard ssrfGuard(SafeFetchProperties properties) {
        return new SsrfGuard(properties.allowPrivateNetworks());
    }

    @Bean
    @Lazy // only services that fetch user URLs create the client and its threads
    @ConditionalOnMissingBean
    SafeHttpFetcher safeHttpFetcher(SsrfGuard guard, SafeFetchProperties properties) {
        return new SafeHttpFetcher(guard, properties);
    }

    @Bean
    @Lazy // loading the parser sets ical4j's JVM-wide hints: only where feeds are read
    @ConditionalOnMissingBean
    IcsParser icsParser() {
        return new IcsParser();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    CalDavClient calDavClient(SafeHttpFetcher fetcher) {
        return new CalDavClient(fetcher);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    CalDavDiscovery calDavDiscovery(CalDavClient client) {
        return new CalDavDiscovery(client);
    }

    @Bean
    @Lazy
    CalDavCalendars appleCalendars(CalDavClient client, IcsParser parser, ProviderCalls calls, Clock clock) {
        return new CalDavCalendars(CalendarProvider.APPLE, client, parser, calls, clock);
    }

    @Bean
    @Lazy
    CalDavCalendars calDavCalendars(CalDavClient client, IcsParser parser, ProviderCalls calls, Clock clock) {
        return new CalDavCalendars(CalendarProvider.CALDAV, client, parser, calls, clock);
    }
}
