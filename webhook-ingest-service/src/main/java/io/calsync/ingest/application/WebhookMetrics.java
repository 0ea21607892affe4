package io.calsync.ingest.application;

import io.calsync.model.domain.CalendarProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The ingest's meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code calsync.webhooks.received{provider,kind}} [{@code calsync_webhooks_received_total}]: every
 *       notification that arrived, handshakes included; kind is {@code validation}, {@code change}, {@code
 *       lifecycle} (Graph) or the resource state {@code sync}, {@code exists}, {@code not_exists}, {@code other}
 *       (Google)
 *   <li>{@code calsync.webhooks.accepted{provider,kind}}: published and acknowledged by the broker
 *   <li>{@code calsync.webhooks.dropped{provider,reason}}: acknowledged but not published (see {@link DropReason})
 *   <li>{@code calsync.webhooks.unavailable{provider,cause}}: answered 503 because the {@code broker} or the {@code
 *       database} could not be reached in time
 *   <li>{@code calsync.webhooks.publish{provider,outcome}}: time from the first send of a request's messages until
 *       the broker acknowledged the last (or the deadline passed)
 * </ul>
 */
@Component
public class WebhookMetrics {

    private final MeterRegistry registry;
    /** Meters by name and tags: one map lookup per notification instead of building a meter id each time. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void received(CalendarProvider provider, String kind) {
        counter("calsync.webhooks.received", provider, "kind", kind).increment();
    }

    public void accepted(CalendarProvider provider, String kind) {
        counter("calsync.webhooks.accepted", provider, "kind", kind).increment();
    }

    public void dropped(CalendarProvider provider, DropReason reason) {
        counter("calsync.webhooks.dropped", provider, "reason", reason.tag()).increment();
    }

    public void unavailable(CalendarProvider provider, String cause) {
        counter("calsync.webhooks.unavailable", provider, "cause", cause).increment();
    }

    public Timer.Sample startPublish() {
        return Timer.start(registry);
    }

    public void publishFinished(Timer.Sample sample, CalendarProvider provider, boolean acknowledged) {
        String outcome = acknowledged ? "acknowledged" : "failed";
        sample.stop(timers.computeIfAbsent(
                tag(provider) + '|' + outcome,
                k -> Timer.builder("calsync.webhooks.publish")
                        .description(
                                "from sending a request's notifications to the broker's acknowledgement of the last")
                        .tag("provider", tag(provider))
                        .tag("outcome", outcome)
                        .register(registry)));
    }

    private Counter counter(String name, CalendarProvider provider, String key, String value) {
        String p = tag(provider);
        return counters.computeIfAbsent(
                name + '|' + p + '|' + key + '|' + value,
                k -> Counter.builder(name).tag("provider", p).tag(key, value).register(registry));
    }

    static String tag(CalendarProvider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }
}
