package io.calsync.ingest.application;

import static io.calsync.model.domain.CalendarProvider.GOOGLE;
import static io.calsync.model.domain.CalendarProvider.MICROSOFT;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Judges notifications: publish the ones whose subscription exists and whose secret matches, drop the rest. Returns
 * normally when every verified notification of the request is acknowledged by the broker (the caller then answers
 * success); throws when the broker or the subscription store could not be reached in time (the caller answers 503).
 *
 * <p>Nothing here logs a secret: notifications and subscriptions print without theirs, and log lines name the
 * subscription id, which is an identifier, not a credential.
 */
@Service
public class WebhookIngest {

    private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);
    static final int SCHEMA_VERSION = 1;

    private final SubscriptionLookup subscriptions;
    private final NotificationSink sink;
    private final WebhookMetrics metrics;

    public WebhookIngest(SubscriptionLookup subscriptions, NotificationSink sink, WebhookMetrics metrics) {
        this.subscriptions = subscriptions;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** A Graph notification collection: every entry judged on its own, the verified ones published together. */
    public IngestResult graph(List<GraphNotification> notifications, Deadline deadline) {
        List<ProviderNotificationReceived> verified = new ArrayList<>(notifications.size());
        List<String> kinds = new ArrayList<>(notifications.size());
        int dropped = 0;
        Instant now = Instant.now();
        // Ids shaped like Graph's (GUIDs) are looked up, all of them in one go; anything else is dropped unasked.
        Set<String> ids = new LinkedHashSet<>();
        for (GraphNotification n : notifications) {
            if (graphShaped(n.subscriptionId())) {
                ids.add(n.subscriptionId());
            }
        }
        Map<String, KnownSubscription> known = ids.isEmpty() ? Map.of() : lookupAll(MICROSOFT, ids);
        for (GraphNotification n : notifications) {
            String kind = n.isLifecycle() ? "lifecycle" : "change";
            metrics.received(MICROSOFT, kind);
            if (!graphShaped(n.subscriptionId())) {
                drop(MICROSOFT, DropReason.MALFORMED, null);
                dropped++;
                continue;
            }
            Optional<KnownSubscription> s = Optional.ofNullable(known.get(n.subscriptionId()));
            if (s.isEmpty()) {
                drop(MICROSOFT, DropReason.UNKNOWN_SUBSCRIPTION, n.subscriptionId());
                dropped++;
                continue;
            }
            if (!Secrets.matches(s.get().secret(), n.clientState())) {
                drop(MICROSOFT, DropReason.CLIENT_STATE_MISMATCH, n.subscriptionId());
                dropped++;
                continue;
            }
            // A random id: Graph's entries carry no stable id of their own, and a retried batch is coalesced by the
            // sync anyway.
            verified.add(new ProviderNotificationReceived(
                    UUID.randomUUID(),
                    SCHEMA_VERSION,
                    now,
                    s.get().connectionId(),
                    MICROSOFT,
                    n.subscriptionId(),
                    n.changeType(),
                    n.resource(),
                    null,
                    n.lifecycleEvent()));
            kinds.add(kind);
        }
        publish(MICROSOFT, verified, kinds, deadline);
        return new IngestResult(verified.size(), dropped);
    }

    /** One Google push message. {@code sync} only says that the channel is open: acknowledged, nothing to sync. */
    public IngestResult google(GoogleNotification n, Deadline deadline) {
        String state = n.resourceState();
        String kind = "sync".equals(state) || "exists".equals(state) || "not_exists".equals(state) ? state : "other";
        metrics.received(GOOGLE, kind);
        if ("sync".equals(kind)) {
            return new IngestResult(0, 0);
        }
        if ("other".equals(kind)) {
            drop(GOOGLE, DropReason.UNSUPPORTED_STATE, n.channelId());
            return new IngestResult(0, 1);
        }
        if (!googleShaped(n.channelId())) {
            drop(GOOGLE, DropReason.MALFORMED, null);
            return new IngestResult(0, 1);
        }
        Optional<KnownSubscription> s =
                Optional.ofNullable(lookupAll(GOOGLE, List.of(n.channelId())).get(n.channelId()));
        if (s.isEmpty()) {
            drop(GOOGLE, DropReason.UNKNOWN_SUBSCRIPTION, n.channelId());
            return new IngestResult(0, 1);
        }
        if (!Secrets.matches(s.get().secret(), n.channelToken())) {
            drop(GOOGLE, DropReason.CHANNEL_TOKEN_MISMATCH, n.channelId());
            return new IngestResult(0, 1);
        }
        if (s.get().resourceId() != null && !Secrets.matches(s.get().resourceId(), n.resourceId())) {
            drop(GOOGLE, DropReason.RESOURCE_MISMATCH, n.channelId());
            return new IngestResult(0, 1);
        }
        ProviderNotificationReceived message = new ProviderNotificationReceived(
                googleEventId(n),
                SCHEMA_VERSION,
                Instant.now(),
                s.get().connectionId(),
                GOOGLE,
                n.channelId(),
                state,
                n.resourceUri(),
                n.messageNumber(),
                null);
        publish(GOOGLE, List.of(message), List.of(kind), deadline);
        return new IngestResult(1, 0);
    }

    /**
     * Google numbers the messages of a channel, and a retried delivery keeps its number: the same (channel, number)
     * becomes the same event id, so consumers recognise Google's retries (and ours) as one message.
     */
    static UUID googleEventId(GoogleNotification n) {
        if (n.messageNumber() == null) {
            return UUID.randomUUID();
        }
        return UUID.nameUUIDFromBytes(
                ("google-channel:" + n.channelId() + ":" + n.messageNumber()).getBytes(StandardCharsets.UTF_8));
    }

    /** Graph's subscription ids are GUIDs. */
    private static final Pattern GRAPH_ID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /** Google's channel ids: at most 64 of {@code [A-Za-z0-9-_+/=]} (events.watch). */
    private static final Pattern GOOGLE_ID = Pattern.compile("^[A-Za-z0-9_+/=-]{1,64}$");

    static boolean graphShaped(String id) {
        return id != null && GRAPH_ID.matcher(id).matches();
    }

    static boolean googleShaped(String id) {
        return id != null && GOOGLE_ID.matcher(id).matches();
    }

    private Map<String, KnownSubscription> lookupAll(CalendarProvider provider, Collection<String> subscriptionIds) {
        try {
            return subscriptions.findAll(provider, subscriptionIds);
        } catch (VerificationUnavailableException e) {
            metrics.unavailable(provider, "database");
            log.atWarn()
                    .addKeyValue("provider", WebhookMetrics.tag(provider))
                    .addKeyValue(
                            "cause",
                            e.getCause() == null ? "?" : e.getCause().getClass().getSimpleName())
                    .log("webhook notification not judged: subscription store unavailable; answering 503");
            throw e;
        }
    }

    private void publish(
            CalendarProvider provider,
            List<ProviderNotificationReceived> messages,
            List<String> kinds,
            Deadline deadline) {
        if (messages.isEmpty()) {
            return;
        }
        Timer.Sample sample = metrics.startPublish();
        try {
            sink.publishAll(messages, deadline);
        } catch (BrokerUnavailableException e) {
            metrics.publishFinished(sample, provider, false);
            metrics.unavailable(provider, "broker");
            log.atWarn()
                    .addKeyValue("provider", WebhookMetrics.tag(provider))
                    .addKeyValue("notifications", messages.size())
                    .addKeyValue("cause", rootCause(e))
                    .log("webhook notifications not acknowledged by the broker in time; answering 503");
            throw e;
        }
        metrics.publishFinished(sample, provider, true);
        kinds.forEach(k -> metrics.accepted(provider, k));
        if (log.isDebugEnabled()) {
            messages.forEach(m -> log.atDebug()
                    .addKeyValue("provider", WebhookMetrics.tag(provider))
                    .addKeyValue("subscriptionId", m.subscriptionId())
                    .addKeyValue("connectionId", m.connectionId())
                    .addKeyValue("eventId", m.eventId())
                    .log("webhook notification published"));
        }
    }

    private void drop(CalendarProvider provider, DropReason reason, String subscriptionId) {
        metrics.dropped(provider, reason);
        log.atInfo()
                .addKeyValue("provider", WebhookMetrics.tag(provider))
                .addKeyValue("reason", reason.tag())
                .addKeyValue("subscriptionId", shorten(subscriptionId))
                .log("webhook notification dropped");
    }

    /** Ids come from the request: a forged one may be long. */
    private static String shorten(String id) {
        if (id == null) {
            return null;
        }
        return id.length() <= 128 ? id : id.substring(0, 128) + "…";
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
