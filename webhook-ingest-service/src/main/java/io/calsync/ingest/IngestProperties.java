package io.calsync.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest ({@code calsync.ingest.*}).
 *
 * @param maxBodySize larger notification bodies are refused with 413 (a Graph batch is a few KB per notification)
 * @param publishTimeout from the start of a request until every notification in it must be acknowledged by the
 *     broker; Graph expects an answer within 3 seconds, so this stays below that with room for the HTTP round trip
 * @param retryAfter the {@code Retry-After} of a 503
 * @param subscriptionCacheTtl how long a known subscription is served from memory (a burst of notifications of one
 *     subscription costs one query)
 * @param unknownSubscriptionCacheTtl how long an unknown id is remembered as unknown: short, because sync-service
 *     stores a Graph subscription only after Graph answered its creation, and the first change may come before that
 * @param subscriptionCacheSize entries kept at most; the cache starts over when full
 */
@Validated
@ConfigurationProperties("calsync.ingest")
public record IngestProperties(
        @NotNull @DefaultValue("1MB") DataSize maxBodySize,
        @NotNull @DefaultValue("2500ms") Duration publishTimeout,
        @NotNull @DefaultValue("5s") Duration retryAfter,
        @NotNull @DefaultValue("30s") Duration subscriptionCacheTtl,
        @NotNull @DefaultValue("2s") Duration unknownSubscriptionCacheTtl,
        @Min(1) @DefaultValue("10000") int subscriptionCacheSize) {}
