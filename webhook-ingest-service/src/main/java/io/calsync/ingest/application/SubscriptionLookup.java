package io.calsync.ingest.application;

import io.calsync.model.domain.CalendarProvider;
import java.util.Optional;

/** Finds the subscription a notification names. */
public interface SubscriptionLookup {

    /**
     * @return the subscription, or empty when there is none with this id
     * @throws VerificationUnavailableException when the store cannot answer (the notification is then not judged)
     */
    Optional<KnownSubscription> find(CalendarProvider provider, String subscriptionId);
}
