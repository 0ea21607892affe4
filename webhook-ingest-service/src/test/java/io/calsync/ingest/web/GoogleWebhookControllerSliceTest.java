package io.calsync.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.ingest.application.InMemorySubscriptions;
import io.calsync.ingest.application.KnownSubscription;
import io.calsync.ingest.application.RecordingSink;
import io.calsync.model.domain.CalendarProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The Google route's web layer: headers in, 200 for sync and for dropped messages, 400/413/503 otherwise. */
@WebMvcTest
@org.springframework.context.annotation.Import(SecurityConfiguration.class)
@ContextConfiguration(classes = WebSliceConfiguration.class)
@TestPropertySource(properties = {"calsync.ingest.max-body-size=1KB"})
class GoogleWebhookControllerSliceTest {

    static final UUID CONNECTION = UUID.randomUUID();
    static final String GOOGLE = "/api/v1/calendar/webhooks/google";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    InMemorySubscriptions subscriptions;

    @Autowired
    RecordingSink sink;

    @Autowired
    SimpleMeterRegistry registry;

    @BeforeEach
    void oneChannel() {
        subscriptions.clear();
        sink.clear();
        registry.clear();
        subscriptions.add(new KnownSubscription(CONNECTION, CalendarProvider.GOOGLE, "chan-1", "res-1", "token-1"));
    }

    MockMvcRequestBuilder push(String channelId, String token, String state, String number) {
        MockMvcRequestBuilder b = mvc.post().uri(GOOGLE);
        if (channelId != null) {
            b.header("X-Goog-Channel-ID", channelId);
        }
        if (token != null) {
            b.header("X-Goog-Channel-Token", token);
        }
        if (state != null) {
            b.header("X-Goog-Resource-State", state);
        }
        return b.header("X-Goog-Resource-ID", "res-1")
                .header("X-Goog-Resource-URI", "https://www.googleapis.com/calendar/v3/calendars/primary/events")
                .header("X-Goog-Message-Number", number)
                .header("X-Goog-Channel-Expiration", "Tue, 01 Dec 2026 10:00:00 GMT");
    }

    double dropped(String reason) {
        var c = registry.find("calsync.webhooks.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void syncIsAcknowledgedAndNothingIsPublishedOrLookedUp() {
        assertThat(push("chan-1", "token-1", "sync", "1").exchange()).hasStatus(HttpStatus.OK);
        assertThat(push("chan-unknown", null, "sync", "1").exchange()).hasStatus(HttpStatus.OK);

        assertThat(sink.published).isEmpty();
        assertThat(subscriptions.lookups).hasValue(0);
    }

    @Test
    void existsOfAVerifiedChannelIsPublished() {
        assertThat(push("chan-1", "token-1", "exists", "42").exchange()).hasStatus(HttpStatus.OK);

        assertThat(sink.published).singleElement().satisfies(m -> {
            assertThat(m.connectionId()).isEqualTo(CONNECTION);
            assertThat(m.provider()).isEqualTo(CalendarProvider.GOOGLE);
            assertThat(m.subscriptionId()).isEqualTo("chan-1");
            assertThat(m.state()).isEqualTo("exists");
            assertThat(m.messageNumber()).isEqualTo(42L);
            assertThat(m.resource()).isEqualTo("https://www.googleapis.com/calendar/v3/calendars/primary/events");
        });
    }

    @Test
    void anUnknownChannelOrAWrongTokenIsAcknowledgedButNotPublished() {
        assertThat(push("chan-unknown", "token-1", "exists", "2").exchange()).hasStatus(HttpStatus.OK);
        assertThat(push("chan-1", "token-2", "exists", "2").exchange()).hasStatus(HttpStatus.OK);
        assertThat(push("chan-1", null, "not_exists", "3").exchange()).hasStatus(HttpStatus.OK);

        assertThat(sink.published).isEmpty();
        assertThat(dropped("unknown_subscription")).isEqualTo(1);
        assertThat(dropped("channel_token_mismatch")).isEqualTo(2);
    }

    @Test
    void withoutTheChannelOrStateHeaderItIsNoPushMessage() {
        for (MvcTestResult r : new MvcTestResult[] {
            push(null, "token-1", "exists", "2").exchange(),
            push("chan-1", "token-1", null, "2").exchange()
        }) {
            assertThat(r).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("MALFORMED_REQUEST");
        }
        assertThat(sink.published).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIs400AndOneOverTheCapIs413() {
        assertThat(push("chan-1", "token-1", "exists", "2").content("<xml/>").exchange())
                .hasStatus(HttpStatus.BAD_REQUEST);
        MvcTestResult big = push("chan-1", "token-1", "exists", "2")
                .content("[" + "0,".repeat(600) + "0]")
                .exchange();
        assertThat(big).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(big).bodyJson().extractingPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(sink.published).isEmpty();
    }

    @Test
    void aBrokerThatDoesNotAcknowledgeMakesGoogleRetry() {
        sink.brokerDown = true;

        MvcTestResult r = push("chan-1", "token-1", "exists", "2").exchange();

        assertThat(r).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5");
        assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
    }

    @Test
    void theServiceServesNoBenchmarkRoute() {
        // The benchmark's bare baseline is loaded into the service's JVM by bench/webhook-ingest.sh only.
        assertThat(mvc.post()
                        .uri("/api/v1/calendar/webhooks/bench/bare")
                        .content("{}")
                        .exchange())
                .hasStatus(HttpStatus.NOT_FOUND);
        assertThat(sink.published).isEmpty();
    }
}
