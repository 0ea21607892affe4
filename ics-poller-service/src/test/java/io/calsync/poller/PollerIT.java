package io.calsync.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.MessageCodec;
import io.calsync.model.messaging.SubscriptionLifecycleRequested;
import io.calsync.model.messaging.SyncRequested;
import io.calsync.model.messaging.Topics;
import io.calsync.poller.backstop.BackstopSyncJob;
import io.calsync.poller.cleanup.CleanupJob;
import io.calsync.poller.ics.IcsRefreshJob;
import io.calsync.poller.renewal.SubscriptionRenewalJob;
import io.calsync.poller.stuck.StuckWritesJob;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.calsync.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas of the poller on one real PostgreSQL and one real Kafka broker, ticking every second, with a clock
 * the test moves. What they emit is read back from the topics with a plain consumer: every due item is requested
 * exactly once across both replicas, again only once it is due again, each job runs at most once per lock interval,
 * and cleanup removes only what expired.
 */
class PollerIT {

    static final Database DB = TestInfrastructure.newDatabase();
    static final TestClock CLOCK = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static final Duration EVERY = Duration.ofSeconds(1);
    static final Duration LOCK_AT_LEAST_FOR = Duration.ofMillis(900);
    static final String NEW_KEY = "fedcba9876543210fedcba9876543210";
    /** Long enough for a committed outbox row to reach the topic and this test's consumer. */
    static final Duration DELIVERY = Duration.ofSeconds(2);

    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;
    static JdbcTemplate jdbc;

    static final ConcurrentLinkedQueue<CalendarMessage> received = new ConcurrentLinkedQueue<>();
    static volatile boolean consuming = true;
    static Thread consumer;

    @BeforeAll
    static void startTwoReplicas() {
        first = replica();
        second = replica();
        jdbc = first.getBean(JdbcTemplate.class);
        consumer = Thread.ofPlatform().daemon().start(PollerIT::consume);
    }

    /**
     * One replica. Both share the database, the service name and so the relay's slot and leader lock: one of them
     * relays the outbox rows both write, as in production. The clock is the same object in both.
     */
    static ConfigurableApplicationContext replica() {
        String slot = "it_"
                + DB.jdbcUrl().substring(DB.jdbcUrl().lastIndexOf('/') + 1).replaceAll("[^a-z0-9_]", "_");
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port",
                "0",
                "spring.datasource.url",
                DB.jdbcUrl(),
                "spring.datasource.username",
                DB.username(),
                "spring.datasource.password",
                DB.password(),
                "spring.kafka.bootstrap-servers",
                TestInfrastructure.kafkaBootstrapServers(),
                "calsync.outbox.relay.slot-name",
                slot,
                // a rotation in progress: the tests' key is the previous one, a new one is current
                "ENCRYPTION_KEY",
                NEW_KEY,
                "ENCRYPTION_KEY_PREVIOUS",
                TestTokens.ENCRYPTION_KEY));
        for (String job : List.of("ics-refresh", "backstop", "renewal", "cleanup", "key-rotation", "stuck-writes")) {
            properties.put("calsync.poller." + job + ".every", EVERY.toMillis() + "ms");
            properties.put("calsync.poller." + job + ".lock-at-least-for", LOCK_AT_LEAST_FOR.toMillis() + "ms");
        }
        // Arguments, not default properties: these must win over the module's application.yml.
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(IcsPollerApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", CLOCK))
                .run(args);
    }

    static void consume() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "poller-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            // The replicas created the topics at start, before this subscription.
            c.subscribe(List.of(Topics.SYNC_REQUESTS, Topics.SUBSCRIPTION_LIFECYCLE, Topics.EVENT_COMMANDS));
            while (consuming) {
                c.poll(Duration.ofMillis(200)).forEach(r -> received.add(MessageCodec.decode(r.value())));
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        if (consumer != null) {
            consumer.join(5_000);
        }
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {second, first}) {
            if (c != null) {
                c.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void dueIcsFeedsAreRequestedExactlyOnceAcrossBothReplicasAndAgainOnlyWhenDueAgain() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID neverRefreshed = connection(user, "ICS", true, null, null, 0, null);
        UUID due = connection(user, "ICS", true, now.minusSeconds(60), null, 0, null);
        UUID failing = connection(user, "ICS", true, now.minusSeconds(1), null, 2, null);
        UUID hourlyFeed = connection(user, "ICS", true, now.minusSeconds(300), 3600, 0, null);
        UUID notYetDue = connection(user, "ICS", true, now.plus(Duration.ofMinutes(5)), null, 0, null);
        UUID disconnected = connection(user, "ICS", false, null, null, 0, null);
        UUID google = connection(user, "GOOGLE", true, null, null, 0, now);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> List.of(neverRefreshed, due, failing, hourlyFeed).stream()
                        .allMatch(id -> scheduled(id) == 1));
        quietFor(IcsRefreshJob.NAME);

        for (UUID id : List.of(neverRefreshed, due, failing, hourlyFeed)) {
            assertThat(scheduled(id)).as("requests of due feed %s", id).isEqualTo(1);
        }
        assertThat(scheduled(notYetDue)).isZero();
        assertThat(scheduled(disconnected)).isZero();
        assertThat(scheduled(google)).isZero();
        SyncRequested request = syncRequests(due).getFirst();
        assertThat(request.userId()).isEqualTo(user);
        assertThat(request.requestId()).startsWith("poller:ics-refresh:");

        // The next refresh: 15 min plus up to 10% jitter; a feed after two failures 4x that; an hourly feed 1 h.
        assertThat(nextRefreshAt(neverRefreshed)).isBetween(now.plus(minutes(15)), now.plus(minutes(16.5)));
        assertThat(nextRefreshAt(due)).isBetween(now.plus(minutes(15)), now.plus(minutes(16.5)));
        assertThat(nextRefreshAt(failing)).isBetween(now.plus(minutes(60)), now.plus(minutes(66)));
        assertThat(nextRefreshAt(hourlyFeed)).isBetween(now.plus(minutes(60)), now.plus(minutes(66)));
        assertThat(nextRefreshAt(notYetDue)).isEqualTo(now.plus(Duration.ofMinutes(5)));

        CLOCK.advance(Duration.ofMinutes(17));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> scheduled(neverRefreshed) == 2 && scheduled(due) == 2 && scheduled(notYetDue) == 1);
        quietFor(IcsRefreshJob.NAME);

        assertThat(scheduled(neverRefreshed)).isEqualTo(2);
        assertThat(scheduled(due)).isEqualTo(2);
        assertThat(scheduled(notYetDue)).isEqualTo(1);
        assertThat(scheduled(failing)).as("backed off for an hour").isEqualTo(1);
        assertThat(scheduled(hourlyFeed)).as("its REFRESH-INTERVAL is an hour").isEqualTo(1);
        assertThat(scheduled(disconnected)).isZero();
    }

    @Test
    void calDavCalendarsArePolledEveryCalDavPollInterval() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID caldav = connection(user, "CALDAV", true, null, null, 0, null);
        UUID icloud = connection(user, "APPLE", true, now.minusSeconds(10), null, 0, null);
        UUID later = connection(user, "CALDAV", true, now.plus(Duration.ofMinutes(3)), null, 0, null);
        UUID gone = connection(user, "APPLE", false, null, null, 0, null);

        await().atMost(Duration.ofSeconds(60)).until(() -> scheduled(caldav) == 1 && scheduled(icloud) == 1);
        quietFor(IcsRefreshJob.NAME);
        assertThat(scheduled(caldav)).isEqualTo(1);
        assertThat(scheduled(icloud)).isEqualTo(1);
        assertThat(scheduled(later)).isZero();
        assertThat(scheduled(gone)).isZero();
        // CALDAV_POLL_INTERVAL (5 min by default) plus up to 10% jitter: not the feeds' 15 minutes.
        assertThat(nextRefreshAt(caldav)).isBetween(now.plus(minutes(5)), now.plus(minutes(5.5)));
        assertThat(nextRefreshAt(icloud)).isBetween(now.plus(minutes(5)), now.plus(minutes(5.5)));
    }

    @Test
    void stalePushConnectionsGetOneBackstopSyncPerInterval() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID staleGoogle = connection(user, "GOOGLE", true, null, null, 0, now.minus(Duration.ofHours(2)));
        UUID neverSyncedMicrosoft = connection(user, "MICROSOFT", true, null, null, 0, null);
        UUID freshMicrosoft = connection(user, "MICROSOFT", true, null, null, 0, now.minus(Duration.ofMinutes(5)));
        UUID disconnectedGoogle = connection(user, "GOOGLE", false, null, null, 0, now.minus(Duration.ofDays(1)));
        UUID staleIcs =
                connection(user, "ICS", true, now.plus(Duration.ofDays(1)), null, 0, now.minus(Duration.ofDays(1)));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> backstops(staleGoogle) == 1 && backstops(neverSyncedMicrosoft) == 1);
        quietFor(BackstopSyncJob.NAME);

        assertThat(backstops(staleGoogle)).isEqualTo(1);
        assertThat(backstops(neverSyncedMicrosoft)).isEqualTo(1);
        assertThat(backstops(freshMicrosoft)).isZero();
        assertThat(backstops(disconnectedGoogle)).isZero();
        assertThat(backstops(staleIcs))
                .as("ICS feeds are polled, not backstopped")
                .isZero();
        assertThat(syncRequests(staleGoogle).getFirst().requestId()).startsWith("poller:backstop-sync:");

        // sync-service is not running, so nothing synced: half an hour on, all three are stale and asked for again.
        CLOCK.advance(Duration.ofMinutes(31));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> backstops(staleGoogle) == 2
                        && backstops(neverSyncedMicrosoft) == 2
                        && backstops(freshMicrosoft) == 1);
        quietFor(BackstopSyncJob.NAME);

        assertThat(backstops(staleGoogle)).isEqualTo(2);
        assertThat(backstops(neverSyncedMicrosoft)).isEqualTo(2);
        assertThat(backstops(freshMicrosoft)).isEqualTo(1);
        assertThat(backstops(disconnectedGoogle)).isZero();
    }

    @Test
    void tokensUnderThePreviousKeyAreReEncryptedWithTheCurrentOneAndTheGaugeReachesZero() {
        io.calsync.model.security.TokenCipher old =
                io.calsync.model.security.TokenCipher.fromKeyStrings(TestTokens.ENCRYPTION_KEY, List.of());
        io.calsync.model.security.TokenCipher current =
                io.calsync.model.security.TokenCipher.fromKeyStrings(NEW_KEY, List.of(TestTokens.ENCRYPTION_KEY));
        UUID user = user();
        List<UUID> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID c = connection(user, "GOOGLE", i % 2 == 0, null, null, 0, CLOCK.instant());
            jdbc.update(
                    "UPDATE calendar_connections SET access_token = ?, refresh_token = ? WHERE id = ?",
                    i == 4 ? current.encrypt("access-" + i) : old.encrypt("access-" + i),
                    old.encrypt("refresh-" + i),
                    c);
            rows.add(c);
        }
        UUID unreadable = connection(user, "MICROSOFT", true, null, null, 0, CLOCK.instant());
        io.calsync.model.security.TokenCipher lost =
                io.calsync.model.security.TokenCipher.fromKeyStrings("00000000000000000000000000000000", List.of());
        String lostValue = lost.encrypt("x");
        jdbc.update("UPDATE calendar_connections SET refresh_token = ? WHERE id = ?", lostValue, unreadable);
        String currentKid = current.primaryKeyId();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM calendar_connections WHERE id = ANY(?)"
                                        + " AND split_part(refresh_token, '.', 2) = ? AND split_part(access_token, '.', 2) = ?",
                                Integer.class,
                                rows.toArray(UUID[]::new),
                                currentKid,
                                currentKid)
                        == 5);
        for (int i = 0; i < 5; i++) {
            java.util.Map<String, Object> r = jdbc.queryForMap(
                    "SELECT access_token, refresh_token FROM calendar_connections WHERE id = ?", rows.get(i));
            assertThat(current.decrypt((String) r.get("access_token"))).isEqualTo("access-" + i);
            assertThat(current.decrypt((String) r.get("refresh_token"))).isEqualTo("refresh-" + i);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT refresh_token FROM calendar_connections WHERE id = ?", String.class, unreadable))
                .as("a value under a key configured nowhere is left as it was")
                .isEqualTo(lostValue);
        io.micrometer.core.instrument.MeterRegistry meters =
                first.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        io.micrometer.core.instrument.MeterRegistry others =
                second.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        // the unreadable value still counts: the previous key may not be removed while it is there
        await().atMost(Duration.ofSeconds(30)).until(() -> Math.max(gauge(meters), gauge(others)) >= 1);
        jdbc.update("DELETE FROM calendar_connections WHERE id = ?", unreadable);
        // both replicas' last word (a replica that never ran the job says -1)
        await().atMost(Duration.ofSeconds(30)).until(() -> Math.max(gauge(meters), gauge(others)) <= 0);
    }

    static double gauge(io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.Gauge g =
                meters.find("calsync.encryption.previous.key.values").gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    void aConnectionWhosePushIsDegradedIsPolledEveryFewMinutes() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        // Both synced 10 minutes ago: not stale for a push connection (30 min), stale for a degraded one (4 min).
        UUID degraded = connection(user, "MICROSOFT", true, null, null, 0, now.minus(Duration.ofMinutes(10)));
        UUID pushing = connection(user, "GOOGLE", true, null, null, 0, now.minus(Duration.ofMinutes(10)));
        jdbc.update(
                "UPDATE calendar_connections SET push_state = 'DEGRADED', push_error = 'refused' WHERE id = ?",
                degraded);
        jdbc.update("UPDATE calendar_connections SET push_state = 'ACTIVE' WHERE id = ?", pushing);

        await().atMost(Duration.ofSeconds(30)).until(() -> backstops(degraded) == 1);
        quietFor(BackstopSyncJob.NAME);
        assertThat(backstops(degraded))
                .as("asked once per interval, not on every run")
                .isEqualTo(1);
        assertThat(backstops(pushing))
                .as("a live push connection waits for its 30 minutes")
                .isZero();

        // Nothing synced it (no sync-service here): five minutes on it is asked for again, the other still not.
        CLOCK.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> backstops(degraded) == 2);
        quietFor(BackstopSyncJob.NAME);
        assertThat(backstops(degraded)).isEqualTo(2);
        assertThat(backstops(pushing)).isZero();
    }

    @Test
    void aSyncMovedToLaterIsRequestedOnceWhenDue() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        // Synced a minute ago (so no backstop is due), but the provider asked to wait until 10 minutes from now.
        UUID moved = connection(user, "GOOGLE", true, now.plus(Duration.ofMinutes(10)), null, 0, now.minusSeconds(60));
        UUID movedLongAgo = connection(user, "MICROSOFT", true, now.minusSeconds(1), null, 0, now.minusSeconds(60));
        UUID disconnected = connection(user, "GOOGLE", false, now.minusSeconds(1), null, 0, now.minusSeconds(60));

        await().atMost(Duration.ofSeconds(30)).until(() -> retries(movedLongAgo) == 1);
        quietFor(BackstopSyncJob.NAME);
        assertThat(retries(moved)).as("not due yet").isZero();
        assertThat(retries(disconnected)).isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT next_refresh_at FROM calendar_connections WHERE id = ?", Timestamp.class, movedLongAgo))
                .as("the mark is cleared with the request")
                .isNull();

        CLOCK.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(30)).until(() -> retries(moved) == 1);
        quietFor(BackstopSyncJob.NAME);
        assertThat(retries(moved)).isEqualTo(1);
        assertThat(retries(movedLongAgo)).as("asked once, not on every run").isEqualTo(1);
        assertThat(syncRequests(moved).getFirst().requestId()).startsWith("poller:backstop-sync:");
    }

    @Test
    void subscriptionsAreRenewedBeforeExpiryUnderTheTestClock() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID google = connection(user, "GOOGLE", true, null, null, 0, now);
        UUID microsoft = connection(user, "MICROSOFT", true, null, null, 0, now);
        UUID disconnected = connection(user, "MICROSOFT", false, null, null, 0, now);
        String inAnHour = subscription(google, "GOOGLE", "ACTIVE", now.plus(Duration.ofHours(1)));
        String laterOn = subscription(
                microsoft, "MICROSOFT", "ACTIVE", now.plus(Duration.ofHours(12).plusMinutes(10)));
        String stopped = subscription(microsoft, "MICROSOFT", "STOPPED", now.plus(Duration.ofHours(1)));
        String ofDisconnected = subscription(disconnected, "MICROSOFT", "ACTIVE", now.plus(Duration.ofHours(1)));

        await().atMost(Duration.ofSeconds(60)).until(() -> renewals(inAnHour) == 1);
        quietFor(SubscriptionRenewalJob.NAME);

        assertThat(renewals(inAnHour)).isEqualTo(1);
        assertThat(renewals(laterOn))
                .as("12 h 10 min before expiry is not yet within renew-ahead")
                .isZero();
        assertThat(renewals(stopped)).isZero();
        assertThat(renewals(ofDisconnected)).isZero();
        SubscriptionLifecycleRequested renew = lifecycle(inAnHour).getFirst();
        assertThat(renew.connectionId()).isEqualTo(google);
        assertThat(renew.action()).isEqualTo(SubscriptionLifecycleRequested.Action.RENEW);
        assertThat(renew.reason()).isEqualTo(SubscriptionRenewalJob.EXPIRING);

        // Past expires_at - renew-ahead: asked for once, while the first is not asked for again before retry-after.
        CLOCK.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(30)).until(() -> renewals(laterOn) == 1);
        quietFor(SubscriptionRenewalJob.NAME);

        assertThat(renewals(laterOn)).isEqualTo(1);
        assertThat(lifecycle(laterOn).getFirst().connectionId()).isEqualTo(microsoft);
        assertThat(renewals(inAnHour)).isEqualTo(1);

        // Nobody renewed (sync-service is not running): once retry-after (30 min) passed, the first is asked again.
        CLOCK.advance(Duration.ofMinutes(20));
        await().atMost(Duration.ofSeconds(30)).until(() -> renewals(inAnHour) == 2);
        quietFor(SubscriptionRenewalJob.NAME);

        assertThat(renewals(inAnHour)).isEqualTo(2);
        assertThat(renewals(laterOn)).as("asked 20 min ago").isEqualTo(1);
        assertThat(renewals(stopped)).isZero();
        assertThat(renewals(ofDisconnected)).isZero();
    }

    @Test
    void cleanupRemovesOnlyExpiredRows() {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID connection = connection(user, "GOOGLE", true, null, null, 0, now);
        UUID expiredState = oauthState(user, now.minusSeconds(60));
        UUID liveState = oauthState(user, now.plus(Duration.ofMinutes(10)));
        UUID expiredSession = session(user, now.minusSeconds(60));
        UUID liveSession = session(user, now.plus(Duration.ofMinutes(30)));
        String activeLongExpired = subscription(connection, "GOOGLE", "ACTIVE", now.minus(Duration.ofDays(2)));
        String stoppedLongExpired = subscription(connection, "GOOGLE", "STOPPED", now.minus(Duration.ofDays(2)));
        String stoppedRecentlyExpired = subscription(connection, "GOOGLE", "STOPPED", now.minus(Duration.ofHours(2)));
        String active = subscription(connection, "GOOGLE", "ACTIVE", now.plus(Duration.ofDays(1)));
        // processed_at is the database's time (the relay writes it so too): its age is measured there.
        UUID oldProcessed = processed(15);
        UUID recentProcessed = processed(13);
        long oldChange = change(user, connection, now.minus(Duration.ofDays(9)));
        long recentChange = change(user, connection, now.minus(Duration.ofDays(7)));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> !changeExists(oldChange)
                        && !exists("oauth_states", expiredState)
                        && !exists("calendar_sessions", expiredSession)
                        && !subscriptionExists(activeLongExpired)
                        && !subscriptionExists(stoppedLongExpired)
                        && !processedExists(oldProcessed));

        assertThat(exists("oauth_states", liveState)).isTrue();
        assertThat(exists("calendar_sessions", liveSession)).isTrue();
        assertThat(subscriptionExists(stoppedRecentlyExpired))
                .as("kept for a day after expiry")
                .isTrue();
        assertThat(subscriptionExists(active)).isTrue();
        assertThat(processedExists(recentProcessed)).isTrue();
        assertThat(changeExists(recentChange))
                .as("a cursor of 7 days ago must still find its changes")
                .isTrue();
        assertThat(runs(CleanupJob.NAME)).isPositive();
        assertThat(items(CleanupJob.NAME)).isGreaterThanOrEqualTo(5);
    }

    /**
     * A write PENDING for longer than {@code stuck-after} (5 min) since its edit gets its command again after 5, 10,
     * 20 and 40 more minutes, once each time across both replicas, and then becomes FAILED with a STUCK reason; a
     * write edited a minute ago, a synced row and a FAILED one are left alone. Nothing stays PENDING forever.
     */
    @Test
    void aWriteStuckPendingIsSentAgainWithBackoffThenFailed() throws Exception {
        Instant now = CLOCK.instant();
        UUID user = user();
        UUID calendar = connection(user, "GOOGLE", true, null, null, 0, now);
        UUID stuck = event(calendar, "PENDING", "UPDATE", now.minus(Duration.ofMinutes(6)));
        UUID recent = event(calendar, "PENDING", "CREATE", now.minus(Duration.ofMinutes(1)));
        UUID synced = event(calendar, "SYNCED", null, now.minus(Duration.ofHours(1)));

        await().atMost(Duration.ofSeconds(30)).until(() -> commands(stuck).size() == 1);
        quietFor(StuckWritesJob.NAME);
        assertThat(commands(stuck)).hasSize(1);
        assertThat(commands(stuck).getFirst().action()).isEqualTo(EventCommand.Action.UPDATE);
        assertThat(commands(stuck).getFirst().userId()).isEqualTo(user);
        assertThat(commands(recent)).as("edited a minute ago: not stuck").isEmpty();
        assertThat(commands(synced)).isEmpty();

        int sent = 1;
        for (Duration wait : List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20))) {
            CLOCK.advance(wait.minusSeconds(30));
            quietFor(StuckWritesJob.NAME);
            assertThat(commands(stuck)).as("not before its backoff of %s", wait).hasSize(sent);
            CLOCK.advance(Duration.ofSeconds(31));
            int expected = ++sent;
            await().atMost(Duration.ofSeconds(30)).until(() -> commands(stuck).size() == expected);
        }
        assertThat(jdbc.queryForObject(
                        "SELECT sync_status::text FROM calendar_events WHERE id = ?", String.class, stuck))
                .isEqualTo("PENDING");

        CLOCK.advance(Duration.ofMinutes(41));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "FAILED"
                        .equals(jdbc.queryForObject(
                                "SELECT sync_status::text FROM calendar_events WHERE id = ?", String.class, stuck)));
        quietFor(StuckWritesJob.NAME);
        assertThat(commands(stuck)).as("four sends, then given up").hasSize(4);
        assertThat(jdbc.queryForObject("SELECT sync_error FROM calendar_events WHERE id = ?", String.class, stuck))
                .startsWith("STUCK: ");
        assertThat(commands(recent)).as("its own 5 minutes passed meanwhile").isNotEmpty();
        assertThat(commands(synced)).isEmpty();
        double failed = 0;
        for (ConfigurableApplicationContext c : List.of(first, second)) {
            failed += c.getBean(MeterRegistry.class)
                    .get("calsync.writes.swept")
                    .tag("outcome", "failed")
                    .counter()
                    .count();
        }
        assertThat(failed).isGreaterThanOrEqualTo(1.0);
    }

    static UUID event(UUID calendar, String status, String operation, Instant editedAt) {
        return jdbc.queryForObject("""
                INSERT INTO calendar_events (connection_id, title, start_time, end_time, sync_status,
                  pending_operation, updated_at)
                VALUES (?, 'Stuck?', now(), now() + interval '1 hour', ?::sync_status, ?, ?) RETURNING id
                """, UUID.class, calendar, status, operation, timestamp(editedAt));
    }

    static List<EventCommand> commands(UUID event) {
        return received.stream()
                .filter(m -> m instanceof EventCommand c && c.localEventId().equals(event))
                .map(EventCommand.class::cast)
                .toList();
    }

    @Test
    void eachJobRunsAtMostOncePerLockIntervalAcrossBothReplicas() throws Exception {
        List<String> jobs =
                List.of(IcsRefreshJob.NAME, BackstopSyncJob.NAME, SubscriptionRenewalJob.NAME, CleanupJob.NAME);
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream().allMatch(j -> runs(j) > 0));
        Map<String, Long> before = new HashMap<>();
        jobs.forEach(j -> before.put(j, runs(j)));
        long started = System.nanoTime();
        Thread.sleep(8_000);
        Map<String, Long> after = new HashMap<>();
        jobs.forEach(j -> after.put(j, runs(j)));
        Duration window = Duration.ofNanos(System.nanoTime() - started);

        // Two replicas ticking every second would run a job twice a second without the lock. With it, run starts
        // are at least lock-at-least-for apart (database time); a run is counted when it ends, so one more.
        long atMost = window.toMillis() / LOCK_AT_LEAST_FOR.toMillis() + 2;
        for (String job : jobs) {
            long ran = after.get(job) - before.get(job);
            assertThat(ran)
                    .as("runs of %s in %s across both replicas", job, window)
                    .isBetween(3L, atMost);
        }
        // Both replicas took part in the runs, however the lock happened to fall (not asserted: ticks may favour one).
        assertThat(first.getBean(MeterRegistry.class).find(JobRunner.RUNS).timers())
                .isNotEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Waits until a few more runs of a job happened on either replica, and for what they wrote to arrive. */
    static void quietFor(String job) throws InterruptedException {
        long seen = runs(job);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs(job) >= seen + 3);
        Thread.sleep(DELIVERY.toMillis());
    }

    static long runs(String job) {
        long n = 0;
        for (ConfigurableApplicationContext c : List.of(first, second)) {
            n += c.getBean(MeterRegistry.class).find(JobRunner.RUNS).tag("job", job).timers().stream()
                    .mapToLong(Timer::count)
                    .sum();
        }
        return n;
    }

    static double items(String job) {
        double n = 0;
        for (ConfigurableApplicationContext c : List.of(first, second)) {
            var counter = c.getBean(MeterRegistry.class)
                    .find(JobRunner.ITEMS)
                    .tag("job", job)
                    .counter();
            n += counter == null ? 0 : counter.count();
        }
        return n;
    }

    static Duration minutes(double m) {
        return Duration.ofMillis((long) (m * 60_000));
    }

    static List<SyncRequested> syncRequests(UUID connection) {
        return received.stream()
                .filter(m -> m instanceof SyncRequested s && s.connectionId().equals(connection))
                .map(SyncRequested.class::cast)
                .toList();
    }

    static long scheduled(UUID connection) {
        return syncRequests(connection).stream()
                .filter(s -> s.reason() == SyncRequested.Reason.SCHEDULED)
                .count();
    }

    static long retries(UUID connection) {
        return syncRequests(connection).stream()
                .filter(s -> s.reason() == SyncRequested.Reason.RETRY)
                .count();
    }

    static long backstops(UUID connection) {
        return syncRequests(connection).stream()
                .filter(s -> s.reason() == SyncRequested.Reason.BACKSTOP)
                .count();
    }

    static List<SubscriptionLifecycleRequested> lifecycle(String subscriptionId) {
        return received.stream()
                .filter(m -> m instanceof SubscriptionLifecycleRequested l && subscriptionId.equals(l.subscriptionId()))
                .map(SubscriptionLifecycleRequested.class::cast)
                .toList();
    }

    static long renewals(String subscriptionId) {
        return lifecycle(subscriptionId).stream()
                .filter(l -> l.action() == SubscriptionLifecycleRequested.Action.RENEW)
                .count();
    }

    static UUID user() {
        return jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES (?) RETURNING id",
                UUID.class,
                "poller-" + UUID.randomUUID() + "@example.com");
    }

    static UUID connection(
            UUID user,
            String provider,
            boolean connected,
            Instant nextRefreshAt,
            Integer refreshIntervalSecs,
            int consecutiveFailures,
            Instant lastSyncedAt) {
        return jdbc.queryForObject(
                """
                INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name, is_connected,
                  next_refresh_at, ics_refresh_interval_secs, consecutive_failures, last_synced_at)
                VALUES (?, ?::calendar_provider, ?, 'Poller test', ?, ?, ?, ?, ?) RETURNING id
                """,
                UUID.class,
                user,
                provider,
                "cal-" + UUID.randomUUID(),
                connected,
                timestamp(nextRefreshAt),
                refreshIntervalSecs,
                consecutiveFailures,
                timestamp(lastSyncedAt));
    }

    /** A change-log row of that age (the connection's own insert logged one of now, which stays). */
    static long change(UUID user, UUID connection, Instant changedAt) {
        return jdbc.queryForObject(
                "INSERT INTO event_changes (user_id, calendar_id, event_id, kind, changed_at)"
                        + " VALUES (?, ?, ?, 'UPSERTED', ?) RETURNING seq",
                Long.class,
                user,
                connection,
                UUID.randomUUID(),
                timestamp(changedAt));
    }

    static boolean changeExists(long seq) {
        return jdbc.queryForObject("SELECT count(*) FROM event_changes WHERE seq = ?", Integer.class, seq) == 1;
    }

    static String subscription(UUID connection, String provider, String status, Instant expiresAt) {
        String id = "sub-" + UUID.randomUUID();
        jdbc.update(
                "INSERT INTO webhook_subscriptions (connection_id, provider, subscription_id, expires_at, status)"
                        + " VALUES (?, ?::calendar_provider, ?, ?, ?)",
                connection,
                provider,
                id,
                timestamp(expiresAt),
                status);
        return id;
    }

    static UUID oauthState(UUID user, Instant expiresAt) {
        return jdbc.queryForObject(
                "INSERT INTO oauth_states (state, user_id, provider, expires_at) VALUES (?, ?, 'GOOGLE', ?)"
                        + " RETURNING id",
                UUID.class,
                UUID.randomUUID().toString(),
                user,
                timestamp(expiresAt));
    }

    static UUID session(UUID user, Instant expiresAt) {
        return jdbc.queryForObject(
                "INSERT INTO calendar_sessions (user_id, provider, expires_at) VALUES (?, 'MICROSOFT', ?) RETURNING id",
                UUID.class,
                user,
                timestamp(expiresAt));
    }

    static UUID processed(int daysAgo) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO processed_messages (consumer, message_id, processed_at)"
                        + " VALUES ('poller-it', ?, now() - make_interval(days => ?))",
                id,
                daysAgo);
        return id;
    }

    static boolean exists(String table, UUID id) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Integer.class, id) == 1;
    }

    static boolean subscriptionExists(String subscriptionId) {
        return jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_subscriptions WHERE subscription_id = ?",
                        Integer.class,
                        subscriptionId)
                == 1;
    }

    static boolean processedExists(UUID id) {
        return jdbc.queryForObject(
                        "SELECT count(*) FROM processed_messages WHERE consumer = 'poller-it' AND message_id = ?",
                        Integer.class,
                        id)
                == 1;
    }

    static Instant nextRefreshAt(UUID connection) {
        return jdbc.queryForObject(
                        "SELECT next_refresh_at FROM calendar_connections WHERE id = ?", Timestamp.class, connection)
                .toInstant();
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
