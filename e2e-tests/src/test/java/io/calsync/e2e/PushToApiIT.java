package io.calsync.e2e;

import static io.calsync.e2e.RunningSystem.awaitSubscription;
import static io.calsync.e2e.RunningSystem.connect;
import static io.calsync.e2e.RunningSystem.control;
import static io.calsync.e2e.RunningSystem.deliveredTo;
import static io.calsync.e2e.RunningSystem.enc;
import static io.calsync.e2e.RunningSystem.shortId;
import static io.calsync.e2e.RunningSystem.titles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.model.domain.CalendarProvider;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole path of a change made at the provider, through the real services: the provider's push reaches
 * webhook-ingest-service (Graph's validation handshake included), the notification goes through Kafka to
 * sync-service, which syncs and stores; the frontend sees the change in {@code GET /events} of gateway-service. No
 * poller runs, so only the push can have brought the change.
 */
class PushToApiIT {

    static final java.time.Duration WAIT = RunningSystem.WAIT;

    @BeforeAll
    static void theSystem() {
        RunningSystem.startAll();
    }

    @AfterAll
    static void stop() {
        RunningSystem.stopAll();
    }

    @Test
    void aChangeAtGooglePushedToIngestShowsInTheApi() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"GOOGLE","email":"e2e-%s@gmail.sandbox.test","displayName":"E2E"}
                """.formatted(shortId()));
        String email = account.get("email").stringValue();
        String eventId = control("POST", "/control/google/calendars/" + enc(email) + "/events", """
                        {"summary":"Planning","start":{"dateTime":"2026-12-10T10:00:00Z"},
                         "end":{"dateTime":"2026-12-10T11:00:00Z"}}
                        """)
                .get("id")
                .stringValue();
        String user = "g-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.GOOGLE, email, email, account);

        awaitSubscription(connection);
        await().atMost(WAIT).until(() -> titles(user).contains("Planning"));

        control("PATCH", "/control/google/calendars/" + enc(email) + "/events/" + enc(eventId), """
                {"summary":"Planning (moved)"}
                """);
        await().atMost(WAIT).until(() -> titles(user).equals(List.of("Planning (moved)")));
        assertThat(deliveredTo(RunningSystem.ingest.baseUrl() + "/api/v1/calendar/webhooks/google"))
                .as("Google's push reached webhook-ingest and was acknowledged")
                .isPositive();
    }

    @Test
    void aChangeAtOutlookPushedToIngestShowsInTheApi() throws Exception {
        JsonNode account = control("POST", "/control/accounts", """
                {"provider":"MICROSOFT","email":"e2e-%s@outlook.sandbox.test","displayName":"E2E"}
                """.formatted(shortId()));
        String accountId = account.get("id").stringValue();
        String email = account.get("email").stringValue();
        String calendarId = control("GET", "/control/microsoft/accounts/" + accountId + "/calendars", null)
                .get(0)
                .get("id")
                .stringValue();
        String eventId = control("POST", "/control/microsoft/accounts/" + accountId + "/events", """
                        {"subject":"Sync review","start":{"dateTime":"2026-12-11T10:00:00","timeZone":"UTC"},
                         "end":{"dateTime":"2026-12-11T11:00:00","timeZone":"UTC"}}
                        """)
                .get("id")
                .stringValue();
        String user = "m-" + shortId() + "@app.test";
        UUID connection = connect(user, CalendarProvider.MICROSOFT, calendarId, email, account);

        awaitSubscription(connection);
        await().atMost(WAIT).until(() -> titles(user).contains("Sync review"));

        control("PATCH", "/control/microsoft/events/" + enc(eventId), """
                {"subject":"Sync review (moved)"}
                """);
        await().atMost(WAIT).until(() -> titles(user).equals(List.of("Sync review (moved)")));
        assertThat(deliveredTo(RunningSystem.ingest.baseUrl() + "/api/v1/calendar/webhooks/microsoft"))
                .as("Graph's notification reached webhook-ingest and was acknowledged")
                .isPositive();
    }
}
