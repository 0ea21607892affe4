package io.calsync.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The change log under concurrent writers on a real PostgreSQL: a transaction that took its sequence number earlier
 * but commits later is never skipped, and no change is read twice, however the commits interleave.
 */
class ChangeLogIT {

    static TestInfrastructure.Database db;
    static ChangeLog log;

    @BeforeAll
    static void migrated() {
        db = TestInfrastructure.newDatabase();
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        log = new ChangeLog(new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password())));
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    /** A user with one calendar; returns {user, calendar}. */
    static UUID[] userWithCalendar() throws Exception {
        try (Connection c = connect()) {
            UUID user = one(
                    c, "INSERT INTO calendar_users (email) VALUES ('" + UUID.randomUUID() + "@x.test') RETURNING id");
            UUID cal = one(
                    c,
                    "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name) VALUES ('"
                            + user + "', 'GOOGLE', '" + UUID.randomUUID() + "', 'c') RETURNING id");
            return new UUID[] {user, cal};
        }
    }

    static UUID one(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    static UUID insertEvent(Connection c, UUID calendar) throws Exception {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO calendar_events (connection_id, provider_event_id, start_time, end_time)"
                        + " VALUES (?, ?, now(), now() + interval '1 hour') RETURNING id")) {
            p.setObject(1, calendar);
            p.setString(2, UUID.randomUUID().toString());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    static List<UUID> eventIds(ChangeLog.Page page) {
        return page.changes().stream()
                .filter(c -> !c.ofCalendar())
                .map(ChangeLog.Change::eventId)
                .toList();
    }

    @Test
    void aTransactionThatTookItsNumberEarlierButCommitsLaterIsNotSkipped() throws Exception {
        UUID[] uc = userWithCalendar();
        ChangeLog.Position start = log.now();
        try (Connection a = connect();
                Connection b = connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().execute("SELECT pg_current_xact_id()"); // A begins first
            UUID fromB = insertEvent(b, uc[1]);
            b.commit(); // B commits first, with the smaller seq
            UUID fromA = insertEvent(a, uc[1]);

            ChangeLog.Page whileAIsOpen = log.read(uc[0], start, 100);
            assertThat(eventIds(whileAIsOpen))
                    .as("B's change waits behind A, which may still commit")
                    .isEmpty();

            a.commit();
            ChangeLog.Page afterA = log.read(uc[0], whileAIsOpen.next(), 100);
            assertThat(eventIds(afterA)).containsExactly(fromA, fromB);
            assertThat(eventIds(log.read(uc[0], afterA.next(), 100))).isEmpty();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(5) // interleavings differ from run to run
    void concurrentWritersAreReadExactlyOnceWhileTheyWrite() throws Exception {
        UUID[] uc = userWithCalendar();
        ChangeLog.Position start = log.now();
        List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        List<UUID> read = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                Random r = new Random(seed);
                try (Connection c = connect()) {
                    c.setAutoCommit(false);
                    for (int t = 0; t < 40; t++) {
                        List<UUID> mine = new ArrayList<>();
                        int n = 1 + r.nextInt(3);
                        for (int i = 0; i < n; i++) {
                            mine.add(insertEvent(c, uc[1]));
                            Thread.sleep(r.nextInt(4));
                        }
                        if (r.nextInt(10) == 0) {
                            c.rollback(); // rolled back: never a change
                        } else {
                            c.commit();
                            written.addAll(mine);
                        }
                    }
                }
                return null;
            }));
        }
        Future<?> reader = pool.submit(() -> {
            ChangeLog.Position at = start;
            boolean last = false;
            while (true) {
                ChangeLog.Page page = log.read(uc[0], at, 7);
                read.addAll(eventIds(page));
                at = page.next();
                if (!page.hasMore()) {
                    if (last) {
                        return null;
                    }
                    if (!writing.get()) {
                        last = true; // one more full read after every writer finished
                    }
                    Thread.sleep(2);
                }
            }
        });
        for (Future<?> f : writers) {
            f.get();
        }
        writing.set(false);
        reader.get();
        pool.shutdown();

        assertThat(written).hasSizeGreaterThan(100);
        assertThat(read).as("no change read twice").doesNotHaveDuplicates();
        assertThat(new HashSet<>(read)).as("every committed change read").isEqualTo(new HashSet<>(written));
    }

    @Test
    void removingACalendarLogsEachOfItsEventsOnceAndAnotherUsersChangesStayApart() throws Exception {
        UUID[] ada = userWithCalendar();
        UUID[] eve = userWithCalendar();
        List<UUID> events = new ArrayList<>();
        UUID evesEvent;
        try (Connection c = connect()) {
            for (int i = 0; i < 3; i++) {
                events.add(insertEvent(c, ada[1]));
            }
            evesEvent = insertEvent(c, eve[1]);
        }
        ChangeLog.Position start = log.now();
        try (Connection c = connect()) {
            c.createStatement().execute("DELETE FROM calendar_connections WHERE id = '" + ada[1] + "'");
        }
        ChangeLog.Page page = log.read(ada[0], start, 100);
        assertThat(page.changes().stream().filter(x -> !x.ofCalendar()).map(ChangeLog.Change::kind))
                .containsOnly("DELETED");
        assertThat(eventIds(page)).containsExactlyInAnyOrderElementsOf(events);
        assertThat(page.changes().stream().filter(ChangeLog.Change::ofCalendar)).hasSize(1);
        assertThat(eventIds(log.read(eve[0], start, 100)))
                .doesNotContain(evesEvent)
                .isEmpty();
    }
}
