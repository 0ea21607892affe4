package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphTestSupport.call;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code transactionId}: Graph's de-duplication of a create that a client retried after losing the answer. The retry
 * answers 201 with the event the first POST made, and the mailbox holds one event.
 */
class GraphTransactionIdTest {

    private static String body(String subject, String transactionId) {
        return """
                {"subject":"%s","transactionId":"%s",
                 "start":{"dateTime":"2026-05-04T09:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"2026-05-04T09:30:00","timeZone":"W. Europe Standard Time"}}""".formatted(subject, transactionId);
    }

    private static int eventCount(GraphTestSupport.User u) {
        return call("GET", "/graph/v1.0/me/events?$top=100", u.token(), null)
                .json()
                .get("value")
                .size();
    }

    @Test
    void aRetriedCreateWithTheSameTransactionIdAnswersTheFirstEvent() {
        GraphTestSupport.User u = newUser();
        String tx = UUID.randomUUID().toString();

        GraphTestSupport.Response first = call("POST", "/graph/v1.0/me/events", u.token(), body("Standup", tx));
        GraphTestSupport.Response retry = call("POST", "/graph/v1.0/me/events", u.token(), body("Standup", tx));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(retry.json().get("transactionId").asString()).isEqualTo(tx);
        assertThat(eventCount(u)).isEqualTo(1);
    }

    @Test
    void theRetryDoesNotChangeTheFirstEvent() {
        GraphTestSupport.User u = newUser();
        String tx = UUID.randomUUID().toString();
        JsonNode first = call("POST", "/graph/v1.0/me/events", u.token(), body("Standup", tx))
                .json();

        JsonNode retry = call("POST", "/graph/v1.0/me/events", u.token(), body("Renamed in the retry", tx))
                .json();

        assertThat(retry.get("subject").asString()).isEqualTo("Standup");
        assertThat(retry.get("changeKey").asString())
                .isEqualTo(first.get("changeKey").asString());
    }

    @Test
    void otherTransactionIdsAndOtherMailboxesCreateTheirOwnEvents() {
        GraphTestSupport.User u = newUser();
        GraphTestSupport.User other = newUser();
        String tx = UUID.randomUUID().toString();

        String a = call("POST", "/graph/v1.0/me/events", u.token(), body("One", tx))
                .json()
                .get("id")
                .asString();
        String b = call(
                        "POST",
                        "/graph/v1.0/me/events",
                        u.token(),
                        body("Two", UUID.randomUUID().toString()))
                .json()
                .get("id")
                .asString();
        String c = call("POST", "/graph/v1.0/me/events", other.token(), body("One", tx))
                .json()
                .get("id")
                .asString();
        String d = call("POST", "/graph/v1.0/me/events", u.token(), """
                        {"subject":"No transaction id",
                         "start":{"dateTime":"2026-05-04T09:00:00","timeZone":"UTC"},
                         "end":{"dateTime":"2026-05-04T09:30:00","timeZone":"UTC"}}""")
                .json()
                .get("id")
                .asString();

        assertThat(java.util.Set.of(a, b, c, d)).hasSize(4);
        assertThat(eventCount(u)).isEqualTo(3);
        assertThat(eventCount(other)).isEqualTo(1);
    }
}
