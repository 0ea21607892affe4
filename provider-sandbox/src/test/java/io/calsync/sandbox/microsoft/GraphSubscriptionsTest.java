package io.calsync.sandbox.microsoft;

import static io.calsync.sandbox.microsoft.GraphEventsTest.meeting;
import static io.calsync.sandbox.microsoft.GraphTestSupport.control;
import static io.calsync.sandbox.microsoft.GraphTestSupport.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.models.odataerrors.ODataError;
import io.calsync.sandbox.core.SandboxSettings;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Subscriptions, the validation handshake, change and lifecycle notifications, through the official Graph SDK. */
class GraphSubscriptionsTest {

    static Subscription subscription(String resource, String url, OffsetDateTime expiration) {
        Subscription s = new Subscription();
        s.setChangeType("created,updated,deleted");
        s.setNotificationUrl(url);
        s.setResource(resource);
        s.setExpirationDateTime(expiration);
        s.setClientState("secretClientValue");
        return s;
    }

    static OffsetDateTime inDays(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The notifications received so far, flattened to their {@code value} entries. */
    static List<JsonNode> entries(NotificationReceiver r) {
        return r.notifications().stream()
                .flatMap(n -> n.get("value").valueStream())
                .toList();
    }

    @Test
    void aValidatedSubscriptionReceivesChangeNotifications() {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO);
                NotificationReceiver lifecycle = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            Subscription request = subscription("me/events", receiver.url(), inDays(2));
            request.setLifecycleNotificationUrl(lifecycle.url());
            Subscription s = u.graph().subscriptions().post(request);

            assertThat(UUID.fromString(s.getId())).isNotNull();
            assertThat(s.getResource()).isEqualTo("me/events");
            assertThat(s.getChangeType()).isEqualTo("created,updated,deleted");
            assertThat(s.getClientState()).isEqualTo("secretClientValue");
            assertThat(s.getNotificationUrl()).isEqualTo(receiver.url());
            assertThat(s.getLifecycleNotificationUrl()).isEqualTo(lifecycle.url());
            assertThat(s.getExpirationDateTime()).isEqualTo(request.getExpirationDateTime());
            assertThat(s.getCreatorId()).isEqualTo(u.id());
            assertThat(s.getApplicationId())
                    .isEqualTo(GraphTestSupport.sandbox()
                            .bean(SandboxSettings.class)
                            .microsoft()
                            .clientId());
            assertThat(s.getLatestSupportedTlsVersion()).isEqualTo("v1_2");
            assertThat(s.getIncludeResourceData()).isFalse();
            assertThat(receiver.validationTokens())
                    .singleElement()
                    .asString()
                    .startsWith("Validation: Testing client application reachability for subscription Request-Id: ");
            assertThat(lifecycle.validationTokens()).hasSize(1);

            Event created = u.graph()
                    .me()
                    .events()
                    .post(meeting("Notify me", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "UTC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> entries(receiver).size() == 1);
            JsonNode n = entries(receiver).getFirst();
            assertThat(n.get("subscriptionId").asString()).isEqualTo(s.getId());
            assertThat(n.get("changeType").asString()).isEqualTo("created");
            assertThat(n.get("clientState").asString()).isEqualTo("secretClientValue");
            assertThat(n.get("tenantId").asString())
                    .isEqualTo(GraphTestSupport.sandbox()
                            .bean(SandboxSettings.class)
                            .microsoft()
                            .tenantId());
            assertThat(n.get("resource").asString()).isEqualTo("Users/" + u.id() + "/Events/" + created.getId());
            assertThat(n.at("/resourceData/@odata.type").asString()).isEqualTo("#Microsoft.Graph.Event");
            assertThat(n.at("/resourceData/@odata.id").asString())
                    .isEqualTo(n.get("resource").asString());
            assertThat(n.at("/resourceData/@odata.etag").asString()).isEqualTo("W/\"" + created.getChangeKey() + "\"");
            assertThat(n.at("/resourceData/id").asString()).isEqualTo(created.getId());

            // a change "in Outlook" notifies as well
            assertThat(control("PATCH", "/events/" + created.getId(), "{\"subject\":\"Changed in Outlook\"}")
                            .status())
                    .isEqualTo(200);
            u.graph().me().events().byEventId(created.getId()).delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> entries(receiver).size() == 3);
            assertThat(entries(receiver))
                    .extracting(e -> e.get("changeType").asString())
                    .containsExactlyInAnyOrder("created", "updated", "deleted");
            assertThat(lifecycle.notifications()).isEmpty();
        }
    }

    @Test
    void endpointsThatFailTheHandshakeAreRejected() {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver failing = new NotificationReceiver(NotificationReceiver.Mode.FAIL_500);
                NotificationReceiver wrong = new NotificationReceiver(NotificationReceiver.Mode.WRONG_ECHO)) {
            ODataError e500 = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().post(subscription("me/events", failing.url(), inDays(1))));
            assertThat(e500.getResponseStatusCode()).isEqualTo(400);
            assertThat(e500.getError().getCode()).isEqualTo("ValidationError");
            assertThat(e500.getError().getMessage())
                    .isEqualTo("Subscription validation request failed. Notification"
                            + " endpoint must respond with 200 OK to validation request.");
            assertThat(failing.validationTokens()).hasSize(1);

            ODataError echo = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().post(subscription("me/events", wrong.url(), inDays(1))));
            assertThat(echo.getResponseStatusCode()).isEqualTo(400);
            assertThat(echo.getError().getCode()).isEqualTo("ValidationError");

            Subscription badLifecycle = subscription("me/events", "http://127.0.0.1:9/unreachable", inDays(1));
            ODataError unreachable = catchThrowableOfType(
                    ODataError.class, () -> u.graph().subscriptions().post(badLifecycle));
            assertThat(unreachable.getError().getCode()).isEqualTo("ValidationError");
        }
        assertThat(u.graph().subscriptions().get().getValue()).isEmpty();
    }

    @Test
    void expirationsBeyond10080MinutesOrInThePastAreRejected() {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            ODataError tooLong = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph()
                            .subscriptions()
                            .post(subscription(
                                    "me/events",
                                    receiver.url(),
                                    OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10081))));
            assertThat(tooLong.getResponseStatusCode()).isEqualTo(400);
            assertThat(tooLong.getError().getMessage()).contains("can only be 10070 minutes in the future");

            ODataError past = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph()
                            .subscriptions()
                            .post(subscription(
                                    "me/events",
                                    receiver.url(),
                                    OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1))));
            assertThat(past.getResponseStatusCode()).isEqualTo(400);

            ODataError resource = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().post(subscription("me/messages", receiver.url(), inDays(1))));
            assertThat(resource.getResponseStatusCode()).isEqualTo(400);

            Subscription longest = u.graph()
                    .subscriptions()
                    .post(subscription(
                            "me/events",
                            receiver.url(),
                            OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10079)));
            assertThat(longest.getId()).isNotBlank();
        }
    }

    @Test
    void subscriptionsAreRenewedAndDeleted() throws InterruptedException {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            Subscription s = u.graph()
                    .subscriptions()
                    .post(subscription("/users/" + u.id() + "/events", receiver.url(), inDays(1)));
            Subscription renewal = new Subscription();
            renewal.setExpirationDateTime(inDays(6));
            Subscription renewed =
                    u.graph().subscriptions().bySubscriptionId(s.getId()).patch(renewal);
            assertThat(renewed.getExpirationDateTime()).isEqualTo(renewal.getExpirationDateTime());
            assertThat(u.graph()
                            .subscriptions()
                            .bySubscriptionId(s.getId())
                            .get()
                            .getExpirationDateTime())
                    .isEqualTo(renewal.getExpirationDateTime());

            Subscription tooFar = new Subscription();
            tooFar.setExpirationDateTime(inDays(8));
            ODataError e = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().bySubscriptionId(s.getId()).patch(tooFar));
            assertThat(e.getResponseStatusCode()).isEqualTo(400);

            assertThat(u.graph().subscriptions().get().getValue())
                    .extracting(Subscription::getId)
                    .containsExactly(s.getId());
            u.graph().subscriptions().bySubscriptionId(s.getId()).delete();
            ODataError gone = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().bySubscriptionId(s.getId()).get());
            assertThat(gone.getResponseStatusCode()).isEqualTo(404);

            u.graph()
                    .me()
                    .events()
                    .post(meeting("Nobody listens", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "UTC"));
            Thread.sleep(500);
            assertThat(receiver.notifications()).isEmpty();
        }
    }

    @Test
    void aCalendarSubscriptionHearsOnlyThatCalendar() {
        GraphTestSupport.User u = newUser();
        String work = GraphTestSupport.store()
                .createCalendar(u.account(), "Work", null)
                .id();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            Subscription s = subscription("me/calendars/" + work + "/events", receiver.url(), inDays(1));
            s.setChangeType("created");
            u.graph().subscriptions().post(s);
            u.graph().me().events().post(meeting("Home", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "UTC"));
            Event inWork = u.graph()
                    .me()
                    .calendars()
                    .byCalendarId(work)
                    .events()
                    .post(meeting("Work", "2026-03-02T12:00:00", "2026-03-02T13:00:00", "UTC"));
            u.graph().me().events().byEventId(inWork.getId()).delete(); // deleted is not subscribed to
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !entries(receiver).isEmpty());
            assertThat(entries(receiver))
                    .singleElement()
                    .satisfies(
                            n -> assertThat(n.at("/resourceData/id").asString()).isEqualTo(inWork.getId()));
        }
    }

    @Test
    void expiredSubscriptionsSendNothing() throws InterruptedException {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            Subscription s = u.graph()
                    .subscriptions()
                    .post(subscription(
                            "me/events",
                            receiver.url(),
                            OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2)));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> s.getExpirationDateTime().isBefore(OffsetDateTime.now()));
            u.graph().me().events().post(meeting("Too late", "2026-03-02T10:00:00", "2026-03-02T11:00:00", "UTC"));
            Thread.sleep(500);
            assertThat(receiver.notifications()).isEmpty();
            ODataError gone = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().bySubscriptionId(s.getId()).get());
            assertThat(gone.getResponseStatusCode()).isEqualTo(404);
        }
    }

    @Test
    void lifecycleNotificationsReachTheLifecycleUrl() {
        GraphTestSupport.User u = newUser();
        try (NotificationReceiver receiver = new NotificationReceiver(NotificationReceiver.Mode.ECHO);
                NotificationReceiver lifecycle = new NotificationReceiver(NotificationReceiver.Mode.ECHO)) {
            Subscription request = subscription("me/events", receiver.url(), inDays(1));
            request.setLifecycleNotificationUrl(lifecycle.url());
            Subscription s = u.graph().subscriptions().post(request);

            for (String event : List.of("reauthorizationRequired", "missed", "subscriptionRemoved")) {
                var r = control("POST", "/subscriptions/" + s.getId() + "/lifecycle?event=" + event, null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("sent").asBoolean()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> entries(lifecycle).size() == 3);
            assertThat(entries(lifecycle))
                    .extracting(n -> n.get("lifecycleEvent").asString())
                    .containsExactlyInAnyOrder("reauthorizationRequired", "missed", "subscriptionRemoved");
            assertThat(entries(lifecycle)).allSatisfy(n -> {
                assertThat(n.get("subscriptionId").asString()).isEqualTo(s.getId());
                assertThat(n.get("clientState").asString()).isEqualTo("secretClientValue");
                assertThat(n.get("tenantId").asString()).isNotBlank();
                assertThat(n.get("subscriptionExpirationDateTime").asString()).isNotBlank();
            });
            assertThat(receiver.notifications()).isEmpty();

            ODataError removed = catchThrowableOfType(
                    ODataError.class,
                    () -> u.graph().subscriptions().bySubscriptionId(s.getId()).get());
            assertThat(removed.getResponseStatusCode()).isEqualTo(404);
            assertThat(control("GET", "/subscriptions", null)
                            .json()
                            .valueStream()
                            .noneMatch(j -> j.get("id").asString().equals(s.getId())))
                    .isTrue();
        }
    }
}
