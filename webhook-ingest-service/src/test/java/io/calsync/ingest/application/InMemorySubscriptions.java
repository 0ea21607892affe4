package io.calsync.ingest.application;

import io.calsync.model.domain.CalendarProvider;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SubscriptionLookup} over a map, for tests of the web and application layers; the PostgreSQL-backed one runs
 * in the ITs. Counts lookups, and can be made to fail as a database that is down.
 */
public class InMemorySubscriptions implements SubscriptionLookup {

    private final Map<String, KnownSubscription> rows = new ConcurrentHashMap<>();
    public final AtomicInteger lookups = new AtomicInteger();
    public volatile boolean down;

    public InMemorySubscriptions add(KnownSubscription s) {
        rows.put(s.provider() + "|" + s.subscriptionId(), s);
        return this;
    }

    public void clear() {
        rows.clear();
        lookups.set(0);
        down = false;
    }

    @Override
    public Optional<KnownSubscription> find(CalendarProvider provider, String subscriptionId) {
        lookups.incrementAndGet();
        if (down) {
            throw new VerificationUnavailableException("database down (test)", new IllegalStateException("down"));
        }
        return Optional.ofNullable(rows.get(provider + "|" + subscriptionId));
    }
}
