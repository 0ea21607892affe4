package io.calsync.ingest.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The judging of notifications, without HTTP: what is published, what is dropped and why, what fails the request. */
class WebhookIngestTest {

    static final UUID CONNECTION = UUID.randomUUID();
    static final UUID OTHER_CONNECTION = UUID.randomUUID();

    final InMemorySubscriptions subscriptions = new InMemorySubscriptions()
            .add(new KnownSubscription(
                    CONNECTION,
                    CalendarProvider.MICROSOFT,
                    "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f",
                    null,
                    "graph-secret"))
            .add(new KnownSubscription(
                    OTHER_CONNECTION, CalendarProvider.MICROSOFT, "7b0e2c55-8a41-4d7e-b1c3-2f6d9e8a0b12", null, null))
            .add(new KnownSubscription(CONNECTION, CalendarProvider.GOOGLE, "channel-1", "res-1", "chan-token"))
            .add(new KnownSubscription(OTHER_CONNECTION, CalendarProvider.GOOGLE, "channel-2", null, null));
    final RecordingSink sink = new RecordingSink();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WebhookIngest ingest = new WebhookIngest(subscriptions, sink, new WebhookMetrics(registry));

    static Deadline deadline() {
        return Deadline.after(System.nanoTime(), Duration.ofSeconds(2));
    }

    double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aGraphChangeWithTheRightClientStateIsPublishedForItsConnection() {
        IngestResult r = ingest.graph(
                List.of(new GraphNotification(
                        "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", "updated", "Users/u/Events/e1", null)),
                deadline());

        assertThat(r).isEqualTo(new IngestResult(1, 0));
        assertThat(sink.published).singleElement().satisfies(m -> {
            assertThat(m.connectionId()).isEqualTo(CONNECTION);
            assertThat(m.provider()).isEqualTo(CalendarProvider.MICROSOFT);
            assertThat(m.subscriptionId()).isEqualTo("3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f");
            assertThat(m.state()).isEqualTo("updated");
            assertThat(m.resource()).isEqualTo("Users/u/Events/e1");
            assertThat(m.lifecycleEvent()).isNull();
            assertThat(m.schemaVersion()).isEqualTo(1);
            assertThat(m.key()).isEqualTo(CONNECTION.toString());
        });
        assertThat(count("calsync.webhooks.received", "provider", "microsoft", "kind", "change"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.accepted", "provider", "microsoft", "kind", "change"))
                .isEqualTo(1);
        assertThat(registry.find("calsync.webhooks.publish")
                        .tags("outcome", "acknowledged")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aGraphBatchIsJudgedEntryByEntryAndTheGoodOnesArePublishedTogether() {
        IngestResult r = ingest.graph(
                List.of(
                        new GraphNotification(
                                "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", "created", "r1", null),
                        new GraphNotification("3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "forged", "created", "r2", null),
                        new GraphNotification(
                                "00000000-0000-4000-8000-000000000001", "graph-secret", "created", "r3", null),
                        new GraphNotification(null, "graph-secret", "created", "r4", null),
                        new GraphNotification(
                                "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", null, null, "missed")),
                deadline());

        assertThat(r).isEqualTo(new IngestResult(2, 3));
        assertThat(sink.published)
                .extracting(ProviderNotificationReceived::resource)
                .containsExactly("r1", null);
        assertThat(sink.published.get(1).lifecycleEvent()).isEqualTo("missed");
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "client_state_mismatch"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "unknown_subscription"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "malformed"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.accepted", "provider", "microsoft", "kind", "lifecycle"))
                .isEqualTo(1);
    }

    @Test
    void aSubscriptionWithoutClientStateAcceptsOnlyNotificationsWithoutOne() {
        ingest.graph(
                List.of(new GraphNotification("7b0e2c55-8a41-4d7e-b1c3-2f6d9e8a0b12", null, "updated", "r", null)),
                deadline());
        ingest.graph(
                List.of(new GraphNotification("7b0e2c55-8a41-4d7e-b1c3-2f6d9e8a0b12", "", "updated", "r", null)),
                deadline());
        ingest.graph(
                List.of(new GraphNotification(
                        "7b0e2c55-8a41-4d7e-b1c3-2f6d9e8a0b12", "anything", "updated", "r", null)),
                deadline());

        assertThat(sink.published).hasSize(2);
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "client_state_mismatch"))
                .isEqualTo(1);
    }

    @Test
    void aBrokerThatDoesNotAcknowledgeFailsTheRequestAndCountsNothingAccepted() {
        sink.brokerDown = true;

        assertThatThrownBy(() -> ingest.graph(
                        List.of(new GraphNotification(
                                "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", "updated", "r", null)),
                        deadline()))
                .isInstanceOf(BrokerUnavailableException.class);
        assertThat(count("calsync.webhooks.unavailable", "provider", "microsoft", "cause", "broker"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.accepted", "provider", "microsoft", "kind", "change"))
                .isZero();
        assertThat(registry.find("calsync.webhooks.publish")
                        .tags("outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aDatabaseThatCannotAnswerFailsTheRequestInsteadOfDroppingTheNotification() {
        subscriptions.down = true;

        assertThatThrownBy(() -> ingest.graph(
                        List.of(new GraphNotification(
                                "3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", "updated", "r", null)),
                        deadline()))
                .isInstanceOf(VerificationUnavailableException.class);
        assertThat(count("calsync.webhooks.unavailable", "provider", "microsoft", "cause", "database"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "unknown_subscription"))
                .isZero();
    }

    @Test
    void googleSyncIsAcknowledgedWithoutALookupOrAMessage() {
        IngestResult r = ingest.google(
                new GoogleNotification("channel-1", "chan-token", "res-1", "uri", "sync", 1L), deadline());

        assertThat(r).isEqualTo(new IngestResult(0, 0));
        assertThat(subscriptions.lookups).hasValue(0);
        assertThat(sink.published).isEmpty();
        assertThat(count("calsync.webhooks.received", "provider", "google", "kind", "sync"))
                .isEqualTo(1);
    }

    @Test
    void googleExistsAndNotExistsArePublishedWithTheMessageNumber() {
        ingest.google(new GoogleNotification("channel-1", "chan-token", "res-1", "uri-1", "exists", 2L), deadline());
        ingest.google(new GoogleNotification("channel-2", null, "any", "uri-2", "not_exists", 7L), deadline());

        assertThat(sink.published).hasSize(2);
        ProviderNotificationReceived first = sink.published.get(0);
        assertThat(first.connectionId()).isEqualTo(CONNECTION);
        assertThat(first.provider()).isEqualTo(CalendarProvider.GOOGLE);
        assertThat(first.subscriptionId()).isEqualTo("channel-1");
        assertThat(first.state()).isEqualTo("exists");
        assertThat(first.resource()).isEqualTo("uri-1");
        assertThat(first.messageNumber()).isEqualTo(2L);
        assertThat(sink.published.get(1).connectionId()).isEqualTo(OTHER_CONNECTION);
        assertThat(sink.published.get(1).state()).isEqualTo("not_exists");
    }

    @Test
    void aRetriedGoogleMessageKeepsItsEventIdSoConsumersSeeOneMessage() {
        GoogleNotification n = new GoogleNotification("channel-1", "chan-token", "res-1", "uri", "exists", 5L);
        ingest.google(n, deadline());
        ingest.google(n, deadline());
        ingest.google(new GoogleNotification("channel-1", "chan-token", "res-1", "uri", "exists", 6L), deadline());

        assertThat(sink.published).hasSize(3);
        assertThat(sink.published.get(0).eventId())
                .isEqualTo(sink.published.get(1).eventId());
        assertThat(sink.published.get(2).eventId())
                .isNotEqualTo(sink.published.get(0).eventId());
    }

    @Test
    void googleMessagesThatFailAnyCheckAreDroppedWithTheirReason() {
        ingest.google(new GoogleNotification("unknown", "chan-token", "res-1", "uri", "exists", 2L), deadline());
        ingest.google(new GoogleNotification("channel-1", "wrong", "res-1", "uri", "exists", 2L), deadline());
        ingest.google(new GoogleNotification("channel-1", null, "res-1", "uri", "exists", 2L), deadline());
        ingest.google(new GoogleNotification("channel-1", "chan-token", "res-other", "uri", "exists", 2L), deadline());
        ingest.google(new GoogleNotification("channel-1", "chan-token", "res-1", "uri", "deleted?", 2L), deadline());

        assertThat(sink.published).isEmpty();
        assertThat(count("calsync.webhooks.dropped", "provider", "google", "reason", "unknown_subscription"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "google", "reason", "channel_token_mismatch"))
                .isEqualTo(2);
        assertThat(count("calsync.webhooks.dropped", "provider", "google", "reason", "resource_mismatch"))
                .isEqualTo(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "google", "reason", "unsupported_state"))
                .isEqualTo(1);
    }

    @Test
    void noSecretAppearsWhenNotificationsOrSubscriptionsArePrinted() {
        String printed = new GraphNotification("s", "graph-secret", "updated", "r", null)
                + " " + new GoogleNotification("c", "chan-token", "r", "u", "exists", 1L)
                + " " + new KnownSubscription(CONNECTION, CalendarProvider.GOOGLE, "c", "r", "chan-token");

        assertThat(printed).doesNotContain("graph-secret").doesNotContain("chan-token");
    }

    @Test
    void idsNotShapedLikeTheProvidersAreDroppedWithoutALookupAndARequestIsOneLookup() {
        java.util.List<java.util.Collection<String>> lookups = new java.util.ArrayList<>();
        SubscriptionLookup counting = new SubscriptionLookup() {
            @Override
            public java.util.Optional<KnownSubscription> find(CalendarProvider provider, String id) {
                throw new AssertionError("one batched lookup per request, never one per notification");
            }

            @Override
            public java.util.Map<String, KnownSubscription> findAll(
                    CalendarProvider provider, java.util.Collection<String> ids) {
                lookups.add(java.util.List.copyOf(ids));
                return subscriptions.findAll(provider, ids);
            }
        };
        WebhookIngest judged = new WebhookIngest(counting, sink, new WebhookMetrics(registry));
        java.util.List<GraphNotification> many = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new GraphNotification("not-a-graph-id-" + i, "x", "updated", "r", null));
            many.add(new GraphNotification(java.util.UUID.randomUUID().toString(), "x", "updated", "r", null));
        }
        many.add(new GraphNotification("3f2a6a1e-5c4b-4e0c-9d9b-1a2b3c4d5e6f", "graph-secret", "updated", "r", null));
        IngestResult r = judged.graph(many, deadline());

        assertThat(r.accepted()).isEqualTo(1);
        assertThat(lookups).hasSize(1);
        assertThat(lookups.getFirst()).hasSize(301).noneMatch(id -> id.startsWith("not-a-graph-id"));
        assertThat(count("calsync.webhooks.dropped", "provider", "microsoft", "reason", "malformed"))
                .isEqualTo(300);
        judged.google(
                new GoogleNotification("bad channel id!", "chan-token", "res-1", "uri", "exists", 1L), deadline());
        assertThat(lookups).hasSize(1);
        assertThat(count("calsync.webhooks.dropped", "provider", "google", "reason", "malformed"))
                .isEqualTo(1);
    }
}
