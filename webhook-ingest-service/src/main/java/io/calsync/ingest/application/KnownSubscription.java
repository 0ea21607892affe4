package io.calsync.ingest.application;

import io.calsync.model.domain.CalendarProvider;
import java.util.UUID;

/**
 * A row of {@code webhook_subscriptions} as the ingest needs it.
 *
 * @param subscriptionId the Graph subscription id or the Google channel id
 * @param resourceId Google's resource id of the watched calendar, when stored (null for Graph)
 * @param secret the Graph {@code clientState} or the Google channel token; null when none was set
 */
public record KnownSubscription(
        UUID connectionId, CalendarProvider provider, String subscriptionId, String resourceId, String secret) {

    /** Without the secret: records print all their fields, and this one may end up in a log line. */
    @Override
    public String toString() {
        return "KnownSubscription[connectionId=" + connectionId + ", provider=" + provider + ", subscriptionId="
                + subscriptionId + ", resourceId=" + resourceId + ", secret=" + (secret == null ? "none" : "***")
                + "]";
    }
}
