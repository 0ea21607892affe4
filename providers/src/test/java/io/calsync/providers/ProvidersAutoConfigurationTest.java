package io.calsync.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.providers.http.SafeFetchProperties;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.http.SsrfGuard;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.port.ProviderSync;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.util.unit.DataSize;

/**
 * The provider edge's one auto-configuration: the fetcher's settings (bound from {@code ICS_ALLOW_PRIVATE_NETWORKS},
 * defaulted, checked at start), and nothing built that a service does not use.
 */
class ProvidersAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ValidationAutoConfiguration.class, ProvidersAutoConfiguration.class));

    @Test
    void privateNetworksAreClosedByDefaultWithTheContractsLimits() {
        runner.run(context -> {
            assertThat(context.getBean(SsrfGuard.class).allowsPrivateNetworks()).isFalse();
            SafeFetchProperties p = context.getBean(SafeFetchProperties.class);
            assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(p.totalTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(p.maxBodySize()).isEqualTo(DataSize.ofMegabytes(10));
            assertThat(p.maxRedirects()).isEqualTo(5);
            assertThat(context).hasSingleBean(SafeHttpFetcher.class).hasSingleBean(IcsParser.class);
        });
    }

    @Test
    void theContractsVariableOpensThem() {
        runner.withPropertyValues("ICS_ALLOW_PRIVATE_NETWORKS=true")
                .run(context -> assertThat(context.getBean(SsrfGuard.class).allowsPrivateNetworks())
                        .isTrue());
    }

    @Test
    void invalidSettingsStopTheStartNamingTheProperty() {
        runner.withPropertyValues("calsync.ics.max-redirects=50")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("calsync.ics")
                        .hasMessageContaining("maxRedirects"));
        runner.withPropertyValues("ICS_ALLOW_PRIVATE_NETWORKS=perhaps")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aServiceWithoutTokensBuildsNoTokenClientAndNeedsNoEncryptionKey() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            // Lazy: defined, but never created unless injected (the gateway's case).
            assertThat(context.getBeanFactory()
                            .getBeanDefinition("accessTokens")
                            .isLazyInit())
                    .isTrue();
            String[] adapters = context.getBeanNamesForType(ProviderSync.class, true, false);
            // Google, Graph, ICS, and one CalDAV adapter per provider value (APPLE, CALDAV).
            assertThat(adapters).hasSize(5);
            for (String adapter : adapters) {
                assertThat(context.getBeanFactory().getBeanDefinition(adapter).isLazyInit())
                        .as(adapter)
                        .isTrue();
                assertThat(context.getBeanFactory().containsSingleton(adapter)).isFalse();
            }
            assertThat(context.getBeanFactory().containsSingleton("accessTokens"))
                    .isFalse();
        });
    }
}
