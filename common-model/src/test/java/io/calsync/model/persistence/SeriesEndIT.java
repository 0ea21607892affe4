package io.calsync.model.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The series end the V12 trigger derives, whoever writes the row: from UNTIL (its day plus two days plus the
 * occurrence's length, so that no time of day or zone can end later), unknown for COUNT, endless and RDATE series,
 * and recomputed when the rule changes.
 */
class SeriesEndIT {

    static JdbcTemplate jdbc;
    static UUID calendar;

    @BeforeAll
    static void schema() {
        Database db = TestInfrastructure.newDatabase();
        SchemaMigrationIT.flyway(db).migrate();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        UUID user =
                jdbc.queryForObject("INSERT INTO calendar_users (email) VALUES ('s@x.test') RETURNING id", UUID.class);
        calendar = jdbc.queryForObject(
                "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name)"
                        + " VALUES (?, 'GOOGLE', 'c', 'C') RETURNING id",
                UUID.class,
                user);
    }

    static UUID master(String rule, String... lines) {
        return jdbc.queryForObject(
                "INSERT INTO calendar_events (connection_id, title, start_time, end_time, recurrence_rule, recurrence)"
                        + " VALUES (?, 'S', '2026-01-05T22:30:00Z', '2026-01-06T00:30:00Z', ?, ?) RETURNING id",
                UUID.class,
                calendar,
                rule,
                lines);
    }

    static Instant end(UUID id) {
        Timestamp t = jdbc.queryForObject("SELECT series_end FROM calendar_events WHERE id = ?", Timestamp.class, id);
        return t == null ? null : t.toInstant();
    }

    @Test
    void untilGivesAnEndThatNoOccurrenceOutlasts() {
        UUID weekly = master("FREQ=WEEKLY;UNTIL=20260302T223000Z", "RRULE:FREQ=WEEKLY;UNTIL=20260302T223000Z");
        // the last occurrence starts 2026-03-02 22:30 and ends 2026-03-03 00:30; the end is 2026-03-04 02:00
        assertThat(end(weekly)).isEqualTo(Instant.parse("2026-03-04T02:00:00Z"));
        assertThat(end(weekly)).isAfter(Instant.parse("2026-03-03T00:30:00Z"));
        UUID allDay = master("FREQ=DAILY;UNTIL=20260110");
        assertThat(end(allDay)).isEqualTo(Instant.parse("2026-01-12T02:00:00Z"));
    }

    @Test
    void countEndlessAndRdateSeriesHaveNoKnownEnd() {
        assertThat(end(master("FREQ=DAILY;COUNT=10"))).isNull();
        assertThat(end(master("FREQ=MONTHLY;BYMONTHDAY=5"))).isNull();
        assertThat(end(master(
                        "FREQ=WEEKLY;UNTIL=20260302T223000Z",
                        "RRULE:FREQ=WEEKLY;UNTIL=20260302T223000Z",
                        "RDATE:20261224T223000Z")))
                .isNull();
        assertThat(jdbc.queryForObject(
                        "INSERT INTO calendar_events (connection_id, title, start_time, end_time)"
                                + " VALUES (?, 'single', now(), now()) RETURNING series_end",
                        Timestamp.class,
                        calendar))
                .isNull();
    }

    @Test
    void aChangedRuleMovesTheEnd() {
        UUID s = master("FREQ=DAILY;UNTIL=20260110T000000Z");
        jdbc.update("UPDATE calendar_events SET recurrence_rule = 'FREQ=DAILY;UNTIL=20260210T000000Z' WHERE id = ?", s);
        assertThat(end(s)).isEqualTo(Instant.parse("2026-02-12T02:00:00Z"));
        jdbc.update("UPDATE calendar_events SET recurrence_rule = 'FREQ=DAILY' WHERE id = ?", s);
        assertThat(end(s)).isNull();
    }
}
