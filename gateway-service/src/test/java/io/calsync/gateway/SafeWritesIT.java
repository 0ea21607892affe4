package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Safe writes from the frontend (contract, Additions v1.1): ETags and If-Match on events, Idempotency-Key on
 * creates, each also raced by concurrent clients on a real PostgreSQL.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "spring.profiles.active=dev"
        })
class SafeWritesIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.context.ApplicationContext context;

    ApiClient api;
    ApiClient.User user;
    UUID calendar;

    @BeforeEach
    void aUserWithACalendar() throws Exception {
        api = new ApiClient("http://127.0.0.1:" + port, jdbc);
        user = api.user();
        calendar = api.calendar(user, "GOOGLE");
    }

    String body(String title) {
        return "{\"calendarId\":\"" + calendar + "\",\"title\":\"" + title
                + "\",\"startTime\":\"2026-12-10T10:00:00Z\",\"endTime\":\"2026-12-10T11:00:00Z\"}";
    }

    int events(String title) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM calendar_events WHERE connection_id = ? AND title = ?",
                Integer.class,
                calendar,
                title);
    }

    static <T> List<T> race(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everyEventAnswerCarriesAnETagThatIfMatchChecks() throws Exception {
        ApiClient.Reply created = api.call("POST", "/api/v1/calendar/events", user.token(), body("Tagged"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asString();
        String tag = created.header("ETag");
        assertThat(tag).startsWith("\"").endsWith("\"");
        ApiClient.Reply read = api.call("GET", "/api/v1/calendar/events/" + id, user.token(), null);
        assertThat(read.header("ETag")).isEqualTo(tag);

        ApiClient.Reply updated = api.call(
                "PUT", "/api/v1/calendar/events/" + id, user.token(), "{\"title\":\"Tagged 2\"}", "If-Match", tag);
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        String newTag = updated.header("ETag");
        assertThat(newTag).isNotEqualTo(tag);

        // The tab that read before the change is refused, for a PUT and for a DELETE, and nothing changes.
        ApiClient.Reply stale =
                api.call("PUT", "/api/v1/calendar/events/" + id, user.token(), "{\"title\":\"Lost\"}", "If-Match", tag);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stale.body().get("code").asString()).isEqualTo("PRECONDITION_FAILED");
        assertThat(api.call("DELETE", "/api/v1/calendar/events/" + id, user.token(), null, "If-Match", tag)
                        .status())
                .isEqualTo(412);
        assertThat(events("Tagged 2")).isEqualTo(1);
        assertThat(events("Lost")).isZero();
        // A change by the sync engine moves the tag too.
        jdbc.update("UPDATE calendar_events SET location = 'Room 1', version = version + 1 WHERE id = ?::uuid", id);
        assertThat(api.call("GET", "/api/v1/calendar/events/" + id, user.token(), null)
                        .header("ETag"))
                .isNotEqualTo(newTag);
        String current = api.call("GET", "/api/v1/calendar/events/" + id, user.token(), null)
                .header("ETag");
        assertThat(api.call("DELETE", "/api/v1/calendar/events/" + id, user.token(), null, "If-Match", newTag)
                        .status())
                .isEqualTo(412);
        assertThat(api.call("DELETE", "/api/v1/calendar/events/" + id, user.token(), null, "If-Match", current)
                        .status())
                .isEqualTo(204);
        // Without If-Match the last writer wins, as before.
        String other = api.call("POST", "/api/v1/calendar/events", user.token(), body("Free for all"))
                .body()
                .get("id")
                .asString();
        assertThat(api.call("PUT", "/api/v1/calendar/events/" + other, user.token(), "{\"title\":\"Mine\"}")
                        .status())
                .isEqualTo(200);
    }

    /**
     * {@code GET /events} answers with a tag of the user's data: the same question asked again with
     * {@code If-None-Match} is a 304 without a body until something of the user's changes, through the API or by
     * the sync engine writing the table directly (the change log's trigger sees both), or another window is asked.
     */
    @Test
    void aRangeReadIsConditionalOnTheUsersDataVersion() throws Exception {
        String range = "/api/v1/calendar/events?start=2026-12-01T00:00:00Z&end=2026-12-31T00:00:00Z";
        String id = api.call("POST", "/api/v1/calendar/events", user.token(), body("Polled"))
                .body()
                .get("id")
                .asString();
        ApiClient.Reply first = api.call("GET", range, user.token(), null);
        assertThat(first.status()).isEqualTo(200);
        String tag = first.header("ETag");
        assertThat(tag).startsWith("W/\"");

        ApiClient.Reply again = api.call("GET", range, user.token(), null, "If-None-Match", tag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(tag);
        assertThat(api.call("GET", range.replace("12-31", "12-30"), user.token(), null, "If-None-Match", tag)
                        .status())
                .as("another window")
                .isEqualTo(200);
        ApiClient.Reply other = api.call("GET", range, api.user().token(), null, "If-None-Match", tag);
        assertThat(other.status()).as("another user's data").isEqualTo(200);

        // The sync engine changes the row: the tag moves, the answer shows the change.
        jdbc.update(
                "UPDATE calendar_events SET title = 'Polled at Google', version = version + 1 WHERE id = ?::uuid", id);
        ApiClient.Reply changed = api.call("GET", range, user.token(), null, "If-None-Match", tag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.raw()).contains("Polled at Google");
        String tag2 = changed.header("ETag");
        assertThat(tag2).isNotEqualTo(tag);
        // A write through the API moves it too.
        assertThat(api.call("DELETE", "/api/v1/calendar/events/" + id, user.token(), null)
                        .status())
                .isEqualTo(204);
        assertThat(api.call("GET", range, user.token(), null, "If-None-Match", tag2)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void ofTwoTabsWritingWithTheSameTagExactlyOneWins() throws Exception {
        ApiClient.Reply created = api.call("POST", "/api/v1/calendar/events", user.token(), body("Contended"));
        String id = created.body().get("id").asString();
        String tag = created.header("ETag");
        int[] n = {0};
        List<Integer> statuses = race(6, () -> {
            String title;
            synchronized (n) {
                title = "Tab " + n[0]++;
            }
            return api.call(
                            "PUT",
                            "/api/v1/calendar/events/" + id,
                            user.token(),
                            "{\"title\":\"" + title + "\"}",
                            "If-Match",
                            tag)
                    .status();
        });
        assertThat(statuses).containsOnly(200, 412);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
    }

    @Test
    void aRepeatedCreateWithTheSameKeyAnswersTheFirstAnswerAndCreatesNothing() throws Exception {
        String key = "create-" + UUID.randomUUID();
        ApiClient.Reply first =
                api.call("POST", "/api/v1/calendar/events", user.token(), body("Once"), "Idempotency-Key", key);
        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        // the same request, spaced differently: the same request
        ApiClient.Reply again = api.call(
                "POST",
                "/api/v1/calendar/events",
                user.token(),
                body("Once").replace(",", " , "),
                "Idempotency-Key",
                key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw()).isEqualTo(first.raw());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(events("Once")).isEqualTo(1);

        ApiClient.Reply reused =
                api.call("POST", "/api/v1/calendar/events", user.token(), body("Twice"), "Idempotency-Key", key);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().get("code").asString()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(events("Twice")).isZero();

        // Keys are the user's own: another user's same key creates that user's event.
        ApiClient.User eve = api.user();
        UUID evesCalendar = api.calendar(eve, "GOOGLE");
        ApiClient.Reply eves = api.call(
                "POST",
                "/api/v1/calendar/events",
                eve.token(),
                body("Once").replace(calendar.toString(), evesCalendar.toString()),
                "Idempotency-Key",
                key);
        assertThat(eves.status()).isEqualTo(201);
        assertThat(eves.body().get("id").asString())
                .isNotEqualTo(first.body().get("id").asString());

        // (a key that is not ASCII cannot be sent by this client as such: IdempotencyTest covers it)
        for (String bad : List.of("", "x".repeat(256), "tab\tkey")) {
            ApiClient.Reply refused =
                    api.call("POST", "/api/v1/calendar/events", user.token(), body("Bad key"), "Idempotency-Key", bad);
            assertThat(refused.status()).as("key [%s]", bad).isIn(400, 422);
        }
        assertThat(events("Bad key")).isZero();
    }

    @Test
    void concurrentRepeatsOfOneKeyCreateOneEvent() throws Exception {
        String key = "race-" + UUID.randomUUID();
        List<ApiClient.Reply> replies = race(
                6,
                () -> api.call("POST", "/api/v1/calendar/events", user.token(), body("Raced"), "Idempotency-Key", key));
        Set<String> ids = new HashSet<>();
        for (ApiClient.Reply r : replies) {
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            ids.add(r.body().get("id").asString());
        }
        assertThat(ids).hasSize(1);
        assertThat(events("Raced")).isEqualTo(1);
    }

    @Test
    void anEmailTheMainAppGaveToSomeoneElseIsNoticed() throws Exception {
        io.micrometer.core.instrument.MeterRegistry meters =
                context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        String email = jdbc.queryForObject("SELECT email FROM calendar_users WHERE id = ?", String.class, user.id());
        assertThat(jdbc.queryForObject("SELECT subject FROM calendar_users WHERE id = ?", String.class, user.id()))
                .as("the first call recorded the main app's subject")
                .isEqualTo(TestTokens.subjectOf(email));
        double before = meters.counter("calsync.identity.subject.changed").count();
        String other = TestTokens.forEmail(email, "someone-else", java.time.Duration.ofMinutes(5));
        assertThat(api.call("GET", "/api/v1/calendar/calendars", other, null).status())
                .isEqualTo(200);
        assertThat(meters.counter("calsync.identity.subject.changed").count()).isEqualTo(before + 1);
        assertThat(jdbc.queryForObject("SELECT subject FROM calendar_users WHERE id = ?", String.class, user.id()))
                .as("the first subject stays on record")
                .isEqualTo(TestTokens.subjectOf(email));
    }
}
