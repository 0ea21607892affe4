package io.calsync.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.ingest.application.GraphNotification;
import io.calsync.testsupport.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Graph notification collections as Graph's documentation and a real client's test data show them. */
class GraphNotificationsTest {

    static byte[] corpus(String path) throws IOException {
        return Files.readAllBytes(Corpus.root().resolve("graph").resolve(path));
    }

    @Test
    void aDocumentedChangeNotificationIsRead() throws IOException {
        List<GraphNotification> n = GraphNotifications.parse(corpus("microsoft-graph-docs/webhooks__example1.json"));

        assertThat(n).singleElement().satisfies(g -> {
            assertThat(g.subscriptionId()).isEqualTo("{subscription_guid}");
            assertThat(g.clientState()).isEqualTo("secretClientValue");
            assertThat(g.changeType()).isEqualTo("created");
            assertThat(g.resource()).startsWith("users/{user_guid}@{tenant_guid}/messages/");
            assertThat(g.isLifecycle()).isFalse();
        });
    }

    @Test
    void anEventNotificationWithANullClientStateIsReadAsNone() throws IOException {
        List<GraphNotification> n =
                GraphNotifications.parse(corpus("mattermost-plugin-mscalendar/webhook_event_ notification.json"));

        assertThat(n).singleElement().satisfies(g -> {
            assertThat(g.subscriptionId()).isEqualTo("47b6cd58-254e-4c4b-a21c-b6d107c6a303");
            assertThat(g.clientState()).isNull();
            assertThat(g.changeType()).isEqualTo("updated");
            assertThat(g.resource()).startsWith("Users/fb10ac13-e441-4611-8431-8ee3b6403673/Events/");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "microsoft-graph-docs/webhooks-lifecycle__example1.json:subscriptionRemoved",
                "microsoft-graph-docs/webhooks-lifecycle__example2.json:missed",
                "microsoft-graph-docs/webhooks-lifecycle__example3.json:reauthorizationRequired"
            })
    void documentedLifecycleNotificationsAreRead(String fileAndEvent) throws IOException {
        String[] parts = fileAndEvent.split(":");
        List<GraphNotification> n = GraphNotifications.parse(corpus(parts[0]));

        assertThat(n).singleElement().satisfies(g -> {
            assertThat(g.isLifecycle()).isTrue();
            assertThat(g.lifecycleEvent()).isEqualTo(parts[1]);
            assertThat(g.subscriptionId()).isNotBlank();
            assertThat(g.clientState()).isNotBlank();
            assertThat(g.changeType()).isNull();
        });
    }

    @Test
    void aCollectionWithOnlyValidationTokensHasNoNotifications() throws IOException {
        assertThat(GraphNotifications.parse(corpus("microsoft-graph-docs/changenotificationcollection__example1.json")))
                .isEmpty();
    }

    @Test
    void aNonStringClientStateIsKeptAsTextSoItCannotPassForNone() {
        List<GraphNotification> n =
                GraphNotifications.parse(bytes("{\"value\":[{\"subscriptionId\":\"s\",\"clientState\":5}]}"));

        assertThat(n.getFirst().clientState()).isEqualTo("5");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "{\"value\": [",
                "[]",
                "\"value\"",
                "{}",
                "{\"value\": {}}",
                "{\"value\": [1]}",
                "{\"value\": []} trailing"
            })
    void whatIsNotANotificationCollectionIsMalformed(String body) {
        assertThatThrownBy(() -> GraphNotifications.parse(bytes(body)))
                .isInstanceOf(MalformedNotificationException.class);
    }

    @Test
    void anotherFileOfTheCorpusIsNoNotificationCollection() throws IOException {
        Path event = Corpus.root().resolve("graph/microsoft-graph-docs/event-get__example1.json");

        assertThatThrownBy(() -> GraphNotifications.parse(Files.readAllBytes(event)))
                .isInstanceOf(MalformedNotificationException.class);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void atMostAThousandNotificationsPerRequest() {
        String entry = "{\"subscriptionId\":\"5d1f0b9e-2c3a-4f6b-8e7d-9a0b1c2d3e4f\",\"clientState\":\"c\"}";
        byte[] thousand = ("{\"value\":[" + String.join(",", java.util.Collections.nCopies(1000, entry)) + "]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(GraphNotifications.parse(thousand))
                .hasSize(1000);
        byte[] more = ("{\"value\":[" + String.join(",", java.util.Collections.nCopies(1001, entry)) + "]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GraphNotifications.parse(more))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("at most 1000 notifications");
    }
}
