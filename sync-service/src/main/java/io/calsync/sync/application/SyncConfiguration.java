package io.calsync.sync.application;

import io.calsync.providers.port.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's parts that are not components of their own: the retry policy around provider calls. Provider
 * endpoints, tokens and adapters come from the providers auto-configuration; the listener's wiring is in
 * {@code kafka}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncProperties.class)
class SyncConfiguration {

    @Bean
    ProviderCalls providerCalls(MeterRegistry meters, SyncProperties properties) {
        return new ProviderCalls(
                meters,
                properties.providerMaxAttempts(),
                properties.providerBaseDelay(),
                properties.providerMaxDelay(),
                d -> Thread.sleep(d.toMillis()),
                properties.providerMaxInlineWait(),
                java.time.Clock.systemUTC());
    }
}
