package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API as the frontend calls it, for integration tests: a base URL, a token, JSON in and out. */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final JdbcTemplate jdbc;

    public ApiClient(String base, JdbcTemplate jdbc) {
        this.base = base;
        this.jdbc = jdbc;
    }

    public record Reply(int status, JsonNode body, String raw, HttpResponse<String> response) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** A user of the main app (created by a first call) and the token the tests send. */
    public record User(UUID id, String token) {}

    /** {@code headers}: name, value, name, value, ... */
    public Reply call(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()), r.body(), r);
    }

    public User user() throws Exception {
        String email = "it-" + UUID.randomUUID() + "@example.com";
        String token = TestTokens.forEmail(email);
        assertThat(call("GET", "/api/v1/calendar/calendars", token, null).status())
                .isEqualTo(200);
        return new User(jdbc.queryForObject("SELECT id FROM calendar_users WHERE email = ?", UUID.class, email), token);
    }

    /** A connected calendar of the user, as a sync would leave it, last synced at a fixed instant. */
    public UUID calendar(User u, String provider) {
        return jdbc.queryForObject(
                "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name,"
                        + " last_synced_at) VALUES (?, ?::calendar_provider, ?, 'IT', '2026-03-01T08:00:00Z')"
                        + " RETURNING id",
                UUID.class,
                u.id(),
                provider,
                "cal-" + UUID.randomUUID());
    }
}
