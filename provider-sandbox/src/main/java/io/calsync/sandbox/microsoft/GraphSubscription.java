package io.calsync.sandbox.microsoft;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * A change-notification subscription on events of one mailbox.
 *
 * @param calendarId the calendar the resource names, or null for all the user's events ({@code me/events})
 */
public record GraphSubscription(
        String id,
        String accountId,
        String resource,
        String calendarId,
        String changeType,
        String notificationUrl,
        String lifecycleNotificationUrl,
        Instant expirationDateTime,
        String clientState,
        String latestSupportedTlsVersion,
        String applicationId) {

    public Set<String> changeTypes() {
        return Arrays.stream(changeType.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    public boolean expired(Instant now) {
        return !expirationDateTime.isAfter(now);
    }

    GraphSubscription withExpiration(Instant expiration) {
        return new GraphSubscription(
                id,
                accountId,
                resource,
                calendarId,
                changeType,
                notificationUrl,
                lifecycleNotificationUrl,
                expiration,
                clientState,
                latestSupportedTlsVersion,
                applicationId);
    }

    GraphSubscription withNotificationUrl(String url) {
        return new GraphSubscription(
                id,
                accountId,
                resource,
                calendarId,
                changeType,
                url,
                lifecycleNotificationUrl,
                expirationDateTime,
                clientState,
                latestSupportedTlsVersion,
                applicationId);
    }

    /** As {@code POST /subscriptions} answers (without {@code @odata.context}). */
    public ObjectNode toJson() {
        ObjectNode j = GraphJson.object();
        j.put("id", id);
        j.put("resource", resource);
        j.put("applicationId", applicationId);
        j.put("changeType", changeType);
        j.put("clientState", clientState);
        j.put("notificationUrl", notificationUrl);
        j.putNull("notificationQueryOptions");
        j.put("lifecycleNotificationUrl", lifecycleNotificationUrl);
        j.put("expirationDateTime", GraphJson.instant(expirationDateTime));
        j.put("creatorId", accountId);
        j.put("includeResourceData", false);
        j.put("latestSupportedTlsVersion", latestSupportedTlsVersion);
        j.putNull("encryptionCertificate");
        j.putNull("encryptionCertificateId");
        j.putNull("notificationUrlAppId");
        j.put("notificationContentType", "application/json");
        return j;
    }
}
