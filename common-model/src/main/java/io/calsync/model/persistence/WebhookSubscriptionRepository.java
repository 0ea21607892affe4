package io.calsync.model.persistence;

import io.calsync.model.domain.CalendarProvider;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface WebhookSubscriptionRepository extends JpaRepository<WebhookSubscription, UUID> {

    List<WebhookSubscription> findByConnectionId(UUID connectionId);

    Optional<WebhookSubscription> findByProviderAndSubscriptionId(CalendarProvider provider, String subscriptionId);
}
