package io.calsync.providers.microsoft;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderSubscriptions;
import io.calsync.providers.port.SyncTarget;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph change-notification subscriptions on one calendar's events ({@code me/calendars/{id}/events}, created,
 * updated and deleted), with a lifecycle URL so that Graph can say reauthorizationRequired, subscriptionRemoved and
 * missed. Graph runs its validation handshake against both URLs while the POST waits, so webhook-ingest-service
 * must answer at {@code API_URL}. Renewal PATCHes the expiry in place; Outlook resources live at most 10080 minutes.
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GraphSubscriptions implements ProviderSubscriptions {

    /** Graph's limit for Outlook resources, less a margin for clock skew. */
    static final long MAX_MINUTES = 10_080 - 10;

    private final GraphClient graph;

    public GraphSubscriptions(ProviderEndpoints endpoints, ProviderCalls calls) {
        this.graph = new GraphClient(endpoints.microsoftGraphBaseUrl(), calls);
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.MICROSOFT;
    }

    @Override
    public Opened open(
            SyncTarget target,
            String subscriptionId,
            String notificationUrl,
            String lifecycleUrl,
            String clientState,
            Instant expiresAt) {
        ObjectNode body = GraphClient.JSON.createObjectNode();
        body.put("changeType", "created,updated,deleted");
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", lifecycleUrl);
        body.put("resource", "me/calendars/" + target.providerCalendarId() + "/events");
        body.put("expirationDateTime", capped(expiresAt).toString());
        body.put("clientState", clientState);
        JsonNode answer = graph.call(
                target,
                "subscriptions.create",
                "POST",
                graph.url("/subscriptions"),
                body,
                null,
                null,
                GraphClient.Scope.OTHER);
        if (answer == null || !answer.hasNonNull("id")) {
            throw new ProviderException(
                    ProviderException.Kind.PERMANENT, 201, "noSubscriptionId", "Graph created no subscription id");
        }
        return new Opened(
                answer.get("id").stringValue(),
                null,
                answer.path("resource").stringValue(body.get("resource").stringValue()),
                expiry(answer, expiresAt));
    }

    @Override
    public boolean renewsInPlace() {
        return true;
    }

    @Override
    public Instant renew(SyncTarget target, String subscriptionId, Instant expiresAt) {
        ObjectNode body = GraphClient.JSON.createObjectNode();
        body.put("expirationDateTime", capped(expiresAt).toString());
        JsonNode answer = graph.call(
                target,
                "subscriptions.renew",
                "PATCH",
                graph.url("/subscriptions/" + GraphClient.segment(subscriptionId)),
                body,
                null,
                null,
                GraphClient.Scope.EVENT); // 404: the subscription is gone, the engine opens a new one
        return expiry(answer, expiresAt);
    }

    @Override
    public void stop(SyncTarget target, String subscriptionId, String resourceId) {
        try {
            graph.call(
                    target,
                    "subscriptions.delete",
                    "DELETE",
                    graph.url("/subscriptions/" + GraphClient.segment(subscriptionId)),
                    null,
                    null,
                    null,
                    GraphClient.Scope.EVENT);
        } catch (ProviderException e) {
            if (e.kind() != ProviderException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static Instant capped(Instant wanted) {
        Instant max = Instant.now().plus(MAX_MINUTES, ChronoUnit.MINUTES);
        return (wanted == null || wanted.isAfter(max) ? max : wanted).truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant expiry(JsonNode answer, Instant fallback) {
        String granted =
                answer == null ? null : answer.path("expirationDateTime").stringValue(null);
        try {
            return granted == null
                    ? capped(fallback)
                    : java.time.OffsetDateTime.parse(granted).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return capped(fallback);
        }
    }
}
