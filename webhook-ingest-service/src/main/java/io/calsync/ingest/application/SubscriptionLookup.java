package io.calsync.ingest.application;

import io.calsync.model.domain.CalendarProvider;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Finds the subscription a notification names. */
public interface SubscriptionLookup {

    /**
     * @return the subscription, or empty when there is none with this id
     * @throws VerificationUnavailableException when the store cannot answer (the notification is then not judged)
     */
    Optional<KnownSubscription> find(CalendarProvider provider, String subscriptionId);

    /**
     * The subscriptions among {@code subscriptionIds} that exist, by id, in one lookup for the whole lot.
     *
     * @throws VerificationUnavailableException when the store cannot answer
     */
    default Map<String, KnownSubscription> findAll(CalendarProvider provider, Collection<String> subscriptionIds) {
        Map<String, KnownSubscription> found = new HashMap<>();
        for (String id : subscriptionIds) {
            find(provider, id).ifPresent(s -> found.put(id, s));
        }
        return found;
    }
}
