package io.calsync.sandbox.google;

import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.push.PushSender;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Push channels of {@code events.watch}. A new channel gets the {@code sync} message (number 1) at once; every later
 * change to the calendar's events sends {@code exists} with the next message number, an empty body and Google's
 * {@code X-Goog-*} headers. Expired channels send nothing (and are forgotten); {@code channels.stop} ends one.
 */
@Component
public class GoogleChannels {

    static final Duration DEFAULT_TTL = Duration.ofDays(7);
    static final Duration MAX_TTL = Duration.ofDays(30);

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    /** Orders a channel's sync message before any change notification of it. */
    private final ReentrantLock lock = new ReentrantLock();

    private final GoogleCalendarStore store;
    private final PushSender push;
    private final SandboxState state;

    public GoogleChannels(GoogleCalendarStore store, PushSender push, SandboxState state) {
        this.store = store;
        this.push = push;
        this.state = state;
        state.onReset(s -> channels.clear());
        store.onChange(this::changed);
    }

    /** One open channel. {@code token} may be null. */
    public record Channel(
            String id,
            String resourceId,
            String resourceUri,
            String calendarId,
            String address,
            String token,
            Instant expiration,
            AtomicLong messages) {

        /** As {@code events.watch} answers and the control API lists it. */
        public ObjectNode toJson() {
            ObjectNode o = EventMapper.JSON
                    .objectNode()
                    .put("kind", "api#channel")
                    .put("id", id)
                    .put("resourceId", resourceId)
                    .put("resourceUri", resourceUri);
            if (token != null) {
                o.put("token", token);
            }
            return o.put("expiration", String.valueOf(expiration.toEpochMilli()));
        }
    }

    /** {@code events.watch} on a calendar the caller may read ({@code calendarId} already resolved). */
    public Channel watch(String calendarId, ObjectNode body) {
        String id = EventTime.text(body, "id");
        String type = EventTime.text(body, "type");
        String address = EventTime.text(body, "address");
        if (id == null || id.isBlank()) {
            throw GoogleApiException.required("Required");
        }
        if (type == null || !(type.equals("web_hook") || type.equals("webhook"))) {
            throw GoogleApiException.invalid("Invalid value for: type");
        }
        if (address == null || !isHttpUrl(address)) {
            // Google insists on https; the sandbox accepts http too for local receivers.
            throw new GoogleApiException(
                    400, "global", "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + address);
        }
        Instant now = Instant.now(state.clock());
        Instant expiration = now.plus(requestedTtl(body, now));
        // Asked before taking our lock: change notifications hold the store's lock and then take ours.
        String resourceId = store.resourceId(calendarId);
        Channel channel = new Channel(
                id,
                resourceId,
                resourceUri(calendarId),
                calendarId,
                address,
                EventTime.text(body, "token"),
                expiration,
                new AtomicLong());
        lock.lock();
        try {
            if (channels.putIfAbsent(id, channel) != null) {
                throw new GoogleApiException(400, "global", "channelIdNotUnique", "Channel id " + id + " not unique");
            }
            send(channel, "sync"); // message 1, whatever changes race with the watch call
        } finally {
            lock.unlock();
        }
        return channel;
    }

    /** {@code channels.stop}: both the channel id and its resource id must match. */
    public boolean stop(String id, String resourceId) {
        Channel c = id == null ? null : channels.get(id);
        if (c == null || !c.resourceId().equals(resourceId)) {
            return false;
        }
        return channels.remove(id, c);
    }

    /** The unexpired channels watching a calendar. */
    public List<Channel> active(String calendarId) {
        Instant now = Instant.now(state.clock());
        return channels.values().stream()
                .filter(c -> c.calendarId().equals(calendarId) && c.expiration().isAfter(now))
                .toList();
    }

    private void changed(String calendarId) {
        Instant now = Instant.now(state.clock());
        lock.lock();
        try {
            for (Channel c : List.copyOf(channels.values())) {
                if (!c.calendarId().equals(calendarId)) {
                    continue;
                }
                if (!c.expiration().isAfter(now)) {
                    channels.remove(c.id(), c);
                    continue;
                }
                send(c, "exists");
            }
        } finally {
            lock.unlock();
        }
    }

    private void send(Channel c, String resourceState) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Goog-Channel-ID", c.id());
        if (c.token() != null) {
            headers.put("X-Goog-Channel-Token", c.token());
        }
        headers.put("X-Goog-Channel-Expiration", GoogleTime.rfc1123(c.expiration()));
        headers.put("X-Goog-Resource-ID", c.resourceId());
        headers.put("X-Goog-Resource-URI", c.resourceUri());
        headers.put("X-Goog-Resource-State", resourceState);
        headers.put("X-Goog-Message-Number", String.valueOf(c.messages().incrementAndGet()));
        push.send(Provider.GOOGLE, c.address(), headers, null);
    }

    /** expiration (ms since the epoch) wins over params.ttl (seconds); both are capped at 30 days. */
    private static Duration requestedTtl(ObjectNode body, Instant now) {
        Duration ttl = DEFAULT_TTL;
        JsonNode expiration = body.get("expiration");
        JsonNode paramTtl = body.path("params").get("ttl");
        try {
            if (expiration != null && !expiration.isNull()) {
                long ms = expiration.isNumber() ? expiration.asLong() : Long.parseLong(expiration.stringValue());
                ttl = Duration.ofMillis(ms - now.toEpochMilli());
            } else if (paramTtl != null && !paramTtl.isNull()) {
                ttl = Duration.ofSeconds(
                        paramTtl.isNumber() ? paramTtl.asLong() : Long.parseLong(paramTtl.stringValue()));
            }
        } catch (RuntimeException e) {
            throw GoogleApiException.invalid("Invalid channel expiration.");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw GoogleApiException.invalid("Invalid channel expiration.");
        }
        return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    private static boolean isHttpUrl(String address) {
        try {
            URI uri = URI.create(address);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String resourceUri(String calendarId) {
        return "https://www.googleapis.com/calendar/v3/calendars/" + calendarId.replace("#", "%23")
                + "/events?alt=json";
    }
}
