package io.calsync.model.persistence;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CalendarEventRepository extends JpaRepository<CalendarEvent, UUID> {

    Optional<CalendarEvent> findByConnectionIdAndProviderEventId(UUID connectionId, String providerEventId);

    long countByConnectionId(UUID connectionId);

    /** The overrides and cancelled occurrences of a series. */
    java.util.List<CalendarEvent> findByRecurringEventId(UUID recurringEventId);
}
