package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.gateway.GatewayApplication;
import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The change cursor and the live stream through real HTTP against two gateway replicas on one PostgreSQL and one Kafka
 * broker: a change written through one replica reaches a stream held by the other; a dropped stream resumes with its
 * Last-Event-ID and loses nothing; another user's stream and cursor learn nothing; the per-user cap answers 429.
 */
class ChangesAndStreamIT {

    static final TestInfrastructure.Database DB = TestInfrastructure.newDatabase();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WITHIN = Duration.ofSeconds(10);

    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;
    static JdbcTemplate jdbc;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void twoReplicas() {
        first = replica();
        second = replica();
        jdbc = first.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    static ConfigurableApplicationContext replica() {
        String slot = "it_"
                + DB.jdbcUrl().substring(DB.jdbcUrl().lastIndexOf('/') + 1).replaceAll("[^a-z0-9_]", "_");
        Map<String, Object> p = Map.of(
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
                "SECRET_KEY",
                TestTokens.SECRET,
                "ENCRYPTION_KEY",
                TestTokens.ENCRYPTION_KEY,
                "spring.profiles.active",
                "dev",
                "calsync.gateway.stream.max-per-user",
                "3");
        String[] args = p.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GatewayApplication.class).run(args);
    }

    static String base(ConfigurableApplicationContext replica) {
        String port = replica.getEnvironment().getProperty("local.server.port");
        return "http://127.0.0.1:" + port + "/api/v1/calendar";
    }

    record User(UUID id, String token) {}

    User user() throws Exception {
        String email = "ch-" + UUID.randomUUID() + "@example.com";
        String token = TestTokens.forEmail(email);
        assertThat(call(first, "GET", "/calendars", token, null).status()).isEqualTo(200);
        return new User(jdbc.queryForObject("SELECT id FROM calendar_users WHERE email = ?", UUID.class, email), token);
    }

    UUID calendar(User u) {
        return jdbc.queryForObject(
                "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name)"
                        + " VALUES (?, 'GOOGLE', ?, 'Work') RETURNING id",
                UUID.class,
                u.id(),
                "cal-" + UUID.randomUUID());
    }

    record Reply(int status, JsonNode body, String raw) {}

    Reply call(ConfigurableApplicationContext replica, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(replica) + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()), r.body());
    }

    String create(ConfigurableApplicationContext replica, User u, UUID calendar, String title) throws Exception {
        Reply r = call(
                replica,
                "POST",
                "/events",
                u.token(),
                "{\"calendarId\":\"" + calendar + "\",\"title\":\"" + title
                        + "\",\"startTime\":\"2026-12-10T10:00:00Z\",\"endTime\":\"2026-12-10T11:00:00Z\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("id").asString();
    }

    static List<String> eventIds(SseClient.Event e) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(e.data()).get("eventIds").forEach(n -> ids.add(n.asString()));
        return ids;
    }

    @Test
    void theCursorAnswersEveryChangeOnceWithTheEventAsItIsNow() throws Exception {
        User u = user();
        UUID cal = calendar(u);
        Reply start = call(first, "GET", "/events/changes", u.token(), null);
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.body().get("changes")).isEmpty();
        assertThat(start.body().get("hasMore").asBoolean()).isFalse();
        String cursor = start.body().get("nextCursor").asString();

        String a = create(first, u, cal, "A");
        String b = create(second, u, cal, "B");
        assertThat(call(second, "PUT", "/events/" + a, u.token(), "{\"title\":\"A2\"}")
                        .status())
                .isEqualTo(200);
        // A row that never reached the provider is deleted outright.
        assertThat(call(first, "DELETE", "/events/" + b, u.token(), null).status())
                .isEqualTo(204);

        // Page by page, two at a time: four changes, each once, in order, the event as it is now.
        List<JsonNode> all = new ArrayList<>();
        String at = cursor;
        for (int page = 0; page < 5; page++) {
            Reply r = call(
                    page % 2 == 0 ? first : second, "GET", "/events/changes?limit=2&cursor=" + at, u.token(), null);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            r.body().get("changes").forEach(all::add);
            at = r.body().get("nextCursor").asString();
            if (!r.body().get("hasMore").asBoolean()) {
                break;
            }
        }
        assertThat(all).hasSize(4);
        assertThat(all.stream()
                        .map(c -> c.get("eventId").asString() + ":"
                                + c.get("kind").asString()))
                .containsExactly(a + ":UPSERTED", b + ":DELETED", a + ":UPSERTED", b + ":DELETED");
        JsonNode head = all.getFirst();
        assertThat(head.get("calendarId").asString()).isEqualTo(cal.toString());
        assertThat(head.get("event").get("title").asString()).as("as it is now").isEqualTo("A2");
        assertThat(head.get("event").get("syncStatus").asString()).isEqualTo("PENDING");
        assertThat(all.get(1).get("event").isNull()).isTrue();
        assertThat(head.get("cursor").asString()).isNotBlank();

        // Caught up: nothing more, and the cursor stays usable.
        Reply after = call(first, "GET", "/events/changes?cursor=" + at, u.token(), null);
        assertThat(after.body().get("changes")).isEmpty();
        // A change's own cursor resumes right after it.
        Reply fromSecond = call(
                first,
                "GET",
                "/events/changes?cursor=" + all.get(1).get("cursor").asString(),
                u.token(),
                null);
        assertThat(fromSecond.body().get("changes")).hasSize(2);
    }

    @Test
    void anotherUsersOrAForgedCursorIs410AndBadLimitsAre422() throws Exception {
        User ada = user();
        User eve = user();
        calendar(ada);
        String adas = call(first, "GET", "/events/changes", ada.token(), null)
                .body()
                .get("nextCursor")
                .asString();
        Reply foreign = call(first, "GET", "/events/changes?cursor=" + adas, eve.token(), null);
        assertThat(foreign.status()).isEqualTo(410);
        assertThat(foreign.body().get("code").asString()).isEqualTo("CURSOR_EXPIRED");
        // Moved to another position (a character inside the position bytes changed): the signature no longer fits.
        char c = adas.charAt(10);
        String tampered = adas.substring(0, 10) + (c == 'A' ? 'B' : 'A') + adas.substring(11);
        assertThat(call(first, "GET", "/events/changes?cursor=" + tampered, ada.token(), null)
                        .status())
                .isEqualTo(410);
        assertThat(call(first, "GET", "/events/changes?cursor=garbage!", ada.token(), null)
                        .status())
                .isEqualTo(410);
        assertThat(call(first, "GET", "/events/changes?limit=0", ada.token(), null)
                        .status())
                .isEqualTo(422);
        assertThat(call(first, "GET", "/events/changes?limit=1001", ada.token(), null)
                        .status())
                .isEqualTo(422);
        SseClient stolen = SseClient.open(http, base(second) + "/stream", eve.token(), adas);
        assertThat(stolen.status).isEqualTo(410);
        stolen.close();
    }

    @Test
    void aChangeOnOneReplicaReachesAStreamOnTheOtherAndAResumeLosesNothing() throws Exception {
        User u = user();
        User eve = user();
        UUID cal = calendar(u);
        calendar(eve);
        SseClient stream = SseClient.open(http, base(second) + "/stream", u.token(), null);
        SseClient eves = SseClient.open(http, base(second) + "/stream", eve.token(), null);
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.contentType).startsWith("text/event-stream");

        String a = create(first, u, cal, "Through the other replica");
        SseClient.Event got = stream.next("changes", WITHIN);
        assertThat(got).as("a change made on the first replica").isNotNull();
        assertThat(eventIds(got)).contains(a);
        assertThat(JSON.readTree(got.data()).get("calendarIds").get(0).asString())
                .isEqualTo(cal.toString());
        assertThat(got.id()).isEqualTo(JSON.readTree(got.data()).get("cursor").asString());

        // The tab closes; two changes happen meanwhile; it comes back with its Last-Event-ID on the other replica.
        String resumeFrom = got.id();
        stream.close();
        String b = create(second, u, cal, "While away 1");
        String c = create(first, u, cal, "While away 2");
        SseClient back = SseClient.open(http, base(first) + "/stream", u.token(), resumeFrom);
        assertThat(back.status).isEqualTo(200);
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(List.of(b, c))) {
            SseClient.Event e = back.next("changes", WITHIN);
            assertThat(e)
                    .as("the changes made while away, seen so far: " + seen)
                    .isNotNull();
            seen.addAll(eventIds(e));
        }
        assertThat(seen).doesNotContain(a).as("nothing before the resumed cursor comes again");

        // Eve's stream heard nothing of it all.
        assertThat(eves.next("changes", Duration.ofSeconds(3))).isNull();
        back.close();
        eves.close();
    }

    @Test
    void aCalendarsStateChangeIsToldAndTheStreamsPerUserAreCapped() throws Exception {
        User u = user();
        UUID cal = calendar(u);
        List<SseClient> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SseClient s = SseClient.open(http, base(i % 2 == 0 ? first : second) + "/stream", u.token(), null);
            assertThat(s.status).isEqualTo(200);
            open.add(s);
        }
        SseClient fourth = SseClient.open(http, base(first) + "/stream", u.token(), null);
        // The cap is per replica's view of the user: three on the first would be needed to refuse there.
        SseClient fifth = SseClient.open(http, base(first) + "/stream", u.token(), null);
        assertThat(List.of(fourth.status, fifth.status)).contains(429);
        SseClient refused = fourth.status == 429 ? fourth : fifth;
        assertThat(refused.body).contains("RATE_LIMITED");

        jdbc.update("UPDATE calendar_connections SET sync_status = 'FAILED', last_sync_error = 'x' WHERE id = ?", cal);
        SseClient.Event e = open.getFirst().next("calendar", WITHIN);
        assertThat(e).as("event: calendar within the tick").isNotNull();
        assertThat(JSON.readTree(e.data()).get("calendarId").asString()).isEqualTo(cal.toString());
        open.forEach(SseClient::close);
        fourth.close();
        fifth.close();
    }
}
