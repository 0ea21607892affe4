package io.calsync.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.platform.ics.IcsAutoConfiguration;
import io.calsync.platform.ics.IcsParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.util.unit.DataSize;

/** The fetcher's settings: bound from {@code ICS_ALLOW_PRIVATE_NETWORKS}, defaulted, and checked at start. */
class SafeHttpAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ValidationAutoConfiguration.class, SafeHttpAutoConfiguration.class, IcsAutoConfiguration.class));

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
}
