package io.calsync.model.persistence;

import io.calsync.model.domain.CalendarProvider;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CalendarConnectionRepository extends JpaRepository<CalendarConnection, UUID> {

    List<CalendarConnection> findByUserIdOrderByCreatedAtAsc(UUID userId);

    /** The connection if, and only if, it belongs to the user: the basis of every "not yours is 404" answer. */
    Optional<CalendarConnection> findByIdAndUserId(UUID id, UUID userId);

    Optional<CalendarConnection> findByUserIdAndProviderAndProviderCalendarId(
            UUID userId, CalendarProvider provider, String providerCalendarId);
}
