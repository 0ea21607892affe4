package io.calsync.sync.application;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionRemoved;
import io.calsync.providers.oauth.ProviderTokenException;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderSubscriptions;
import io.calsync.providers.port.SyncTarget;
import io.calsync.sync.persistence.Connections;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The push subscription of each connection: opened after the initial sync (and re-opened by any later sync that
 * finds none), renewed before expiry (Graph in place; Google by a new channel, then stopping the old one), re-created
 * when Graph removed it, stopped on disconnect. Rows live in {@code webhook_subscriptions}, where webhook-ingest
 * looks notifications up by subscription (channel) id and checks their clientState (channel token).
 *
 * <p>Push is an optimisation over polling, never a condition for correctness: a subscription that cannot be opened
 * (no public {@code API_URL}, the provider refusing the address) is logged and counted, the sync itself succeeds,
 * and the poller's backstop sync keeps the calendar fresh.
 *
 * <p>The clientState is stored as given to the provider: it only authenticates notifications, which at most cause
 * an incremental sync, and webhook-ingest must compare it on every notification without the token key.
 */
@Component
public class Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String WEBHOOKS = "/api/v1/calendar/webhooks";

    private final JdbcTemplate jdbc;
    private final Connections connections;
    private final SyncEngine engine;
    private final SyncProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private final String apiUrl;
    private final Map<CalendarProvider, ProviderSubscriptions> providers = new EnumMap<>(CalendarProvider.class);

    public Subscriptions(
            JdbcTemplate jdbc,
            Connections connections,
            SyncEngine engine,
            SyncProperties properties,
            MeterRegistry meters,
            Clock clock,
            Environment env,
            List<ProviderSubscriptions> providers) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.engine = engine;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        String api = env.getProperty("API_URL", "");
        this.apiUrl = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        providers.forEach(p -> this.providers.put(p.provider(), p));
    }

    /** A live subscription row. */
    record Row(UUID id, String subscriptionId, String resourceId, Instant expiresAt) {}

    /** Opens a subscription unless the connection has one that lives long enough. */
    public void ensure(UUID connectionId) {
        Optional<Push> push = push(connectionId, true);
        if (push.isEmpty()) {
            return;
        }
        Instant soon = clock.instant().plus(properties.renewAhead());
        if (active(connectionId).stream().anyMatch(r -> r.expiresAt().isAfter(soon))) {
            return;
        }
        open(push.get().connection(), push.get().provider(), "ensure");
    }

    /** Renews one subscription (a RENEW or REAUTHORIZE request, or Graph's reauthorizationRequired). */
    public void renew(UUID connectionId, String subscriptionId) {
        Optional<Push> push = push(connectionId, true);
        if (push.isEmpty()) {
            return;
        }
        Connections.Connection c = push.get().connection();
        ProviderSubscriptions provider = push.get().provider();
        Optional<Row> row = active(connectionId).stream()
                .filter(r -> subscriptionId == null || r.subscriptionId().equals(subscriptionId))
                .findFirst();
        if (row.isEmpty()) {
            open(c, provider, "renew-missing");
            return;
        }
        SyncTarget target = engine.target(c, false);
        if (!provider.renewsInPlace()) {
            // Google cannot extend a channel: a new one first, so that no change falls between the two.
            if (open(c, provider, "renew")) {
                stopQuietly(provider, target, row.get());
            }
            return;
        }
        try {
            Instant granted = provider.renew(target, row.get().subscriptionId(), wanted(c.provider()));
            jdbc.update(
                    "UPDATE webhook_subscriptions SET expires_at = ?, updated_at = now() WHERE id = ?",
                    Timestamp.from(granted),
                    row.get().id());
            count(c.provider(), "renew", "ok");
            connections.push(c.id(), "ACTIVE", null);
            log.info(
                    "subscription renewed connectionId={} provider={} subscriptionId={} expiresAt={}",
                    connectionId,
                    c.provider(),
                    row.get().subscriptionId(),
                    granted);
        } catch (ProviderException e) {
            count(c.provider(), "renew", e.kind().name());
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                markStopped(row.get().id());
                open(c, provider, "renew-gone");
            } else if (e.retryable()) {
                throw e;
            } else {
                connections.push(c.id(), "DEGRADED", "push could not be renewed: " + reason(e));
                log.warn(
                        "subscription renewal refused connectionId={} subscriptionId={} code={}",
                        connectionId,
                        row.get().subscriptionId(),
                        e.code());
            }
        }
    }

    /** Graph removed the subscription (subscriptionRemoved): forget it and open a new one. */
    public void recreate(UUID connectionId, String subscriptionId) {
        jdbc.update(
                "UPDATE webhook_subscriptions SET status = 'REMOVED', updated_at = now()"
                        + " WHERE connection_id = ? AND subscription_id = ?",
                connectionId,
                subscriptionId);
        push(connectionId, true).ifPresent(p -> open(p.connection(), p.provider(), "recreate"));
    }

    /** Stops one subscription of a live connection (a STOP request). */
    public void stop(UUID connectionId, String subscriptionId) {
        push(connectionId, false).ifPresent(p -> {
            SyncTarget target = engine.target(p.connection(), false);
            active(connectionId).stream()
                    .filter(r -> subscriptionId == null || r.subscriptionId().equals(subscriptionId))
                    .forEach(r -> stopQuietly(p.provider(), target, r));
        });
    }

    /**
     * The connection is gone (its rows and tokens with it): stops its subscriptions at the provider with the tokens
     * of another connection of the same account, if the user still has one. Otherwise they expire on their own
     * within days, and webhook-ingest acknowledges and drops their notifications (no row matches any more).
     */
    public void stopAll(ConnectionRemoved removed) {
        ProviderSubscriptions provider = providers.get(removed.provider());
        List<String> ids = removed.subscriptionIds() == null ? List.of() : removed.subscriptionIds();
        if (provider == null || ids.isEmpty()) {
            return;
        }
        List<UUID> sibling = jdbc.queryForList(
                "SELECT id FROM calendar_connections WHERE user_id = ? AND provider = ?::calendar_provider"
                        + " AND lower(account_email) = lower(?) AND is_connected LIMIT 1",
                UUID.class,
                removed.userId(),
                removed.provider().name(),
                removed.accountEmail());
        Optional<Connections.Connection> via = sibling.isEmpty() ? Optional.empty() : connections.find(sibling.get(0));
        if (via.isEmpty()) {
            log.info(
                    "subscriptions of a removed connection are left to expire connectionId={} count={}",
                    removed.connectionId(),
                    ids.size());
            count(removed.provider(), "stop", "left-to-expire");
            return;
        }
        SyncTarget target = engine.target(via.get(), false);
        for (int i = 0; i < ids.size(); i++) {
            String resourceId =
                    removed.resourceIds() != null && i < removed.resourceIds().size()
                            ? removed.resourceIds().get(i)
                            : null;
            stopQuietly(provider, target, new Row(null, ids.get(i), resourceId, null));
        }
    }

    /** A connection whose provider has push subscriptions. */
    private record Push(Connections.Connection connection, ProviderSubscriptions provider) {}

    /** The connection and its provider's subscriptions, if both exist (and it is connected, when asked). */
    private Optional<Push> push(UUID connectionId, boolean connectedOnly) {
        return connections
                .find(connectionId)
                .filter(c -> !connectedOnly || c.connected())
                .flatMap(c -> Optional.ofNullable(providers.get(c.provider())).map(p -> new Push(c, p)));
    }

    private boolean open(Connections.Connection c, ProviderSubscriptions provider, String why) {
        if (apiUrl.isBlank()) {
            log.info("no API_URL configured, push is off; the backstop sync keeps connectionId={} fresh", c.id());
            count(c.provider(), "open", "no-api-url");
            connections.push(c.id(), "OFF", "push is off here (no public API_URL); the calendar is polled");
            return false;
        }
        String path = WEBHOOKS + (c.provider() == CalendarProvider.GOOGLE ? "/google" : "/microsoft");
        String clientState = secret();
        String channelId = UUID.randomUUID().toString();
        try {
            ProviderSubscriptions.Opened opened = provider.open(
                    engine.target(c, false),
                    channelId,
                    apiUrl + path,
                    apiUrl + WEBHOOKS + "/microsoft/lifecycle",
                    clientState,
                    wanted(c.provider()));
            jdbc.update(
                    """
                    INSERT INTO webhook_subscriptions (connection_id, provider, subscription_id, resource_id, resource,
                      client_state, notification_url, expires_at, status)
                    VALUES (?, ?::calendar_provider, ?, ?, ?, ?, ?, ?, 'ACTIVE')
                    """,
                    c.id(),
                    c.provider().name(),
                    opened.subscriptionId(),
                    opened.resourceId(),
                    opened.resource(),
                    clientState,
                    apiUrl + path,
                    Timestamp.from(opened.expiresAt()));
            count(c.provider(), "open", "ok");
            connections.push(c.id(), "ACTIVE", null);
            log.info(
                    "subscription opened connectionId={} provider={} subscriptionId={} expiresAt={} why={}",
                    c.id(),
                    c.provider(),
                    opened.subscriptionId(),
                    opened.expiresAt(),
                    why);
            return true;
        } catch (ProviderException | ProviderTokenException e) {
            count(
                    c.provider(),
                    "open",
                    e instanceof ProviderException p ? p.kind().name() : "TOKEN");
            log.warn(
                    "subscription could not be opened connectionId={} provider={} why={} error={}",
                    c.id(),
                    c.provider(),
                    why,
                    e.getMessage());
            connections.push(c.id(), "DEGRADED", "push could not be opened: " + reason(e));
            return false;
        }
    }

    /** A reason fit for the frontend: the provider's code and status, never a token or a body. */
    private static String reason(RuntimeException e) {
        if (e instanceof ProviderException p) {
            return (p.code() == null ? "" : p.code() + " ") + "(" + p.kind() + (p.status() > 0 ? " " + p.status() : "")
                    + ")";
        }
        return "the provider's token could not be refreshed";
    }

    private void stopQuietly(ProviderSubscriptions provider, SyncTarget target, Row row) {
        try {
            provider.stop(target, row.subscriptionId(), row.resourceId());
            count(target.provider(), "stop", "ok");
        } catch (ProviderException | ProviderTokenException e) {
            count(
                    target.provider(),
                    "stop",
                    e instanceof ProviderException p ? p.kind().name() : "TOKEN");
            log.warn(
                    "subscription could not be stopped subscriptionId={} error={}",
                    row.subscriptionId(),
                    e.getMessage());
        }
        if (row.id() != null) {
            markStopped(row.id());
        }
    }

    private void markStopped(UUID rowId) {
        jdbc.update("UPDATE webhook_subscriptions SET status = 'STOPPED', updated_at = now() WHERE id = ?", rowId);
    }

    private List<Row> active(UUID connectionId) {
        return jdbc.query(
                "SELECT id, subscription_id, resource_id, expires_at FROM webhook_subscriptions"
                        + " WHERE connection_id = ? AND status = 'ACTIVE' ORDER BY expires_at DESC",
                (rs, n) -> new Row(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()),
                connectionId);
    }

    private Instant wanted(CalendarProvider provider) {
        Duration ttl = provider == CalendarProvider.GOOGLE
                ? properties.googleChannelTtl()
                : properties.microsoftSubscriptionTtl();
        return clock.instant().plus(ttl);
    }

    private void count(CalendarProvider provider, String action, String outcome) {
        meters.counter("calsync.subscriptions", "provider", provider.name(), "action", action, "outcome", outcome)
                .increment();
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
