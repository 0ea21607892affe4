package io.calsync.providers.port;

import io.calsync.model.domain.CalendarProvider;
import java.time.Instant;

/**
 * Push subscriptions at one provider: Google watch channels ({@code events.watch}, {@code channels.stop}) and Graph
 * subscriptions ({@code POST/PATCH/DELETE /subscriptions}). The engine decides when (after the initial sync, before
 * expiry, on lifecycle notifications, on disconnect) and stores what comes back in {@code webhook_subscriptions}.
 */
public interface ProviderSubscriptions {

    /** A subscription as the provider confirmed it. {@code resourceId}: Google's resourceId (null for Graph). */
    record Opened(String subscriptionId, String resourceId, String resource, Instant expiresAt) {}

    CalendarProvider provider();

    /**
     * Opens a subscription on the target's calendar.
     *
     * @param subscriptionId the id to use where the provider lets the client choose it (Google channel id); Graph
     *     assigns its own and ignores this
     * @param notificationUrl where notifications go (webhook-ingest-service's public address)
     * @param lifecycleUrl where Graph's lifecycle notifications go; ignored by Google
     * @param clientState the secret the notifications must carry back (Graph clientState, Google channel token)
     * @param expiresAt the wanted expiry; the provider may shorten it (the answer says what it granted)
     */
    Opened open(
            SyncTarget target,
            String subscriptionId,
            String notificationUrl,
            String lifecycleUrl,
            String clientState,
            Instant expiresAt);

    /** True when {@link #renew} extends a subscription in place (Graph); false when renewal is open-new-then-stop. */
    boolean renewsInPlace();

    /** Extends a subscription in place and answers the new expiry (Graph PATCH); unsupported where not in place. */
    Instant renew(SyncTarget target, String subscriptionId, Instant expiresAt);

    /** Stops a subscription; one the provider no longer knows is not an error. */
    void stop(SyncTarget target, String subscriptionId, String resourceId);
}
