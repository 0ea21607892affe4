package io.calsync.model.persistence;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface EventReminderRepository extends JpaRepository<EventReminder, UUID> {

    List<EventReminder> findByEventIdIn(Collection<UUID> eventIds);

    void deleteByEventId(UUID eventId);
}
