package io.calsync.ingest.persistence;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.KnownSubscription;
import io.calsync.ingest.application.SubscriptionLookup;
import io.calsync.ingest.application.VerificationUnavailableException;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.WebhookSubscription;
import io.calsync.model.persistence.WebhookSubscriptionRepository;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * {@link SubscriptionLookup} over {@code webhook_subscriptions}, cached per (provider, subscription id). The row's
 * status and expiry are not checked: a notification of a subscription that is being replaced or has just expired
 * still says that the calendar changed, and an extra sync is harmless where a missed change is not.
 */
@Component
class CachedSubscriptionLookup implements SubscriptionLookup {

    /** The column's width: a longer id cannot be stored, so it is unknown without asking the database. */
    static final int MAX_ID_LENGTH = 512;

    private record Key(CalendarProvider provider, String subscriptionId) {}

    private final WebhookSubscriptionRepository repository;
    private final ExpiringCache<Key, Optional<KnownSubscription>> cache;

    CachedSubscriptionLookup(WebhookSubscriptionRepository repository, IngestProperties properties) {
        this.repository = repository;
        long known = properties.subscriptionCacheTtl().toNanos();
        long unknown = properties.unknownSubscriptionCacheTtl().toNanos();
        this.cache = new ExpiringCache<>(
                v -> v.isPresent() ? known : unknown, properties.subscriptionCacheSize(), System::nanoTime);
    }

    @Override
    public Optional<KnownSubscription> find(CalendarProvider provider, String subscriptionId) {
        if (subscriptionId == null || subscriptionId.isEmpty() || subscriptionId.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        return cache.get(new Key(provider, subscriptionId), this::load);
    }

    private Optional<KnownSubscription> load(Key key) {
        try {
            return repository
                    .findByProviderAndSubscriptionId(key.provider(), key.subscriptionId())
                    .map(CachedSubscriptionLookup::known);
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
