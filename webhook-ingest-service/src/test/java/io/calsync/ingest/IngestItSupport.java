package io.calsync.ingest;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.testsupport.TestInfrastructure.Database;
import io.calsync.webhook.WebhookIngestApplication;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Starting the service as ./run does (its own application class, a real port) and the rows it reads. */
final class IngestItSupport {

    private IngestItSupport() {}

    /** The database and broker settings every context of an IT shares (the sandbox needs the database too). */
    static Map<String, Object> infrastructure(Database db, String kafka) {
        Map<String, Object> p = new HashMap<>();
        p.put("spring.datasource.url", db.jdbcUrl());
        p.put("spring.datasource.username", db.username());
        p.put("spring.datasource.password", db.password());
        p.put("spring.kafka.bootstrap-servers", kafka);
        p.put("calsync.outbox.relay.enabled", "false");
        // The broker classes log through the same Logback: keep a test broker's INFO lines out of the way.
        p.put("logging.level.kafka", "WARN");
        p.put("logging.level.state.change.logger", "WARN");
        return p;
    }

    static ConfigurableApplicationContext startIngest(Map<String, Object> infrastructure) {
        Map<String, Object> p = new HashMap<>(infrastructure);
        p.put("server.port", "0");
        p.put("server.address", "127.0.0.1");
        p.put("spring.application.name", "webhook-ingest-service");
        return new SpringApplicationBuilder(WebhookIngestApplication.class).run(args(p));
    }

    static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    /** As command-line arguments: they win over application.yml, as the environment does in production. */
    static String[] args(Map<String, Object> properties) {
        return properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }

    /** A user and one connected calendar of the provider; returns the connection id. */
    static UUID insertConnection(JdbcTemplate jdbc, CalendarProvider provider) {
        UUID user = jdbc.queryForObject(
                "INSERT INTO calendar_users (email) VALUES (?) RETURNING id",
                UUID.class,
                "ingest-it-" + UUID.randomUUID() + "@example.test");
        return jdbc.queryForObject(
                "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name)"
                        + " VALUES (?, ?::calendar_provider, ?, ?) RETURNING id",
                UUID.class,
                user,
                provider.name(),
                "cal-" + UUID.randomUUID(),
                "Ingest IT");
    }

    /** The row sync-service writes when it opened a push subscription. */
    static void insertSubscription(
            JdbcTemplate jdbc,
            UUID connectionId,
            CalendarProvider provider,
            String subscriptionId,
            String resourceId,
            String secret) {
        jdbc.update(
                "INSERT INTO webhook_subscriptions"
                        + " (connection_id, provider, subscription_id, resource_id, client_state, expires_at, status)"
                        + " VALUES (?, ?::calendar_provider, ?, ?, ?, ?, 'ACTIVE')",
                connectionId,
                provider.name(),
                subscriptionId,
                resourceId,
                secret,
                Timestamp.from(Instant.now().plus(2, ChronoUnit.DAYS)));
    }
}
