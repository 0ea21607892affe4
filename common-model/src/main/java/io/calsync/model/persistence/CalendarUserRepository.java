package io.calsync.model.persistence;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface CalendarUserRepository extends JpaRepository<CalendarUser, UUID> {

    @Query("select u from CalendarUser u where lower(u.email) = lower(:email)")
    Optional<CalendarUser> findByEmail(@Param("email") String email);

    /**
     * Creates the user of an email unless it exists. Race-free under concurrent first calls: the unique index on
     * lower(email) turns the loser's insert into a no-op, and both then read the same row.
     */
    @Modifying
    @Transactional
    @Query(
            value = "INSERT INTO calendar_users (id, email, created_at, updated_at) VALUES (:id, :email, now(), now())"
                    + " ON CONFLICT ((lower(email))) DO NOTHING",
            nativeQuery = true)
    int insertIfAbsent(@Param("id") UUID id, @Param("email") String email);

    /** Records the main app's subject of a user that has none yet (V10); 1 when it was recorded now. */
    @Modifying
    @Transactional
    @Query(
            value = "UPDATE calendar_users SET subject = :subject WHERE id = :id AND subject IS NULL",
            nativeQuery = true)
    int recordSubject(@Param("id") UUID id, @Param("subject") String subject);

    /** The main app's subject recorded for a user, or null. */
    @Query(value = "SELECT subject FROM calendar_users WHERE id = :id", nativeQuery = true)
    String subjectOf(@Param("id") UUID id);
}
