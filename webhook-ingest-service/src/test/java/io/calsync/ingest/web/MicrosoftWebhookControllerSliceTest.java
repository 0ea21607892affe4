package io.calsync.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.ingest.application.InMemorySubscriptions;
import io.calsync.ingest.application.KnownSubscription;
import io.calsync.ingest.application.RecordingSink;
import io.calsync.model.domain.CalendarProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The Graph routes' web layer: the handshake, body limits and shapes, what a dropped notification is answered, and
 * 503 when the broker or the database cannot be reached. The same routes run against the sandbox, PostgreSQL and
 * Kafka in WebhookIngestIT.
 */
@WebMvcTest
@org.springframework.context.annotation.Import(SecurityConfiguration.class)
@ContextConfiguration(classes = WebSliceConfiguration.class)
@TestPropertySource(properties = "calsync.ingest.max-body-size=1KB")
class MicrosoftWebhookControllerSliceTest {

    static final UUID CONNECTION = UUID.randomUUID();
    static final String NOTIFICATIONS = "/api/v1/calendar/webhooks/microsoft";
    static final String LIFECYCLE = "/api/v1/calendar/webhooks/microsoft/lifecycle";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    InMemorySubscriptions subscriptions;

    @Autowired
    RecordingSink sink;

    @Autowired
    SimpleMeterRegistry registry;

    @BeforeEach
    void oneSubscription() {
        subscriptions.clear();
        sink.clear();
        registry.clear();
        subscriptions.add(new KnownSubscription(
                CONNECTION, CalendarProvider.MICROSOFT, "5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", null, "right"));
    }

    static String notification(String subscriptionId, String clientState) {
        return """
                {"value":[{"subscriptionId":"%s","clientState":"%s","changeType":"updated",\
                "resource":"Users/u/Events/e","tenantId":"t"}]}""".formatted(subscriptionId, clientState);
    }

    MvcTestResult post(String path, String body) {
        return mvc.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    double dropped(String reason) {
        var c = registry.find("calsync.webhooks.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theHandshakeEchoesTheDecodedTokenAsPlainTextOnBothRoutes() {
        for (String path : new String[] {NOTIFICATIONS, LIFECYCLE}) {
            MvcTestResult r = mvc.post()
                    // A URI, not a template: a template would encode the %-escapes a second time.
                    .uri(URI.create(
                            path + "?validationToken=Validation%3A+Testing+client+application+reachability+%26+more"))
                    .contentType(MediaType.TEXT_PLAIN)
                    .exchange();

            assertThat(r).hasStatus(HttpStatus.OK);
            assertThat(r.getResponse().getContentType()).startsWith("text/plain");
            assertThat(r.getResponse().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r).bodyText().isEqualTo("Validation: Testing client application reachability & more");
        }
    }

    @Test
    void theHandshakeIsAnsweredBeforeTheBodyIsLookedAtAndWhateverTheClientAccepts() {
        MvcTestResult r = mvc.post()
                .uri(NOTIFICATIONS + "?validationToken=abc")
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .content("x".repeat(4096)) // neither JSON nor under the cap: never read
                .exchange();

        assertThat(r).hasStatus(HttpStatus.OK).bodyText().isEqualTo("abc");
        assertThat(subscriptions.lookups).hasValue(0);
        assertThat(sink.published).isEmpty();
    }

    @Test
    void aVerifiedNotificationIsAcceptedAfterItWasPublished() {
        MvcTestResult r = post(NOTIFICATIONS, notification("5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", "right"));

        assertThat(r).hasStatus(HttpStatus.ACCEPTED);
        assertThat(sink.published).singleElement().satisfies(m -> {
            assertThat(m.connectionId()).isEqualTo(CONNECTION);
            assertThat(m.state()).isEqualTo("updated");
        });
    }

    @Test
    void aLifecycleNotificationIsPublishedWithItsEvent() {
        MvcTestResult r = post(LIFECYCLE, """
                {"value":[{"subscriptionId":"5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f","clientState":"right","lifecycleEvent":"reauthorizationRequired",\
                "subscriptionExpirationDateTime":"2026-11-25T10:00:00Z","tenantId":"t"}]}""");

        assertThat(r).hasStatus(HttpStatus.ACCEPTED);
        assertThat(sink.published).singleElement().satisfies(m -> {
            assertThat(m.lifecycleEvent()).isEqualTo("reauthorizationRequired");
            assertThat(m.state()).isNull();
        });
    }

    @Test
    void anUnknownSubscriptionIsAcknowledgedButNotPublished() {
        MvcTestResult r = post(NOTIFICATIONS, notification("00000000-0000-4000-8000-0000000000ff", "right"));

        assertThat(r).hasStatus(HttpStatus.ACCEPTED);
        assertThat(sink.published).isEmpty();
        assertThat(dropped("unknown_subscription")).isEqualTo(1);
    }

    @Test
    void aWrongClientStateIsAcknowledgedButNotPublished() {
        MvcTestResult r = post(NOTIFICATIONS, notification("5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", "forged"));

        assertThat(r).hasStatus(HttpStatus.ACCEPTED);
        assertThat(sink.published).isEmpty();
        assertThat(dropped("client_state_mismatch")).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        for (String body : new String[] {"", "not json", "{\"value\": ", "{\"other\": []}"}) {
            MvcTestResult r = post(NOTIFICATIONS, body);

            assertThat(r).hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(r.getResponse().getContentType()).startsWith("application/problem+json");
            assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("MALFORMED_REQUEST");
            assertThat(r).bodyJson().extractingPath("$.status").isEqualTo(400);
        }
        assertThat(sink.published).isEmpty();
    }

    @Test
    void aBodyOverTheCapIs413AndOneAtTheCapIsRead() {
        String valid = notification("5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", "right");
        String atCap = valid + " ".repeat(1024 - valid.length());
        String overCap = atCap + " ";

        MvcTestResult over = post(NOTIFICATIONS, overCap);
        assertThat(over).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(over.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(over).bodyJson().extractingPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(sink.published).isEmpty();

        assertThat(post(NOTIFICATIONS, atCap)).hasStatus(HttpStatus.ACCEPTED);
        assertThat(sink.published).hasSize(1);
    }

    @Test
    void aBrokerThatDoesNotAcknowledgeMakesGraphRetry() {
        sink.brokerDown = true;

        MvcTestResult r = post(NOTIFICATIONS, notification("5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", "right"));

        assertThat(r).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5");
        assertThat(r.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
    }

    @Test
    void aDatabaseThatCannotAnswerMakesGraphRetryInsteadOfDroppingTheNotification() {
        subscriptions.down = true;

        MvcTestResult r = post(NOTIFICATIONS, notification("5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f", "right"));

        assertThat(r).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5");
        assertThat(dropped("unknown_subscription")).isZero();
    }

    @Test
    void otherMethodsAndRoutesAnswerProblems() {
        MvcTestResult get = mvc.get().uri(NOTIFICATIONS).exchange();
        assertThat(get).hasStatus(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(get).bodyJson().extractingPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");

        MvcTestResult none = post("/api/v1/calendar/webhooks/outlook", "{}");
        assertThat(none).hasStatus(HttpStatus.NOT_FOUND);
        assertThat(none).bodyJson().extractingPath("$.code").isEqualTo("NOT_FOUND");
    }

    @Test
    void theBenchmarkRouteDoesNotExistUnlessTurnedOn() {
        assertThat(post("/api/v1/calendar/webhooks/bench/bare", "{}")).hasStatus(HttpStatus.NOT_FOUND);
    }
}
