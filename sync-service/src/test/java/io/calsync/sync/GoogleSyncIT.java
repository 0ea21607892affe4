package io.calsync.sync;

import static io.calsync.providers.google.GoogleSandbox.control;
import static io.calsync.providers.google.GoogleSandbox.deleteAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.patchAtGoogle;
import static io.calsync.providers.google.GoogleSandbox.seedId;
import static io.calsync.providers.google.GoogleSandbox.storedEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.kafka.MessagePublisher;
import io.calsync.providers.google.GoogleSandbox;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
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
import tools.jackson.databind.JsonNode;

/**
 * The whole engine against the fake Google: the real sync-service (Kafka listener, engine, store, write-back) on the
 * real broker and PostgreSQL, driven by the messages the other services send, checked in the rows the gateway reads.
 */
@SpringBootTest(
        classes = SyncApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "calsync.sync.provider-base-delay=20ms",
            // its own consumer group: other test classes' sync contexts in this JVM share the broker
            "calsync.sync.consumer-group=google-sync-it",
            "calsync.sync.provider-max-delay=2s",
            "GOOGLE_CLIENT_ID=sandbox-google-client",
            "GOOGLE_CLIENT_SECRET=sandbox-google-secret"
        })
class GoogleSyncIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
        registry.add("GOOGLE_API_BASE_URL", () -> GoogleSandbox.sandbox().baseUrl() + "/google/");
        registry.add("GOOGLE_TOKEN_URI", () -> GoogleSandbox.sandbox().baseUrl() + "/google/token");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MessagePublisher publisher;

    @Autowired
    TokenCipher cipher;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    GoogleSandbox.Account account;
    UUID user;
    UUID connection;

    @BeforeEach
    void aConnectedGoogleCalendar() {
        account = GoogleSandbox.newAccount();
        SyncItSupport.Connected c = SyncItSupport.connect(
                jdbc,
                cipher,
                CalendarProvider.GOOGLE,
                account.email(),
                account.email(),
                GoogleSandbox.issueAccessToken(account));
        user = c.user();
        connection = c.connection();
    }

    @Test
    void theInitialSyncLandsSeriesOverridesCancellationsAllDayAndAttendeesAsRows() {
        String cal = account.email();
        String master = seedId(cal, """
                {"summary":"Stand-up",
                 "start":{"dateTime":"2026-12-01T09:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-12-01T09:15:00+01:00","timeZone":"Europe/Berlin"},
                 "recurrence":["RRULE:FREQ=DAILY;COUNT=5"]}
                """);
        patchAtGoogle(cal, master + "_20261202T080000Z", """
                {"summary":"Stand-up (moved)",
                 "start":{"dateTime":"2026-12-02T11:00:00+01:00","timeZone":"Europe/Berlin"},
                 "end":{"dateTime":"2026-12-02T11:15:00+01:00","timeZone":"Europe/Berlin"}}
                """);
        deleteAtGoogle(cal, master + "_20261203T080000Z");
        seedId(cal, """
                {"summary":"Offsite","start":{"date":"2026-12-10"},"end":{"date":"2026-12-12"}}
                """);
        seedId(cal, """
                {"summary":"Review","start":{"dateTime":"2026-12-05T14:00:00Z"},"end":{"dateTime":"2026-12-05T15:00:00Z"},
                 "attendees":[{"email":"ann@example.test","responseStatus":"accepted"},
                              {"email":"bob@example.test","responseStatus":"tentative","optional":true}],
                 "reminders":{"useDefault":false,"overrides":[{"method":"popup","minutes":15}]}}
                """);

        publisher.publishAndWait(
                new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.GOOGLE),
                WAIT);
        awaitSynced();

        Map<String, Map<String, Object>> rows = rowsByTitle();
        assertThat(rows.keySet()).containsExactlyInAnyOrder("Stand-up", "Stand-up (moved)", "Offsite", "Review");
        Object masterRow = rows.get("Stand-up").get("id");
        assertThat(rows.get("Stand-up").get("recurrence_rule")).isEqualTo("FREQ=DAILY;COUNT=5");
        assertThat(rows.get("Stand-up").get("timezone")).isEqualTo("Europe/Berlin");
        assertThat(rows.get("Stand-up (moved)").get("recurring_event_id")).isEqualTo(masterRow);
        assertThat(((java.sql.Timestamp) rows.get("Stand-up (moved)").get("original_start_time")).toInstant())
                .isEqualTo(Instant.parse("2026-12-02T08:00:00Z")); // 09:00 in Berlin
        Map<String, Object> cancelled = jdbc.queryForMap(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND status = 'CANCELLED'", connection);
        assertThat(cancelled.get("recurring_event_id")).isEqualTo(masterRow);
        assertThat(cancelled.get("provider_event_id")).isEqualTo(master + "_20261203T080000Z");
        assertThat(rows.get("Offsite").get("is_all_day")).isEqualTo(true);
        assertThat(rows.get("Offsite").get("start_date").toString()).isEqualTo("2026-12-10");
        assertThat(rows.get("Offsite").get("end_date").toString()).isEqualTo("2026-12-12");
        assertThat(jdbc.queryForList(
                        "SELECT email || ':' || response_status || ':' || optional FROM event_attendees WHERE event_id = ?",
                        String.class,
                        rows.get("Review").get("id")))
                .containsExactlyInAnyOrder("ann@example.test:ACCEPTED:false", "bob@example.test:TENTATIVE:true");
        assertThat(jdbc.queryForObject(
                        "SELECT minutes_before FROM event_reminders WHERE event_id = ?",
                        Integer.class,
                        rows.get("Review").get("id")))
                .isEqualTo(15);
        Map<String, Object> c = connectionRow();
        assertThat(c.get("google_sync_token")).isNotNull();
        assertThat(c.get("last_sync_error")).isNull();
        assertThat(c.get("event_count")).isEqualTo(4);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_audit_logs WHERE user_id = ? AND action = 'calendar.sync'",
                        Integer.class,
                        user))
                .isEqualTo(1);
        assertThat(meters.find("calsync.sync.duration")
                        .tag("provider", "GOOGLE")
                        .timer())
                .isNotNull()
                .satisfies(t -> assertThat(t.count()).isPositive());
        assertThat(meters.find("calsync.sync.events.upserted")
                        .tag("provider", "GOOGLE")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(5);
        assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges())
                .as("consumer lag is exported")
                .isNotEmpty();
    }

    @Test
    void aChangeAtGoogleAndItsNotificationsShowUpOnceCoalescedAndAStaleCursorRecoversInFull() {
        String cal = account.email();
        String id = seedId(cal, """
                {"summary":"Before","start":{"dateTime":"2026-12-05T14:00:00Z"},"end":{"dateTime":"2026-12-05T15:00:00Z"}}
                """);
        initialSync();

        patchAtGoogle(cal, id, """
                {"summary":"After"}
                """);
        for (int i = 0; i < 5; i++) { // a burst of pushes for one change
            notifyChange();
        }
        await().atMost(WAIT).until(() -> titles().equals(List.of("After")));

        control("POST", "/control/google/calendars/" + cal + "/invalidate-sync-tokens", null);
        String other = seedId(cal, """
                {"summary":"New","start":{"dateTime":"2026-12-06T14:00:00Z"},"end":{"dateTime":"2026-12-06T15:00:00Z"}}
                """);
        deleteAtGoogle(cal, id);
        notifyChange();
        await().atMost(WAIT).until(() -> titles().equals(List.of("New")));
        assertThat(jdbc.queryForObject(
                        "SELECT provider_event_id FROM calendar_events WHERE connection_id = ?",
                        String.class,
                        connection))
                .isEqualTo(other);
    }

    @Test
    void rateLimitBurstsAreSurvived() {
        seedId(account.email(), """
                {"summary":"Busy","start":{"dateTime":"2026-12-05T14:00:00Z"},"end":{"dateTime":"2026-12-05T15:00:00Z"}}
                """);
        GoogleSandbox.fault("GET", ".*/events", "RATE_LIMIT", 429, 1, 3);
        try {
            initialSync();
            assertThat(titles()).containsExactly("Busy");
        } finally {
            control("DELETE", "/control/faults", null);
        }
    }

    @Test
    void aLongRetryAfterMovesTheSyncInsteadOfHoldingThePartition() {
        seedId(account.email(), """
                {"summary":"Later","start":{"dateTime":"2026-12-05T14:00:00Z"},"end":{"dateTime":"2026-12-05T15:00:00Z"}}
                """);
        // A server that asks for two minutes: more than a consumer thread may wait
        // (calsync.sync.provider-max-inline-wait).
        GoogleSandbox.fault("GET", ".*/events", "RATE_LIMIT", 429, 120, 1);
        try {
            long t0 = System.nanoTime();
            Instant before = Instant.now();
            publisher.publishAndWait(
                    new ConnectionCreated(
                            UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.GOOGLE),
                    WAIT);
            await().atMost(WAIT).until(() -> connectionRow().get("next_refresh_at") != null);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertThat(seconds)
                    .as("the message was done at once, not after the server's two minutes")
                    .isLessThan(30);
            Instant retryAt = ((java.sql.Timestamp) connectionRow().get("next_refresh_at")).toInstant();
            // Retry-After is honoured up to 4 x provider-max-delay (2 s here, so 8 s): past the 5 s a consumer may
            // wait.
            assertThat(retryAt).isBetween(before.plusSeconds(5), before.plusSeconds(130));
            assertThat(connectionRow().get("last_sync_error").toString()).contains("asked to wait");
            assertThat(titles()).as("nothing stored yet").isEmpty();
        } finally {
            control("DELETE", "/control/faults", null);
        }
        // The poller's request when due (here: at once) syncs it.
        jdbc.update("UPDATE calendar_connections SET next_refresh_at = NULL WHERE id = ?", connection);
        publisher.publishAndWait(SyncRequested.of(connection, user, SyncRequested.Reason.RETRY, "test"), WAIT);
        awaitSynced();
        assertThat(titles()).containsExactly("Later");
    }

    @Test
    void localCreateUpdateAndDeleteReachGoogleOnceAndTheEchoMakesNoDuplicate() {
        initialSync();
        UUID local = jdbc.queryForObject("""
                INSERT INTO calendar_events (connection_id, title, start_time, end_time, timezone, sync_status,
                  pending_operation)
                VALUES (?, 'Made here', '2026-12-08T10:00:00Z', '2026-12-08T11:00:00Z', 'UTC', 'PENDING', 'CREATE')
                RETURNING id
                """, UUID.class, connection);
        command(local, EventCommand.Action.CREATE);
        await().atMost(WAIT).until(() -> "SYNCED".equals(eventStatus(local)));
        String providerId =
                jdbc.queryForObject("SELECT provider_event_id FROM calendar_events WHERE id = ?", String.class, local);
        assertThat(liveAtGoogle()).extracting(e -> e.get("id").stringValue()).containsExactly(providerId);

        command(local, EventCommand.Action.CREATE); // the same command again, as after a redelivery
        notifyChange(); // the echo of our own write
        await().atMost(WAIT).until(() -> processedAll());
        assertThat(liveAtGoogle()).hasSize(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE connection_id = ?", Integer.class, connection))
                .isEqualTo(1);

        jdbc.update(
                "UPDATE calendar_events SET title = 'Renamed here', sync_status = 'PENDING', pending_operation = 'UPDATE',"
                        + " updated_at = now(), version = version + 1 WHERE id = ?",
                local);
        command(local, EventCommand.Action.UPDATE);
        await().atMost(WAIT)
                .until(() -> liveAtGoogle().stream()
                        .anyMatch(e -> e.get("summary").stringValue().equals("Renamed here")));
        await().atMost(WAIT).until(() -> "SYNCED".equals(eventStatus(local)));

        jdbc.update(
                "UPDATE calendar_events SET sync_status = 'PENDING', pending_operation = 'DELETE' WHERE id = ?", local);
        command(local, EventCommand.Action.DELETE);
        await().atMost(WAIT).until(() -> liveAtGoogle().isEmpty());
        await().atMost(WAIT).until(() -> eventStatus(local) == null);
    }

    // ------------------------------------------------------------------ helpers

    private void initialSync() {
        publisher.publishAndWait(
                new ConnectionCreated(UUID.randomUUID(), 1, Instant.now(), connection, user, CalendarProvider.GOOGLE),
                WAIT);
        awaitSynced();
    }

    private void awaitSynced() {
        await().atMost(WAIT)
                .until(() -> "SYNCED".equals(connectionRow().get("sync_status").toString()));
    }

    private void notifyChange() {
        publisher.publishAndWait(SyncItSupport.googleChange(connection), WAIT);
    }

    private void command(UUID local, EventCommand.Action action) {
        publisher.publishAndWait(EventCommand.of(connection, user, local, action, "req-it"), WAIT);
    }

    private boolean processedAll() {
        // every message sent for this connection so far was handled: nothing PENDING, the last sync recent
        return jdbc.queryForObject(
                        "SELECT count(*) FROM calendar_events WHERE connection_id = ? AND sync_status = 'PENDING'",
                        Integer.class,
                        connection)
                == 0;
    }

    private List<JsonNode> liveAtGoogle() {
        return storedEvents(account.email()).stream()
                .filter(e -> !"cancelled".equals(e.path("status").stringValue("")))
                .toList();
    }

    private String eventStatus(UUID id) {
        List<String> s =
                jdbc.queryForList("SELECT sync_status::text FROM calendar_events WHERE id = ?", String.class, id);
        return s.isEmpty() ? null : s.get(0);
    }

    private Map<String, Object> connectionRow() {
        return jdbc.queryForMap("SELECT * FROM calendar_connections WHERE id = ?", connection);
    }

    private List<String> titles() {
        return jdbc.queryForList(
                "SELECT title FROM calendar_events WHERE connection_id = ? AND status <> 'CANCELLED' ORDER BY title",
                String.class,
                connection);
    }

    private Map<String, Map<String, Object>> rowsByTitle() {
        Map<String, Map<String, Object>> out = new java.util.HashMap<>();
        for (Map<String, Object> r : jdbc.queryForList(
                "SELECT * FROM calendar_events WHERE connection_id = ? AND status <> 'CANCELLED'", connection)) {
            out.put((String) r.get("title"), r);
        }
        return out;
    }
}
