package io.calsync.sync.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The engine's knobs ({@code calsync.sync.*}).
 *
 * @param windowPast how far back a full pass lists (Google timeMin, Graph calendarView start)
 * @param windowFuture how far ahead a full pass lists
 * @param providerMaxAttempts attempts of one provider call under rate limits and transient failures
 * @param providerBaseDelay first backoff of a provider call (doubled per attempt, jittered)
 * @param providerMaxDelay the longest single backoff
 * @param writeMaxAttempts deliveries of one write-back command before the event is marked FAILED
 * @param icsMinRefresh the least time between two refreshes of one ICS feed, whatever its REFRESH-INTERVAL says
 * @param googleChannelTtl the lifetime asked for a Google watch channel (Google grants at most about a week)
 * @param microsoftSubscriptionTtl the lifetime asked for a Graph subscription (at most 10080 minutes for events)
 * @param renewAhead a subscription expiring sooner than this is renewed (or replaced) when the engine sees it
 * @param providerMaxInlineWait how long one provider call may wait in the consumer thread, in all (Retry-After and
 *     backoff); longer waits move the connection's sync to later instead
 * @param passBudget how long one sync pass may run before it stops and continues later (from its stored cursor)
 * @param caldavPollInterval how often a CalDAV calendar (no push) is synced ({@code CALDAV_POLL_INTERVAL})
 */
@ConfigurationProperties("calsync.sync")
public record SyncProperties(
        @DefaultValue("365d") Duration windowPast,
        @DefaultValue("730d") Duration windowFuture,
        @DefaultValue("6") int providerMaxAttempts,
        @DefaultValue("500ms") Duration providerBaseDelay,
        @DefaultValue("30s") Duration providerMaxDelay,
        @DefaultValue("5") int writeMaxAttempts,
        @DefaultValue("15m") Duration icsMinRefresh,
        @DefaultValue("7d") Duration googleChannelTtl,
        @DefaultValue("10070m") Duration microsoftSubscriptionTtl,
        @DefaultValue("12h") Duration renewAhead,
        @DefaultValue("5s") Duration providerMaxInlineWait,
        @DefaultValue("5m") Duration passBudget,
        @DefaultValue("5m") Duration caldavPollInterval) {}
