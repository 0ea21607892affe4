package io.calsync.sync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.testsupport.TestInfrastructure;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The store on the real PostgreSQL: what a page does to rows, versions, series links, removals and sweeps. */
class EventStoreIT {

    static JdbcTemplate jdbc;
    static TransactionTemplate tx;
    static EventStore store;

    UUID connection;

    @BeforeAll
    static void database() {
        TestInfrastructure.Database db = TestInfrastructure.newDatabase();
        DriverManagerDataSource ds = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = new JdbcTemplate(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        store = new EventStore(jdbc);
    }

    @BeforeEach
    void aConnection() {
        UUID user = jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES (?) RETURNING id",
                UUID.class,
                UUID.randomUUID() + "@x.test");
        connection = jdbc.queryForObject(
                "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name)"
                        + " VALUES (?, 'GOOGLE', 'primary', 'Work') RETURNING id",
                UUID.class,
                user);
    }

    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    static ProviderEvent single(String id, String title, Instant updated, String etag) {
        return new ProviderEvent(
                id,
                id + "@uid",
                title,
                "desc",
                "Room 1",
                T0,
                T0.plusSeconds(1800),
                false,
                null,
                null,
                "Europe/Berlin",
                EventStatus.CONFIRMED,
                null,
                null,
                null,
                null,
                "boss@x.test",
                "https://link/" + id,
                etag,
                updated,
                0,
                List.of(new ProviderEvent.Attendee("a@x.test", "A", RsvpStatus.ACCEPTED, false, false)),
                List.of(new ProviderEvent.Reminder(ReminderMethod.POPUP, 10)),
                null);
    }

    static ProviderEvent master(String id) {
        return new ProviderEvent(
                id,
                id + "@uid",
                "Stand-up",
                null,
                null,
                T0,
                T0.plusSeconds(900),
                false,
                null,
                null,
                "Europe/Berlin",
                EventStatus.CONFIRMED,
                List.of("RRULE:FREQ=DAILY;COUNT=10", "EXDATE:20261126T090000Z"),
                null,
                null,
                null,
                null,
                null,
                "e1",
                T0,
                0,
                List.of(),
                List.of(),
                null);
    }

    static ProviderEvent instance(String id, String masterId, Instant original, EventStatus status) {
        return new ProviderEvent(
                id,
                masterId + "@uid",
                "Stand-up (moved)",
                null,
                null,
                original.plusSeconds(3600),
                original.plusSeconds(4500),
                false,
                null,
                null,
                "Europe/Berlin",
                status,
                null,
                masterId,
                original,
                null,
                null,
                null,
                "e1",
                T0,
                0,
                List.of(),
                List.of(),
                null);
    }

    EventStore.PageResult apply(List<ProviderEvent> upserts, List<String> removed) {
        return tx.execute(s -> store.apply(connection, upserts, removed));
    }

    Map<String, Object> row(String providerId) {
        return jdbc.queryForMap(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND provider_event_id = ?",
                connection,
                providerId);
    }

    @Test
    void aPageInsertsRowsWithChildrenAndLinksInstancesWhicheverComesFirst() {
        EventStore.PageResult first = apply(
                List.of(
                        instance("m1_20261125", "m1", T0.plusSeconds(86_400), EventStatus.CONFIRMED),
                        single("s1", "Lunch", T0, "e1")),
                List.of());
        assertThat(first.inserted()).isEqualTo(2);
        assertThat(row("m1_20261125").get("recurring_event_id")).isNull(); // its master has not come yet

        EventStore.PageResult second = apply(List.of(master("m1")), List.of());
        assertThat(second.inserted()).isEqualTo(1);
        Map<String, Object> m = row("m1");
        assertThat(row("m1_20261125").get("recurring_event_id")).isEqualTo(m.get("id"));
        assertThat(m.get("recurrence_rule")).isEqualTo("FREQ=DAILY;COUNT=10");
        assertThat(m.get("recurrence_frequency").toString()).isEqualTo("DAILY");
        List<String> lines = jdbc.queryForObject(
                "SELECT recurrence FROM calendar_events WHERE id = ?",
                (rs, n) -> List.of((String[]) rs.getArray(1).getArray()),
                m.get("id"));
        assertThat(lines).containsExactly("RRULE:FREQ=DAILY;COUNT=10", "EXDATE:20261126T090000Z");

        UUID s1 = (UUID) row("s1").get("id");
        assertThat(jdbc.queryForObject(
                        "SELECT email || ':' || response_status FROM event_attendees WHERE event_id = ?",
                        String.class,
                        s1))
                .isEqualTo("a@x.test:ACCEPTED");
        assertThat(jdbc.queryForObject(
                        "SELECT minutes_before FROM event_reminders WHERE event_id = ?", Integer.class, s1))
                .isEqualTo(10);
    }

    @Test
    void theSameVersionTwiceChangesNothingAndAnOlderOneNeverOverwritesANewerOne() {
        apply(List.of(single("s1", "v2", T0.plusSeconds(60), "etag-2")), List.of());
        assertThat(apply(List.of(single("s1", "v2", T0.plusSeconds(60), "etag-2")), List.of())
                        .changedIds())
                .as("the echo of a version already stored")
                .isEmpty();
        assertThat(apply(List.of(single("s1", "v1", T0, "etag-1")), List.of()).changedIds())
                .isEmpty();
        assertThat(row("s1").get("title")).isEqualTo("v2");

        EventStore.PageResult newer = apply(List.of(single("s1", "v3", T0.plusSeconds(120), "etag-3")), List.of());
        assertThat(newer.updated()).isEqualTo(1);
        assertThat(row("s1").get("title")).isEqualTo("v3");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM event_attendees WHERE event_id = ?",
                        Integer.class,
                        row("s1").get("id")))
                .as("children replaced, not added")
                .isEqualTo(1);
    }

    @Test
    void aRowWithALocalChangeOnItsWayIsLeftToTheWriteBack() {
        apply(List.of(single("s1", "remote", T0, "e1")), List.of());
        jdbc.update("UPDATE calendar_events SET title = 'local', sync_status = 'PENDING', pending_operation = 'UPDATE'"
                + " WHERE provider_event_id = 's1'");
        apply(List.of(single("s1", "remote 2", T0.plusSeconds(60), "e2")), List.of());
        assertThat(row("s1").get("title")).isEqualTo("local");
    }

    @Test
    void aRemovedInstanceOfALiveSeriesIsCancelledAndARemovedMasterTakesItsInstances() {
        apply(List.of(master("m1"), instance("m1_a", "m1", T0.plusSeconds(86_400), EventStatus.CONFIRMED)), List.of());

        EventStore.PageResult cancel = apply(List.of(), List.of("m1_a"));
        assertThat(row("m1_a").get("status").toString()).isEqualTo("CANCELLED");
        assertThat(cancel.cancelledSeries()).containsExactly("m1");

        EventStore.PageResult gone = apply(List.of(), List.of("m1"));
        assertThat(gone.deleted()).isEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE connection_id = ?", Integer.class, connection))
                .isZero();
    }

    @Test
    void aSweepRemovesWhatAFullListingDidNotSeeButKeepsPendingRowsAndConfirmedCancellations() {
        apply(
                List.of(
                        single("keep", "k", T0, "e"),
                        single("gone", "g", T0, "e"),
                        master("m1"),
                        instance("m1_x", "m1", T0.plusSeconds(86_400), EventStatus.CANCELLED)),
                List.of());
        jdbc.update(
                "INSERT INTO calendar_events (connection_id, title, start_time, end_time, sync_status, pending_operation)"
                        + " VALUES (?, 'new local', now(), now(), 'PENDING', 'CREATE')",
                connection);

        int swept = tx.execute(s -> store.sweep(connection, Set.of("keep", "m1"), true));
        assertThat(swept).isEqualTo(1);
        assertThat(jdbc.queryForList(
                        "SELECT coalesce(provider_event_id, title) FROM calendar_events WHERE connection_id = ?",
                        String.class,
                        connection))
                .containsExactlyInAnyOrder("keep", "m1", "m1_x", "new local");

        tx.execute(s -> store.sweep(connection, Set.of("keep", "m1"), false));
        assertThat(jdbc.queryForList(
                        "SELECT provider_event_id FROM calendar_events WHERE connection_id = ? AND provider_event_id IS NOT NULL",
                        String.class,
                        connection))
                .containsExactlyInAnyOrder("keep", "m1");
    }

    @Test
    void theLongestEventRaisesTheConnectionsBoundAndAllDayEventsStayDates() {
        ProviderEvent offsite = new ProviderEvent(
                "ad",
                null,
                "Offsite",
                null,
                null,
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-04T00:00:00Z"),
                true,
                LocalDate.parse("2026-12-01"),
                LocalDate.parse("2026-12-04"),
                null,
                EventStatus.CONFIRMED,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                null);
        apply(List.of(offsite), List.of());
        assertThat(jdbc.queryForObject(
                        "SELECT max_event_duration_secs FROM calendar_connections WHERE id = ?",
                        Long.class,
                        connection))
                .isEqualTo(3 * 86_400L);
        assertThat(row("ad").get("start_date").toString()).isEqualTo("2026-12-01");
        assertThat(row("ad").get("is_all_day")).isEqualTo(true);
    }
}
