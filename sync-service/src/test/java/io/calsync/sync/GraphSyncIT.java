package io.calsync.sync;

import static io.calsync.providers.microsoft.GraphSandbox.cancelOccurrence;
import static io.calsync.providers.microsoft.GraphSandbox.deleteInOutlook;
import static io.calsync.providers.microsoft.GraphSandbox.invalidateDeltaTokens;
import static io.calsync.providers.microsoft.GraphSandbox.makeException;
import static io.calsync.providers.microsoft.GraphSandbox.patchInOutlook;
import static io.calsync.providers.microsoft.GraphSandbox.seed;
import static io.calsync.providers.microsoft.GraphSandbox.storedEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.providers.microsoft.GraphSandbox;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole engine against the fake Outlook, driven through Kafka, checked in the rows the gateway reads. */
@SpringBootTest(
        classes = SyncApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.provider-base-delay=20ms",
            "calsync.sync.provider-max-delay=2s",
            // A public address nobody answers at: Graph's validation handshake fails, so push cannot be opened.
            "API_URL=http://127.0.0.1:9",
            // its own consumer group: other test classes' sync contexts in this JVM share the broker
            "calsync.sync.consumer-group=graph-sync-it"
        })
class GraphSyncIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
        registry.add("MICROSOFT_GRAPH_BASE_URL", () -> GraphSandbox.sandbox().baseUrl() + "/graph/v1.0");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MessagePublisher publisher;

    @Autowired
    TokenCipher cipher;

    GraphSandbox.Account account;
    UUID user;
    UUID connection;

    @BeforeEach
    void aConnectedOutlookCalendar() {
        account = GraphSandbox.newAccount();
        SyncItSupport.Connected c = SyncItSupport.connect(
                jdbc,
                cipher,
                CalendarProvider.MICROSOFT,
                account.calendarId(),
                account.email(),
                GraphSandbox.issueAccessToken(account));
        user = c.user();
        connection = c.connection();
    }

    @Test
    void theInitialSyncLandsAWindowsZoneSeriesWithItsExceptionAndCancellationAndAnAllDayEvent() {
        String series = seed(account, """
                        {"subject":"1:1","start":{"dateTime":"2026-12-01T10:00:00","timeZone":"Pacific Standard Time"},
                         "end":{"dateTime":"2026-12-01T10:30:00","timeZone":"Pacific Standard Time"},
                         "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["tuesday"]},
                                       "range":{"type":"numbered","startDate":"2026-12-01","numberOfOccurrences":4}}}""").get("id").stringValue();
        makeException(series, "2026-12-08T18:00:00Z", """
                {"subject":"1:1 (moved)","start":{"dateTime":"2026-12-09T11:00:00","timeZone":"Pacific Standard Time"},
                 "end":{"dateTime":"2026-12-09T11:30:00","timeZone":"Pacific Standard Time"}}""");
        cancelOccurrence(series, "2026-12-15T18:00:00Z");
        seed(account, """
                {"subject":"Offsite","isAllDay":true,"start":{"dateTime":"2026-12-10T00:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"2026-12-12T00:00:00","timeZone":"UTC"}}""");

        initialSync();

        Map<String, Object> master = jdbc.queryForMap(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND recurrence_rule IS NOT NULL", connection);
        assertThat((String) master.get("recurrence_rule"))
                .contains("FREQ=WEEKLY")
                .contains("BYDAY=TU");
        assertThat(master.get("timezone")).isEqualTo("America/Los_Angeles");
        assertThat(((Timestamp) master.get("start_time")).toInstant()).isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
        Map<String, Object> moved = jdbc.queryForMap(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND title = '1:1 (moved)'", connection);
        assertThat(moved.get("recurring_event_id")).isEqualTo(master.get("id"));
        assertThat(((Timestamp) moved.get("original_start_time")).toInstant())
                .isEqualTo(Instant.parse("2026-12-08T18:00:00Z"));
        boolean cancelledAsExdate = String.join(
                        ",",
                        jdbc.queryForObject(
                                "SELECT array_to_string(recurrence, ',') FROM calendar_events WHERE id = ?",
                                String.class,
                                master.get("id")))
                .contains("20261215");
        boolean cancelledAsRow = jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE recurring_event_id = ? AND status = 'CANCELLED'"
                                + " AND original_start_time = '2026-12-15T18:00:00Z'",
                        Integer.class,
                        master.get("id"))
                == 1;
        assertThat(cancelledAsExdate || cancelledAsRow)
                .as("the cancelled occurrence is excluded (EXDATE or cancelled row)")
                .isTrue();
        Map<String, Object> offsite = jdbc.queryForMap(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND title = 'Offsite'", connection);
        assertThat(offsite.get("is_all_day")).isEqualTo(true);
        assertThat(offsite.get("start_date").toString()).isEqualTo("2026-12-10");
        assertThat(offsite.get("end_date").toString()).isEqualTo("2026-12-12");
        assertThat(jdbc.queryForObject(
                        "SELECT graph_delta_link FROM calendar_connections WHERE id = ?", String.class, connection))
                .isNotBlank();
    }

    @Test
    void theSyncStateTellsTheInitialSyncAndAPushGraphRefused() {
        for (int i = 0; i < 3; i++) {
            seed(account, """
                    {"subject":"Planning %d","start":{"dateTime":"2026-12-0%dT14:00:00","timeZone":"UTC"},
                     "end":{"dateTime":"2026-12-0%dT15:00:00","timeZone":"UTC"}}""".formatted(i, i + 2, i + 2));
        }
        Map<String, Object> before = jdbc.queryForMap(
                "SELECT initial_sync_state, last_attempt_at, push_state FROM calendar_connections WHERE id = ?",
                connection);
        assertThat(before.get("initial_sync_state"))
                .as("a new connection waits for its initial sync")
                .isEqualTo("QUEUED");
        assertThat(before.get("last_attempt_at")).isNull();

        initialSync();

        Map<String, Object> after = jdbc.queryForMap(
                "SELECT initial_sync_state, initial_sync_events, initial_sync_started_at, initial_sync_finished_at,"
                        + " last_attempt_at, last_synced_at FROM calendar_connections WHERE id = ?",
                connection);
        assertThat(after.get("initial_sync_state")).isEqualTo("DONE");
        assertThat(after.get("initial_sync_events")).isEqualTo(3);
        Instant started = ((Timestamp) after.get("initial_sync_started_at")).toInstant();
        Instant finished = ((Timestamp) after.get("initial_sync_finished_at")).toInstant();
        assertThat(finished).isAfterOrEqualTo(started);
        assertThat(((Timestamp) after.get("last_attempt_at")).toInstant()).isEqualTo(started);
        // Graph refuses the subscription (its handshake gets no answer): the calendar is polled instead, and says why.
        await().atMost(WAIT)
                .until(() -> "DEGRADED"
                        .equals(jdbc.queryForObject(
                                "SELECT push_state FROM calendar_connections WHERE id = ?", String.class, connection)));
        assertThat(jdbc.queryForObject(
                        "SELECT push_error FROM calendar_connections WHERE id = ?", String.class, connection))
                .startsWith("push could not be opened")
                .doesNotContain("Bearer", "eyJ");

        // A later pass is no initial sync: the state stays DONE, the attempt moves.
        notifyChange();
        await().atMost(WAIT)
                .until(() -> jdbc.queryForObject(
                                "SELECT last_attempt_at FROM calendar_connections WHERE id = ?",
                                Timestamp.class,
                                connection)
                        .toInstant()
                        .isAfter(started));
        assertThat(jdbc.queryForObject(
                        "SELECT initial_sync_state || ':' || initial_sync_events FROM calendar_connections WHERE id = ?",
                        String.class,
                        connection))
                .isEqualTo("DONE:3");
    }

    @Test
    void aChangeAndItsNotificationShowUpAndADeadDeltaLinkRecoversInFull() {
        String id = seed(account, """
                {"subject":"Before","start":{"dateTime":"2026-12-05T14:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"2026-12-05T15:00:00","timeZone":"UTC"}}""").get("id").stringValue();
        initialSync();
        patchInOutlook(id, """
                {"subject":"After"}""");
        notifyChange();
        await().atMost(WAIT).until(() -> titles().equals(List.of("After")));

        invalidateDeltaTokens(account);
        seed(account, """
                {"subject":"New","start":{"dateTime":"2026-12-06T14:00:00","timeZone":"UTC"},
                 "end":{"dateTime":"2026-12-06T15:00:00","timeZone":"UTC"}}""");
        deleteInOutlook(id);
        notifyChange();
        await().atMost(WAIT).until(() -> titles().equals(List.of("New")));
    }

    @Test
    void aLocalCreateReachesOutlookOnceEvenWhenRedeliveredAndEchoed() {
        initialSync();
        UUID local = jdbc.queryForObject("""
                INSERT INTO calendar_events (connection_id, title, start_time, end_time, timezone, sync_status,
                  pending_operation)
                VALUES (?, 'Made here', '2026-12-08T10:00:00Z', '2026-12-08T11:00:00Z', 'UTC', 'PENDING', 'CREATE')
                RETURNING id
                """, UUID.class, connection);
        publisher.publishAndWait(EventCommand.of(connection, user, local, EventCommand.Action.CREATE, "r1"), WAIT);
        await().atMost(WAIT)
                .until(() -> "SYNCED"
                        .equals(jdbc.queryForObject(
                                "SELECT sync_status::text FROM calendar_events WHERE id = ?", String.class, local)));
        publisher.publishAndWait(EventCommand.of(connection, user, local, EventCommand.Action.CREATE, "r2"), WAIT);
        notifyChange();
        await().atMost(WAIT)
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM calendar_audit_logs WHERE user_id = ? AND action = 'calendar.sync'",
                                Integer.class,
                                user)
                        >= 2);
        assertThat(storedEvents(account)).hasSize(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE connection_id = ?", Integer.class, connection))
                .isEqualTo(1);
    }

    private void initialSync() {
        publisher.publishAndWait(
                new ConnectionCreated(
                        UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.MICROSOFT),
                WAIT);
        await().atMost(WAIT)
                .until(() -> "SYNCED"
                        .equals(jdbc.queryForObject(
                                "SELECT sync_status::text FROM calendar_connections WHERE id = ?",
                                String.class,
                                connection)));
    }

    private void notifyChange() {
        publisher.publishAndWait(
                new ProviderNotificationReceived(
                        UUID.randomUUID(),
                        1,
                        Instant.now(),
                        connection,
                        CalendarProvider.MICROSOFT,
                        "sub",
                        "updated",
                        null,
                        null,
                        null),
                WAIT);
    }

    private List<String> titles() {
        return jdbc.queryForList(
                "SELECT title FROM calendar_events WHERE connection_id = ? AND status <> 'CANCELLED' ORDER BY title",
                String.class,
                connection);
    }
}
