package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestInfrastructure;
import io.calsync.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Redis that accepts connections and never answers (a hung server, a black-holed network): outside the dev profile
 * the blacklist and the rate limits fail closed, and they must do so within the command timeout, as a 503, instead of
 * holding the request for Lettuce's default minute.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "SECRET_KEY=" + TestTokens.SECRET,
            "ENCRYPTION_KEY=" + TestTokens.ENCRYPTION_KEY,
            "spring.profiles.active=test"
        })
class RedisHangIT {

    static final List<Socket> held = new CopyOnWriteArrayList<>();
    static final ServerSocket SILENT = silentServer();

    static ServerSocket silentServer() {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!s.isClosed()) {
                    try {
                        held.add(s.accept()); // accepted, read by nobody, answered never
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() throws IOException {
        SILENT.close();
        for (Socket s : held) {
            s.close();
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry);
        // the Spring property itself: the contract variable is mapped before dynamic properties exist
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + SILENT.getLocalPort());
    }

    @LocalServerPort
    int port;

    @Test
    void aHungRedisAnswers503WithinSecondsNotAMinuteLater() throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        for (String[] call : List.of(new String[] {"GET", "/api/v1/calendar/calendars", null}, new String[] {
            "POST", "/api/v1/calendar/events", "{\"calendarId\":\"" + java.util.UUID.randomUUID() + "\"}"
        })) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call[1]))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + TestTokens.forEmail("hung-redis@example.com"))
                    .header("Content-Type", "application/json")
                    .method(
                            call[0],
                            call[2] == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(call[2]));
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode())
                    .as("%s %s: %s", call[0], call[1], r.body())
                    .isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
            assertThat(r.body()).contains("\"code\":\"SERVICE_UNAVAILABLE\"");
            assertThat(millis).as("answered within the Redis command timeout").isLessThan(8_000);
        }
    }
}
