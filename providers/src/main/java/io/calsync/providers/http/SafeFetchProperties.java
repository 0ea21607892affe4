package io.calsync.providers.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code calsync.ics.*}: how user-given URLs (ICS feeds) are fetched. {@code allow-private-networks} comes from the
 * contract's {@code ICS_ALLOW_PRIVATE_NETWORKS} (see {@code safe-fetch.properties}); the rest have defaults
 * that suit feeds and rarely need changing.
 *
 * @param allowPrivateNetworks whether URLs may resolve to loopback and private addresses (never link-local)
 * @param connectTimeout the time to establish a connection (TCP and TLS handshake each)
 * @param totalTimeout the time for the whole fetch, redirects and body included
 * @param maxBodySize the largest body accepted, counted while reading (after decompression)
 * @param maxRedirects how many redirects are followed
 * @param userAgent the {@code User-Agent} sent
 */
@Validated
@ConfigurationProperties("calsync.ics")
public record SafeFetchProperties(
        boolean allowPrivateNetworks,

        @DefaultValue("5s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1)
        Duration connectTimeout,

        @DefaultValue("20s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 5)
        Duration totalTimeout,

        @DefaultValue("10MB") @NotNull DataSize maxBodySize,
        @DefaultValue("5") @Min(0) @Max(10) int maxRedirects,

        @DefaultValue("calsync/1.0 (calendar feed reader)") @NotBlank
        String userAgent) {

    /** The defaults, with private networks allowed or not (for code and tests outside Spring). */
    public static SafeFetchProperties defaults(boolean allowPrivateNetworks) {
        return new SafeFetchProperties(
                allowPrivateNetworks,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                DataSize.ofMegabytes(10),
                5,
                "calsync/1.0 (calendar feed reader)");
    }
}
