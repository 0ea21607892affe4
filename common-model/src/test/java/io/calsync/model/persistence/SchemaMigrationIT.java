package io.calsync.model.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The Flyway schema on a real PostgreSQL: from empty, again, and on top of the old system's tables. */
class SchemaMigrationIT {

    static final List<String> TABLES = List.of(
            "calendar_users",
            "calendar_connections",
            "calendar_events",
            "calendar_sessions",
            "oauth_states",
            "webhook_subscriptions",
            "event_attendees",
            "event_reminders",
            "calendar_audit_logs",
            "outbox",
            "processed_messages",
            "shedlock");

    static Flyway flyway(Database db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("classpath:db/migration")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    @Test
    void migratesAnEmptyDatabaseAndMigratingAgainIsANoOp() throws SQLException {
        Database db = TestInfrastructure.newDatabase();
        MigrateResult first = flyway(db).migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted)
                .as(
                        "V1 schema, V2 relay offsets, V3 poller marks, V4 outbox trace, V5 availability and sync state, V6 change log, V7 busy index, V8 idempotency keys, V9 rsvp, V10 user subject, V11 stuck writes, V12 series end, V13 caldav:"
                                + " every migration from this module")
                .isEqualTo(13);

        MigrateResult second = flyway(db).migrate();
        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();

        try (Connection c = db.connect()) {
            assertThat(tables(c)).containsAll(TABLES);
            assertThat(enumValues(c, "calendar_provider"))
                    .containsExactly("GOOGLE", "MICROSOFT", "APPLE", "ICS", "CALDAV");
            assertThat(enumValues(c, "sync_status")).containsExactly("PENDING", "SYNCED", "FAILED", "DELETED");
            assertThat(enumValues(c, "rsvp_status"))
                    .containsExactly("NEEDS_ACTION", "ACCEPTED", "DECLINED", "TENTATIVE");
            assertThat(enumValues(c, "recurrence_frequency")).containsExactly("DAILY", "WEEKLY", "MONTHLY", "YEARLY");
            assertThat(indexes(c, "calendar_events"))
                    .contains("ux_calendar_events_provider_id", "ix_calendar_events_connection_start");
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT is_nullable FROM information_schema.columns"
                            + " WHERE table_name = 'outbox' AND column_name = 'traceparent'")) {
                assertThat(rs.next()).as("outbox.traceparent (V4)").isTrue();
                assertThat(rs.getString(1)).isEqualTo("YES");
            }
        }
    }

    /**
     * The released migrations as a database migrated before they were gathered into this module recorded them
     * (V2 lived in platform until then). Flyway validates an applied migration by version, description and checksum,
     * and a move between modules changes none of them: this pins that, so such a database keeps validating.
     */
    static final Map<String, Integer> RELEASED = Map.of(
            "1", 1112506373,
            "2", -126609652,
            "3", 592744504,
            "4", 1422696655);

    @Test
    void aDatabaseMigratedBeforeTheMigrationsMovedValidatesAfter() throws SQLException {
        Database db = TestInfrastructure.newDatabase();
        flyway(db).migrate();
        Map<String, Integer> applied = new java.util.TreeMap<>();
        for (MigrationInfo m : flyway(db).info().applied()) {
            applied.put(m.getVersion().getVersion(), m.getChecksum());
        }
        assertThat(applied).containsAllEntriesOf(RELEASED);
        // The history as the old layout wrote it: same versions, descriptions and checksums. Validation passes.
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE flyway_schema_history SET installed_by = 'before-the-move'");
        }
        assertThat(flyway(db).validateWithResult().validationSuccessful).isTrue();
        // ...and it would fail if a released migration were edited: Flyway's own check, kept on.
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
        }
        assertThat(flyway(db).validateWithResult().validationSuccessful).isFalse();
    }

    @Test
    void appliesOnTopOfTheOldSystemsTablesAndKeepsTheirRows() throws SQLException {
        Database db = TestInfrastructure.newDatabase();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            // The old Express service's shape: the enum types, and tables without the new sync-state columns.
            s.execute("CREATE TYPE calendar_provider AS ENUM ('GOOGLE','MICROSOFT','APPLE','ICS')");
            s.execute("CREATE TYPE sync_status AS ENUM ('PENDING','SYNCED','FAILED','DELETED')");
            s.execute("CREATE TYPE event_status AS ENUM ('CONFIRMED','TENTATIVE','CANCELLED')");
            s.execute("CREATE TABLE calendar_users (id uuid PRIMARY KEY, email varchar(320) NOT NULL UNIQUE,"
                    + " created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
            s.execute(
                    "CREATE TABLE calendar_connections (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES calendar_users(id),"
                            + " provider calendar_provider NOT NULL, provider_calendar_id varchar(1024) NOT NULL,"
                            + " calendar_name varchar(512) NOT NULL, account_email varchar(320), color varchar(32),"
                            + " is_primary boolean NOT NULL DEFAULT false, is_read_only boolean NOT NULL DEFAULT false,"
                            + " is_connected boolean NOT NULL DEFAULT true, sync_status sync_status NOT NULL DEFAULT 'PENDING',"
                            + " last_synced_at timestamptz, last_sync_error text, ics_url text, access_token text,"
                            + " refresh_token text, token_expires_at timestamptz,"
                            + " created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
            s.execute(
                    "INSERT INTO calendar_users (id, email) VALUES ('11111111-1111-1111-1111-111111111111', 'old@example.com')");
            s.execute("INSERT INTO calendar_connections (id, user_id, provider, provider_calendar_id, calendar_name)"
                    + " VALUES ('22222222-2222-2222-2222-222222222222', '11111111-1111-1111-1111-111111111111',"
                    + " 'GOOGLE', 'primary', 'Work')");
        }

        MigrateResult result = flyway(db).migrate();
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted)
                .as(
                        "V1 schema, V2 relay offsets, V3 poller marks, V4 outbox trace, V5 availability and sync state, V6 change log, V7 busy index, V8 idempotency keys, V9 rsvp, V10 user subject, V11 stuck writes, V12 series end, V13 caldav")
                .isEqualTo(13);

        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            assertThat(tables(c)).containsAll(TABLES);
            ResultSet rs = s.executeQuery("SELECT calendar_name, google_sync_token, consecutive_failures, version"
                    + " FROM calendar_connections WHERE id = '22222222-2222-2222-2222-222222222222'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Work");
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.getInt(3)).isZero();
            assertThat(rs.getLong(4)).isZero();
            ResultSet state = s.executeQuery("SELECT initial_sync_state, push_state FROM calendar_connections"
                    + " WHERE id = '22222222-2222-2222-2222-222222222222'");
            assertThat(state.next()).isTrue();
            assertThat(state.getString(1))
                    .as("never synced: its initial sync is to come")
                    .isEqualTo("QUEUED");
            assertThat(state.getString(2)).isNull();
            ResultSet users = s.executeQuery("SELECT count(*) FROM calendar_users");
            users.next();
            assertThat(users.getInt(1)).isEqualTo(1);
        }
        assertThat(flyway(db).migrate().migrationsExecuted).isZero();
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs =
                c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> indexes(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = c.createStatement()
                .executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = '" + table + "'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> enumValues(Connection c, String type) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = c.createStatement()
                .executeQuery("SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                        + " WHERE t.typname = '" + type + "' ORDER BY e.enumsortorder")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
