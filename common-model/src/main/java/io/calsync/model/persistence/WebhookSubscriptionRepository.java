package io.calsync.model.persistence;

import io.calsync.model.domain.CalendarProvider;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface WebhookSubscriptionRepository extends JpaRepository<WebhookSubscription, UUID> {

    List<WebhookSubscription> findByConnectionId(UUID connectionId);

    Optional<WebhookSubscription> findByProviderAndSubscriptionId(CalendarProvider provider, String subscriptionId);

    /** The subscriptions among {@code subscriptionIds}, in one query (webhook-ingest judges a request's batch). */
    List<WebhookSubscription> findByProviderAndSubscriptionIdIn(
            CalendarProvider provider, Collection<String> subscriptionIds);
}
