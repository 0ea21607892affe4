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

    long countByUserId(UUID userId);

    /**
     * Locks the user's row until the transaction ends: connects of one user then count their calendars one after the
     * other, and the per-user cap ({@link CalendarConnection#MAX_PER_USER}) holds under concurrent connects.
     */
    @org.springframework.data.jpa.repository.Query(
            value = "SELECT count(*) FROM (SELECT id FROM calendar_users WHERE id = :user FOR UPDATE) locked",
            nativeQuery = true)
    int lockUser(@org.springframework.data.repository.query.Param("user") UUID userId);
}
