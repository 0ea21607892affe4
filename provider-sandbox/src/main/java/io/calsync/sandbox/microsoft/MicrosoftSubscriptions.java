package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxSettings;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.push.PushSender;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Graph subscriptions on Outlook events: creation validates the notification (and lifecycle) URL with Graph's
 * handshake before answering, expirations are limited to 10080 minutes, and every change the store reports under a
 * live subscription's resource is POSTed to its notificationUrl. Lifecycle notifications are sent on request of the
 * control API. Expired subscriptions send nothing and, as at Graph, can no longer be read or renewed.
 */
@Component
public class MicrosoftSubscriptions {

    /** Outlook resources: at most 10080 minutes (7 days). */
    static final Duration MAX_EXPIRATION = Duration.ofMinutes(10080);

    static final Set<String> LIFECYCLE_EVENTS = Set.of("reauthorizationRequired", "subscriptionRemoved", "missed");

    private static final Pattern RESOURCE = Pattern.compile(
            "(?i)^/?(?:me|users/([^/]+))/(?:(events)|calendar/events|calendars(?:/|\\(')([^/']+)(?:'\\))?/events)/?$");

    private final Map<String, GraphSubscription> subscriptions = new ConcurrentHashMap<>();
    private final MicrosoftStore store;
    private final PushSender push;
    private final SandboxSettings settings;
    private final SandboxState state;

    public MicrosoftSubscriptions(MicrosoftStore store, PushSender push, SandboxSettings settings, SandboxState state) {
        this.store = store;
        this.push = push;
        this.settings = settings;
        this.state = state;
        state.onReset(s -> subscriptions.clear());
        store.onChange(this::notifyChange);
    }

    public GraphSubscription create(Account account, ObjectNode body) {
        String resource = required(body, "resource");
        String changeType = changeType(required(body, "changeType"));
        String notificationUrl = url(required(body, "notificationUrl"), "notificationUrl");
        String lifecycleUrl = GraphJson.text(body, "lifecycleNotificationUrl");
        if (lifecycleUrl != null) {
            url(lifecycleUrl, "lifecycleNotificationUrl");
        }
        Instant expiration = expiration(required(body, "expirationDateTime"));
        String calendarId = calendarOf(account, resource);
        String tls = GraphJson.text(body, "latestSupportedTlsVersion");
        validate(notificationUrl);
        if (lifecycleUrl != null) {
            validate(lifecycleUrl);
        }
        GraphSubscription s = new GraphSubscription(
                UUID.randomUUID().toString(),
                account.id(),
                resource,
                calendarId,
                changeType,
                notificationUrl,
                lifecycleUrl,
                expiration,
                GraphJson.text(body, "clientState"),
                tls == null ? "v1_2" : tls,
                settings.microsoft().clientId());
        subscriptions.put(s.id(), s);
        return s;
    }

    public GraphSubscription get(Account account, String id) {
        GraphSubscription s = subscriptions.get(id);
        if (s == null || !s.accountId().equals(account.id()) || s.expired(now())) {
            throw GraphException.notFound();
        }
        return s;
    }

    /** The live subscriptions the account's app made (Graph lists an app's subscriptions for the signed-in user). */
    public List<GraphSubscription> list(Account account) {
        return subscriptions.values().stream()
                .filter(s -> s.accountId().equals(account.id()) && !s.expired(now()))
                .sorted(Comparator.comparing(GraphSubscription::expirationDateTime))
                .toList();
    }

    /** PATCH: renews {@code expirationDateTime} (same limits as creation); a new notificationUrl is validated. */
    public GraphSubscription update(Account account, String id, ObjectNode body) {
        GraphSubscription s = get(account, id);
        if (body.hasNonNull("notificationUrl")) {
            String url = url(body.get("notificationUrl").asString(), "notificationUrl");
            if (!url.equals(s.notificationUrl())) {
                validate(url);
            }
            s = s.withNotificationUrl(url);
        }
        if (body.hasNonNull("expirationDateTime")) {
            s = s.withExpiration(expiration(body.get("expirationDateTime").asString()));
        }
        subscriptions.put(s.id(), s);
        return s;
    }

    public void delete(Account account, String id) {
        subscriptions.remove(get(account, id).id());
    }

    /** Every subscription, expired ones included (control API). */
    public List<GraphSubscription> all() {
        return subscriptions.values().stream()
                .sorted(Comparator.comparing(GraphSubscription::id))
                .toList();
    }

    public Optional<GraphSubscription> find(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    /**
     * Sends a lifecycle notification to the subscription's lifecycleNotificationUrl (if it has one);
     * {@code subscriptionRemoved} also deletes the subscription, as Graph has then removed it.
     *
     * @return whether a notification was sent
     */
    public boolean lifecycle(String id, String lifecycleEvent) {
        if (!LIFECYCLE_EVENTS.contains(lifecycleEvent)) {
            throw new IllegalArgumentException("lifecycle event must be one of " + LIFECYCLE_EVENTS);
        }
        GraphSubscription s = subscriptions.get(id);
        if (s == null) {
            throw GraphException.notFound();
        }
        if ("subscriptionRemoved".equals(lifecycleEvent)) {
            subscriptions.remove(id);
        }
        if (s.lifecycleNotificationUrl() == null) {
            return false;
        }
        ObjectNode n = GraphJson.object();
        n.put("subscriptionId", s.id());
        n.put("subscriptionExpirationDateTime", GraphJson.notificationTime(s.expirationDateTime()));
        n.put("tenantId", settings.microsoft().tenantId());
        n.put("clientState", s.clientState());
        n.put("lifecycleEvent", lifecycleEvent);
        push.send(Provider.MICROSOFT, s.lifecycleNotificationUrl(), Map.of(), wrap(n));
        return true;
    }

    private void notifyChange(EventChange c) {
        Instant now = now();
        for (GraphSubscription s : subscriptions.values()) {
            if (!s.accountId().equals(c.accountId())
                    || s.expired(now)
                    || (s.calendarId() != null && !s.calendarId().equals(c.calendarId()))
                    || !s.changeTypes().contains(c.changeType())) {
                continue;
            }
            String path = "Users/" + c.accountId() + "/Events/" + c.eventId();
            ObjectNode n = GraphJson.object();
            n.put("subscriptionId", s.id());
            n.put("subscriptionExpirationDateTime", GraphJson.notificationTime(s.expirationDateTime()));
            n.put("changeType", c.changeType());
            n.put("resource", path);
            ObjectNode data = n.putObject("resourceData");
            data.put("@odata.type", "#Microsoft.Graph.Event");
            data.put("@odata.id", path);
            data.put("@odata.etag", "W/\"" + c.changeKey() + "\"");
            data.put("id", c.eventId());
            n.put("clientState", s.clientState());
            n.put("tenantId", settings.microsoft().tenantId());
            push.send(Provider.MICROSOFT, s.notificationUrl(), Map.of(), wrap(n));
        }
    }

    private static String wrap(ObjectNode notification) {
        ObjectNode body = GraphJson.object();
        body.putArray("value").add(notification);
        return GraphJson.write(body);
    }

    /** Graph's handshake: the endpoint must echo the token as text/plain with 200 within 10 seconds. */
    private void validate(String url) {
        String token =
                "Validation: Testing client application reachability for subscription Request-Id: " + UUID.randomUUID();
        PushSender.Validation v = push.validate(url, token);
        if (v.ok()) {
            return;
        }
        if (v.reason() != null && v.reason().contains("10 seconds")) {
            throw new GraphException(400, "InvalidRequest", "Subscription validation request timed out.");
        }
        if (v.status() == 200) {
            throw new GraphException(
                    400,
                    "ValidationError",
                    "Subscription validation request failed. Response must exactly match validationToken query parameter.");
        }
        throw new GraphException(
                400,
                "ValidationError",
                "Subscription validation request failed. Notification"
                        + " endpoint must respond with 200 OK to validation request.");
    }

    /** The calendar a resource names (null for all events); the user must be the signed-in one. */
    private String calendarOf(Account account, String resource) {
        Matcher m = RESOURCE.matcher(resource.trim());
        if (!m.matches()) {
            throw new GraphException(
                    400,
                    "InvalidRequest",
                    "Resource '" + resource
                            + "' is not supported. Outlook event subscriptions take me/events, me/calendar/events,"
                            + " me/calendars/{id}/events or users/{id}/... forms.");
        }
        String user = m.group(1);
        if (user != null && !user.equalsIgnoreCase(account.id()) && !user.equalsIgnoreCase(account.email())) {
            throw new GraphException(
                    403,
                    "ExtensionError",
                    "Operation: Create; Exception: [Status Code: Forbidden;"
                            + " Reason: Access is denied. Check credentials and try again.]");
        }
        if (m.group(2) != null) {
            return null;
        }
        return m.group(3) == null
                ? store.defaultCalendar(account).id()
                : store.calendar(account, m.group(3)).id();
    }

    private Instant expiration(String text) {
        Instant at;
        try {
            at = OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new GraphException(400, "InvalidRequest", "Invalid 'expirationDateTime' value: '" + text + "'.");
        }
        Instant now = now();
        if (!at.isAfter(now)) {
            throw new GraphException(
                    400,
                    "ExtensionError",
                    "Subscription expiration must be in the future. expirationDateTime: " + text);
        }
        if (at.isAfter(now.plus(MAX_EXPIRATION))) {
            throw new GraphException(
                    400, "ExtensionError", "Subscription expiration can only be 10070 minutes in the future.");
        }
        return at;
    }

    private static String changeType(String value) {
        for (String t : value.split(",")) {
            if (!Set.of("created", "updated", "deleted").contains(t.trim().toLowerCase(Locale.ROOT))) {
                throw new GraphException(
                        400,
                        "InvalidRequest",
                        "'" + t.trim() + "' is not a valid changeType."
                                + " Outlook resources take created, updated and deleted.");
            }
        }
        return value.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String url(String value, String field) {
        try {
            URI u = URI.create(value.trim());
            if (u.getHost() != null
                    && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
                return value.trim();
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new GraphException(400, "InvalidRequest", "The " + field + " '" + value + "' is not a valid URL.");
    }

    private static String required(ObjectNode body, String field) {
        String v = GraphJson.text(body, field);
        if (v == null || v.isBlank()) {
            throw new GraphException(400, "InvalidRequest", "Required field '" + field + "' is missing.");
        }
        return v;
    }

    private Instant now() {
        return Instant.now(state.clock());
    }
}
