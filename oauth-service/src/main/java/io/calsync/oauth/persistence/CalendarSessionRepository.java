package io.calsync.oauth.persistence;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CalendarSessionRepository extends JpaRepository<CalendarSession, UUID> {}
