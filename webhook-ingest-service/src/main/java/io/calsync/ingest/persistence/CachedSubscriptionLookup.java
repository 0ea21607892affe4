package io.calsync.ingest.persistence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.KnownSubscription;
import io.calsync.ingest.application.SubscriptionLookup;
import io.calsync.ingest.application.VerificationUnavailableException;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.WebhookSubscription;
import io.calsync.model.persistence.WebhookSubscriptionRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * {@link SubscriptionLookup} over {@code webhook_subscriptions}, cached per (provider, subscription id) in a bounded
 * Caffeine cache: known subscriptions stay {@code subscription-cache-ttl}, unknown ids {@code
 * unknown-subscription-cache-ttl}, and when it is full one entry goes at a time (never the whole cache, so a flood of
 * unknown ids cannot empty it of the real subscriptions). A request's ids are looked up in one query. The row's status
 * and expiry are not checked: a notification of a subscription that is being replaced or has just expired still says
 * that the calendar changed, and an extra sync is harmless where a missed change is not.
 */
@Component
class CachedSubscriptionLookup implements SubscriptionLookup {

    /** The column's width: a longer id cannot be stored, so it is unknown without asking the database. */
    static final int MAX_ID_LENGTH = 512;

    private record Key(CalendarProvider provider, String subscriptionId) {}

    private final WebhookSubscriptionRepository repository;
    private final Cache<Key, Optional<KnownSubscription>> cache;

    @Autowired
    CachedSubscriptionLookup(WebhookSubscriptionRepository repository, IngestProperties properties) {
        this(repository, properties, Ticker.systemTicker());
    }

    CachedSubscriptionLookup(WebhookSubscriptionRepository repository, IngestProperties properties, Ticker ticker) {
        this.repository = repository;
        long known = properties.subscriptionCacheTtl().toNanos();
        long unknown = properties.unknownSubscriptionCacheTtl().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.subscriptionCacheSize())
                .ticker(ticker)
                .executor(Runnable::run) // evict in the caller's thread: no pool of its own
                .expireAfter(Expiry.creating(
                        (Key k, Optional<KnownSubscription> v) -> Duration.ofNanos(v.isPresent() ? known : unknown)))
                .build();
    }

    @Override
    public Optional<KnownSubscription> find(CalendarProvider provider, String subscriptionId) {
        return Optional.ofNullable(findAll(provider, List.of(subscriptionId)).get(subscriptionId));
    }

    @Override
    public Map<String, KnownSubscription> findAll(CalendarProvider provider, Collection<String> subscriptionIds) {
        Map<String, KnownSubscription> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : subscriptionIds) {
            if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
                continue;
            }
            Optional<KnownSubscription> cached = cache.getIfPresent(new Key(provider, id));
            if (cached == null) {
                missing.add(id);
            } else {
                cached.ifPresent(s -> found.put(id, s));
            }
        }
        if (!missing.isEmpty()) {
            Map<String, KnownSubscription> loaded = load(provider, missing);
            for (String id : missing) {
                KnownSubscription s = loaded.get(id);
                cache.put(new Key(provider, id), Optional.ofNullable(s));
                if (s != null) {
                    found.put(id, s);
                }
            }
        }
        return found;
    }

    long cachedEntries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private Map<String, KnownSubscription> load(CalendarProvider provider, List<String> ids) {
        try {
            Map<String, KnownSubscription> out = new HashMap<>();
            for (WebhookSubscription s : repository.findByProviderAndSubscriptionIdIn(provider, ids)) {
                out.put(s.getSubscriptionId(), known(s));
            }
            return out;
        } catch (DataAccessException | TransactionException e) {
            // TransactionException: no connection could be had to begin the repository's read-only transaction.
            throw new VerificationUnavailableException("webhook_subscriptions could not be read", e);
        }
    }

    private static KnownSubscription known(WebhookSubscription s) {
        return new KnownSubscription(
                s.getConnectionId(), s.getProvider(), s.getSubscriptionId(), s.getResourceId(), s.getClientState());
    }
}
