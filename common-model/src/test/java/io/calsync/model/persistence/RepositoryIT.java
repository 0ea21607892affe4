package io.calsync.model.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.RecurrenceFrequency;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.model.domain.SyncStatus;
import io.calsync.testsupport.TestInfrastructure;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Entities against the migrated schema on a real PostgreSQL: Hibernate validates the mapping at start
 * ({@code ddl-auto=validate}), the named enums, arrays and jsonb columns round-trip, and the first-call user insert
 * is race-free.
 */
@SpringBootTest(
        classes = RepositoryIT.App.class,
        properties = {
            "spring.jpa.hibernate.ddl-auto=validate",
            "spring.flyway.baseline-on-migrate=true",
            "spring.flyway.baseline-version=0"
        })
class RepositoryIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    @Autowired
    CalendarUserRepository users;

    @Autowired
    CalendarConnectionRepository connections;

    @Autowired
    CalendarEventRepository events;

    @Autowired
    EventAttendeeRepository attendees;

    @Autowired
    ProcessedMessageRepository processed;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void concurrentFirstCallsCreateOneUser() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UUID>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                start.await();
                users.insertIfAbsent(UUID.randomUUID(), "Race@Example.com");
                return users.findByEmail("race@example.com").orElseThrow().getId();
            }));
        }
        start.countDown();
        List<UUID> ids = new java.util.ArrayList<>();
        for (Future<UUID> f : results) {
            ids.add(f.get());
        }
        pool.shutdown();
        assertThat(ids).containsOnly(ids.getFirst());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_users WHERE lower(email) = 'race@example.com'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void entitiesRoundTripEnumsArraysAndJson() {
        UUID userId = UUID.randomUUID();
        users.insertIfAbsent(userId, "ada@example.com");
        CalendarConnection connection =
                new CalendarConnection(userId, CalendarProvider.MICROSOFT, "AAMkAD=", "Calendar");
        connection.setGraphDeltaLink("https://graph.example/delta?$deltatoken=abc");
        connections.saveAndFlush(connection);

        CalendarEvent master = new CalendarEvent(
                connection.getId(), Instant.parse("2026-11-24T09:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
        master.setProviderEventId("evt-1");
        master.setRecurrenceRule("FREQ=WEEKLY;BYDAY=TU");
        master.setRecurrence(List.of("RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE;TZID=Europe/Berlin:20261201T100000"));
        master.setRecurrenceFrequency(RecurrenceFrequency.WEEKLY);
        master.setStatus(EventStatus.TENTATIVE);
        master.setStartDate(LocalDate.of(2026, 11, 24));
        events.saveAndFlush(master);
        attendees.saveAndFlush(new EventAttendee(master.getId(), "grace@example.com", RsvpStatus.ACCEPTED));

        CalendarEvent read = events.findByConnectionIdAndProviderEventId(connection.getId(), "evt-1")
                .orElseThrow();
        assertThat(read.getRecurrence())
                .containsExactly("RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE;TZID=Europe/Berlin:20261201T100000");
        assertThat(read.getStatus()).isEqualTo(EventStatus.TENTATIVE);
        assertThat(read.getSyncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(read.getRecurrenceFrequency()).isEqualTo(RecurrenceFrequency.WEEKLY);
        assertThat(connections.findByIdAndUserId(connection.getId(), userId)).isPresent();
        assertThat(connections.findByIdAndUserId(connection.getId(), UUID.randomUUID()))
                .isEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT status::text FROM calendar_events WHERE id = ?", String.class, master.getId()))
                .isEqualTo("TENTATIVE");
    }

    @Test
    void aMessageIdIsProcessedOnce() {
        UUID id = UUID.randomUUID();
        Integer first = tx.execute(s -> processed.markProcessed("test-consumer", id));
        Integer second = tx.execute(s -> processed.markProcessed("test-consumer", id));
        Integer otherConsumer = tx.execute(s -> processed.markProcessed("other-consumer", id));
        assertThat(first).isEqualTo(1);
        assertThat(second).isZero();
        assertThat(otherConsumer).isEqualTo(1);
    }
}
