package io.calsync.providers.google;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Channel;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderSubscriptions;
import io.calsync.providers.port.SyncTarget;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;

/**
 * Push channels on a Google calendar's events, as Google's "Push notifications" guide has them.
 *
 * <ul>
 *   <li><b>open</b>: {@code events.watch} with a {@code web_hook} channel whose id is ours (the engine's subscription
 *       id) and whose token is the clientState webhook-ingest checks on every notification. Google answers the
 *       {@code resourceId} (needed to stop the channel), the {@code resourceUri} and the expiry it granted. Google
 *       documents a default lifetime of 604800 s (a week) and grants no more than about that for Calendar channels,
 *       so a longer wish is capped at {@link #MAX_TTL} here: the engine then stores an expiry Google will keep.
 *   <li><b>renew</b>: Google cannot extend a channel ({@link #renewsInPlace()} is false): the engine opens a new one,
 *       then stops the old one.
 *   <li><b>stop</b>: {@code channels.stop} with the channel id and its resourceId; a channel Google no longer knows
 *       (404: stopped before, expired) is what we wanted.
 * </ul>
 *
 * Every call runs through {@link ProviderCalls} (backoff on rate limits and 5xx, one token refresh on 401). A watch
 * is not idempotent at Google: a retry after an answer that got lost meets {@code 400 channelIdNotUnique}, which is
 * {@code PERMANENT}; a later open gets a new id from the engine, and the orphan expires within a week (webhook-ingest
 * acknowledges and drops its notifications, as no row names it). The channel token is a secret
 * and the notification address says where our webhooks live: neither is logged nor put in an exception.
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GoogleChannels implements ProviderSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(GoogleChannels.class);

    /** The longest channel asked for: Google's documented default lifetime, about its maximum for Calendar. */
    static final Duration MAX_TTL = Duration.ofDays(7);

    private final Calendar client;
    private final ProviderCalls calls;
    private final Clock clock;

    public GoogleChannels(ProviderEndpoints endpoints, ProviderCalls calls, Clock clock) {
        this.client = GoogleClients.calendar(endpoints.googleApiRootUrl());
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.GOOGLE;
    }

    /**
     * {@code events.watch} on the target's calendar. {@code lifecycleUrl} is Graph's and ignored. A null
     * {@code expiresAt} leaves the lifetime to Google (its default week).
     */
    @Override
    public Opened open(
            SyncTarget target,
            String subscriptionId,
            String notificationUrl,
            String lifecycleUrl,
            String clientState,
            Instant expiresAt) {
        if (subscriptionId == null || subscriptionId.isBlank()) {
            throw new IllegalArgumentException("a Google channel needs its id");
        }
        if (notificationUrl == null || notificationUrl.isBlank()) {
            throw new IllegalArgumentException("a Google channel needs its notification address");
        }
        Instant wanted = cap(expiresAt);
        Channel request = new Channel()
                .setId(subscriptionId)
                .setType("web_hook")
                .setAddress(notificationUrl)
                .setToken(clientState)
                .setExpiration(wanted == null ? null : wanted.toEpochMilli());
        Channel answer = calls.execute(
                target,
                "events.watch",
                token -> GoogleClients.execute(
                        request(() -> client.events().watch(target.providerCalendarId(), request)),
                        token,
                        "events.watch",
                        GoogleErrors.Call.CHANNEL,
                        null));
        if (answer == null
                || answer.getResourceId() == null
                || answer.getResourceId().isBlank()) {
            // Without the resourceId the channel could never be stopped; better to say so than to store it.
            throw new ProviderException(
                    Kind.PERMANENT, 200, "noResourceId", "Google events.watch answered without a resourceId");
        }
        Instant granted = answer.getExpiration() != null
                ? Instant.ofEpochMilli(answer.getExpiration())
                // Google always answers the expiry; should it not, the channel lives at most what we asked for
                // (or its default week), and an early renewal is harmless.
                : wanted != null ? wanted : clock.instant().plus(MAX_TTL);
        String id = answer.getId() != null ? answer.getId() : subscriptionId;
        log.info("google channel opened connectionId={} channelId={} expiresAt={}", target.connectionId(), id, granted);
        return new Opened(id, answer.getResourceId(), answer.getResourceUri(), granted);
    }

    @Override
    public boolean renewsInPlace() {
        return false;
    }

    /** Google cannot extend a channel; the engine opens a new one and stops the old one instead. */
    @Override
    public Instant renew(SyncTarget target, String subscriptionId, Instant expiresAt) {
        throw new UnsupportedOperationException("Google channels are renewed by opening a new one");
    }

    /**
     * {@code channels.stop}. A channel Google does not know (404) is already stopped. Google needs the resourceId
     * the watch answered; without it nothing can be stopped, which is said as a {@code PERMANENT} failure (the
     * channel then ends at its expiry) rather than passed off as success.
     */
    @Override
    public void stop(SyncTarget target, String subscriptionId, String resourceId) {
        if (subscriptionId == null || subscriptionId.isBlank()) {
            throw new IllegalArgumentException("a Google channel to stop needs its id");
        }
        if (resourceId == null || resourceId.isBlank()) {
            throw new ProviderException(
                    Kind.PERMANENT,
                    0,
                    "noResourceId",
                    "Google channels.stop not sent: the channel's resourceId is unknown");
        }
        Channel channel = new Channel().setId(subscriptionId).setResourceId(resourceId);
        try {
            calls.execute(
                    target,
                    "channels.stop",
                    token -> GoogleClients.execute(
                            request(() -> client.channels().stop(channel)),
                            token,
                            "channels.stop",
                            GoogleErrors.Call.CHANNEL,
                            null));
            log.info("google channel stopped connectionId={} channelId={}", target.connectionId(), subscriptionId);
        } catch (ProviderException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
            log.debug(
                    "google channel already gone connectionId={} channelId={}", target.connectionId(), subscriptionId);
        }
    }

    /** The wanted expiry, no later than {@link #MAX_TTL} from now; null stays null (Google's default). */
    private Instant cap(Instant expiresAt) {
        if (expiresAt == null) {
            return null;
        }
        Instant latest = clock.instant().plus(MAX_TTL);
        return expiresAt.isAfter(latest) ? latest : expiresAt;
    }

    /** The generated client declares IOException on building a request; it never does I/O there. */
    @FunctionalInterface
    private interface RequestBuilder<R> {
        R build() throws IOException;
    }

    private static <R> R request(RequestBuilder<R> builder) {
        try {
            return builder.build();
        } catch (IOException e) {
            throw GoogleErrors.translate("request", GoogleErrors.Call.OTHER, e);
        }
    }
}
