package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.googleError;
import static io.calsync.sandbox.google.GoogleApiTestSupport.http;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleApiTestSupport.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.Channel;
import com.sun.net.httpserver.HttpServer;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** events.watch, the push notifications, and channels.stop. */
class GoogleWatchTest {

    /** What the receiver got: headers (case-insensitive) and the body. */
    record Notification(Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private HttpServer receiver;
    private final List<Notification> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes());
            received.add(new Notification(headers, body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String address() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void watchSendsSyncThenExistsOnChangesAndNothingAfterStop() throws Exception {
        User user = newUser();
        Channel channel = user.client()
                .events()
                .watch(
                        "primary",
                        new Channel()
                                .setId("channel-" + System.nanoTime())
                                .setType("web_hook")
                                .setAddress(address())
                                .setToken("secret-token"))
                .execute();

        assertThat(channel.getKind()).isEqualTo("api#channel");
        assertThat(channel.getResourceId()).isNotBlank();
        assertThat(channel.getResourceUri())
                .isEqualTo("https://www.googleapis.com/calendar/v3/calendars/" + user.email() + "/events?alt=json");
        assertThat(channel.getToken()).isEqualTo("secret-token");
        long expectedExpiry = Instant.now().plus(Duration.ofDays(7)).toEpochMilli();
        assertThat(channel.getExpiration()).isBetween(expectedExpiry - 60_000, expectedExpiry + 1_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        Notification sync = received.getFirst();
        assertThat(sync.header("X-Goog-Resource-State")).isEqualTo("sync");
        assertThat(sync.header("X-Goog-Message-Number")).isEqualTo("1");
        assertThat(sync.header("X-Goog-Channel-ID")).isEqualTo(channel.getId());

        GoogleEventsSyncTest.insert(user.client(), "Ping", "2026-03-01T10:00:00Z");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        Notification exists = received.get(1);
        assertThat(exists.header("X-Goog-Resource-State")).isEqualTo("exists");
        assertThat(exists.header("X-Goog-Message-Number")).isEqualTo("2");
        assertThat(exists.header("X-Goog-Channel-ID")).isEqualTo(channel.getId());
        assertThat(exists.header("X-Goog-Channel-Token")).isEqualTo("secret-token");
        assertThat(exists.header("X-Goog-Resource-ID")).isEqualTo(channel.getResourceId());
        assertThat(exists.header("X-Goog-Resource-URI")).isEqualTo(channel.getResourceUri());
        assertThat(exists.header("X-Goog-Channel-Expiration"))
                .matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        assertThat(exists.body()).isEmpty();

        // Changes made "at Google" through the control API notify too.
        var control = http("GET", "/control/google/calendars/" + user.email() + "/channels", null, null);
        assertThat(control.body()).hasSize(1);
        assertThat(control.body().get(0).get("id").stringValue()).isEqualTo(channel.getId());
        http(
                "POST",
                "/control/google/calendars/" + user.email() + "/events",
                null,
                "{\"summary\":\"web\",\"start\":{\"date\":\"2026-08-01\"},\"end\":{\"date\":\"2026-08-02\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received.get(2).header("X-Goog-Message-Number")).isEqualTo("3");

        user.client()
                .channels()
                .stop(new Channel().setId(channel.getId()).setResourceId(channel.getResourceId()))
                .execute();
        GoogleEventsSyncTest.insert(user.client(), "Unheard", "2026-03-02T10:00:00Z");
        Thread.sleep(500);
        assertThat(received).hasSize(3);
        assertThat(http("GET", "/control/google/calendars/" + user.email() + "/channels", null, null)
                        .body())
                .isEmpty();

        GoogleJsonResponseException again = googleError(() -> user.client()
                .channels()
                .stop(new Channel().setId(channel.getId()).setResourceId(channel.getResourceId()))
                .execute());
        assertThat(again.getStatusCode()).isEqualTo(404);
        assertThat(reason(again)).isEqualTo("notFound");
    }

    @Test
    void channelWithoutTokenAndWithExpirationBeyondThirtyDays() throws Exception {
        User user = newUser();
        long farFuture = Instant.now().plus(Duration.ofDays(90)).toEpochMilli();
        Channel channel = user.client()
                .events()
                .watch(
                        "primary",
                        new Channel()
                                .setId("c-" + System.nanoTime())
                                .setType("web_hook")
                                .setAddress(address())
                                .setExpiration(farFuture))
                .execute();

        long max = Instant.now().plus(Duration.ofDays(30)).toEpochMilli();
        assertThat(channel.getExpiration()).isBetween(max - 60_000, max + 1_000);
        assertThat(channel.getToken()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertThat(received.getFirst().headers()).doesNotContainKey("X-Goog-Channel-Token");

        GoogleJsonResponseException badAddress = googleError(() -> user.client()
                .events()
                .watch(
                        "primary",
                        new Channel()
                                .setId("c2-" + System.nanoTime())
                                .setType("web_hook")
                                .setAddress("ftp://example.test/hook"))
                .execute());
        assertThat(badAddress.getStatusCode()).isEqualTo(400);
        GoogleJsonResponseException duplicate = googleError(() -> user.client()
                .events()
                .watch(
                        "primary",
                        new Channel().setId(channel.getId()).setType("web_hook").setAddress(address()))
                .execute());
        assertThat(duplicate.getStatusCode()).isEqualTo(400);
    }

    @Test
    void expiredChannelsSendNothing() throws Exception {
        User user = newUser();
        Channel channel = user.client()
                .events()
                .watch(
                        "primary",
                        new Channel()
                                .setId("short-" + System.nanoTime())
                                .setType("web_hook")
                                .setAddress(address())
                                .setExpiration(Instant.now().plusMillis(1500).toEpochMilli()))
                .execute();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

        Thread.sleep(1600);
        GoogleEventsSyncTest.insert(user.client(), "After expiry", "2026-03-01T10:00:00Z");
        Thread.sleep(500);

        assertThat(received).hasSize(1);
        assertThat(http("GET", "/control/google/calendars/" + user.email() + "/channels", null, null)
                        .body())
                .isEmpty();
        assertThat(channel.getId()).isNotBlank();
    }
}
