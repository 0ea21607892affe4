package io.calsync.bench;

import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.sandbox.SandboxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Google in this JVM, started exactly as sync-service's adapter tests start it (GoogleSandbox): its own
 * settings given as properties, because sync-service's application.yml on this classpath shadows the sandbox's, and
 * the database, broker and platform auto-configuration this classpath would offer are not the sandbox's (it keeps
 * everything in memory). Accounts and tokens come through its control API, as a test would get them.
 */
final class Sandbox implements AutoCloseable {

    static final String GOOGLE_CLIENT_ID = "sandbox-google-client";
    static final String GOOGLE_CLIENT_SECRET = "sandbox-google-secret";

    private static final Map<String, Object> PROPERTIES = Map.ofEntries(
            Map.entry("spring.application.name", "provider-sandbox"),
            Map.entry(
                    "spring.autoconfigure.exclude",
                    String.join(
                            ",",
                            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
                            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
                            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                            "io.calsync.platform.kafka.KafkaPlatformAutoConfiguration",
                            "io.calsync.platform.security.TokenCipherAutoConfiguration",
                            "io.calsync.platform.persistence.PersistenceAutoConfiguration",
                            "io.calsync.platform.outbox.OutboxAutoConfiguration",
                            "io.calsync.providers.ProvidersAutoConfiguration")),
            Map.entry("sandbox.auto-approve", "true"),
            Map.entry("sandbox.access-token-ttl", "1h"),
            Map.entry("sandbox.microsoft-refresh-grace", "30s"),
            Map.entry("sandbox.google.client-id", GOOGLE_CLIENT_ID),
            Map.entry("sandbox.google.client-secret", GOOGLE_CLIENT_SECRET),
            Map.entry("sandbox.microsoft.client-id", "00000000-0000-0000-0000-00000000c0de"),
            Map.entry("sandbox.microsoft.client-secret", "sandbox-microsoft-secret"),
            Map.entry("sandbox.microsoft.tenant-id", "9188040d-6c67-4c5b-b112-36a304b66dad"),
            Map.entry("spring.mvc.problemdetails.enabled", "false"),
            // The platform's readiness group names the database and the broker, which the sandbox does not have.
            Map.entry("management.endpoint.health.validate-group-membership", "false"),
            // Only warnings: one request log line per page would be noise in the measured rounds.
            Map.entry("logging.level.root", "WARN"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SandboxServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private Sandbox(SandboxServer server) {
        this.server = server;
    }

    static Sandbox start() {
        return new Sandbox(SandboxServer.start(PROPERTIES));
    }

    String baseUrl() {
        return server.baseUrl();
    }

    <T> T bean(Class<T> type) {
        return server.bean(type);
    }

    /** The contract's provider variables pointed at the sandbox (Calendar v3 and the token endpoint). */
    ProviderEndpoints endpoints() {
        Map<String, String> vars = Map.of(
                "GOOGLE_API_BASE_URL",
                baseUrl() + "/google/",
                "GOOGLE_TOKEN_URI",
                baseUrl() + "/google/token",
                "GOOGLE_CLIENT_ID",
                GOOGLE_CLIENT_ID,
                "GOOGLE_CLIENT_SECRET",
                GOOGLE_CLIENT_SECRET);
        return ProviderEndpoints.from(vars::get);
    }

    /** A Google account; its primary calendar's id is its email. Answers the account's id. */
    String newGoogleAccount(String email) {
        return control("POST", "/control/accounts", """
                        {"provider":"GOOGLE","email":"%s","displayName":"Bench User"}
                        """.formatted(email))
                .get("id")
                .stringValue();
    }

    /** Tokens as oauth-service would have stored them after the consent. */
    record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
        @Override
        public String toString() { // never the tokens themselves
            return "Tokens[expiresIn=" + expiresInSeconds + "s]";
        }
    }

    Tokens issueTokens(String accountId) {
        JsonNode t = control("POST", "/control/accounts/" + accountId + "/tokens", null);
        return new Tokens(
                t.get("access_token").stringValue(),
                t.get("refresh_token").stringValue(),
                t.get("expires_in").asLong());
    }

    private JsonNode control(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() < 200 || r.statusCode() > 299) {
                // An error body of the control API holds no token (only the tokens call answers tokens, with 200).
                throw new IllegalStateException(
                        "sandbox control " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("sandbox control " + method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
