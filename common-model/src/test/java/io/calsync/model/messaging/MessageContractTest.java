package io.calsync.model.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.messaging.MessageCodec.MalformedMessageException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON contract of every message: round trip, logical type ids, tolerance of fields added later. */
class MessageContractTest {

    private static final UUID CONNECTION = UUID.fromString("0b9a3c52-6a4b-4c1e-9a53-3f1d2a6e8b10");
    private static final UUID USER = UUID.fromString("5d3e2f10-1111-4c1e-9a53-3f1d2a6e8b10");

    static Stream<CalendarMessage> everyMessageType() {
        return Stream.of(
                ConnectionCreated.of(CONNECTION, USER, CalendarProvider.GOOGLE),
                SyncRequested.of(CONNECTION, USER, SyncRequested.Reason.MANUAL, "req-1"),
                new ProviderNotificationReceived(
                        UUID.randomUUID(),
                        1,
                        Instant.parse("2026-11-24T10:00:00Z"),
                        CONNECTION,
                        CalendarProvider.MICROSOFT,
                        "sub-1",
                        "updated",
                        "me/events/AAMk",
                        7L,
                        null),
                EventCommand.of(CONNECTION, USER, UUID.randomUUID(), EventCommand.Action.UPDATE, "req-2"),
                SubscriptionLifecycleRequested.of(
                        CONNECTION, SubscriptionLifecycleRequested.Action.RENEW, "sub-1", "expiring"),
                new ConnectionRemoved(
                        UUID.randomUUID(),
                        1,
                        Instant.now(),
                        CONNECTION,
                        USER,
                        CalendarProvider.GOOGLE,
                        "ada@example.com",
                        List.of("channel-1"),
                        List.of("resource-1")),
                new EventsChanged(
                        UUID.randomUUID(),
                        1,
                        Instant.now(),
                        CONNECTION,
                        USER,
                        "sync",
                        3,
                        1,
                        List.of(UUID.randomUUID()),
                        false));
    }

    @Test
    void coversEveryPermittedType() {
        assertThat(everyMessageType().map(Object::getClass).distinct())
                .hasSize(CalendarMessage.class.getPermittedSubclasses().length);
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void roundTripsUnchanged(CalendarMessage message) {
        assertThat(MessageCodec.decode(MessageCodec.encode(message))).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void writesTheEnvelopeFieldsAndALogicalTypeId(CalendarMessage message) {
        String json = MessageCodec.encode(message);
        assertThat(json)
                .contains("\"type\":\"" + message.type() + "\"")
                .contains("\"eventId\":\"" + message.eventId() + "\"")
                .contains("\"connectionId\":\"" + CONNECTION + "\"")
                .contains("\"schemaVersion\":1")
                .contains("\"occurredAt\":\"")
                .doesNotContain(message.getClass().getName())
                .doesNotContain("\"topic\"");
        assertThat(message.topic()).isIn(Topics.MAIN);
        assertThat(message.key()).isEqualTo(CONNECTION.toString());
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void ignoresFieldsAddedByANewerWriter(CalendarMessage message) {
        String json = MessageCodec.encode(message);
        String newer = json.substring(0, json.length() - 1) + ",\"addedLater\":{\"nested\":[1,2]},\"flag\":true}";
        assertThat(MessageCodec.decode(newer)).isEqualTo(message);
    }

    @Test
    void readsAMessageWrittenByHandInTheDocumentedShape() {
        String json = """
                {"type":"sync.requested","eventId":"6f1c1f38-5a7e-4f5e-9a2b-0c8d1b2a3e4f","schemaVersion":1,
                 "occurredAt":"2026-11-24T10:00:00Z","connectionId":"0b9a3c52-6a4b-4c1e-9a53-3f1d2a6e8b10",
                 "userId":"5d3e2f10-1111-4c1e-9a53-3f1d2a6e8b10","reason":"SCHEDULED","requestId":null,"fullResync":true}
                """;
        SyncRequested m = (SyncRequested) MessageCodec.decode(json);
        assertThat(m.reason()).isEqualTo(SyncRequested.Reason.SCHEDULED);
        assertThat(m.fullResync()).isTrue();
        assertThat(m.occurredAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
    }

    @Test
    void refusesUnknownTypesMissingIdsAndGarbage() {
        assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"no.such.type\",\"eventId\":\"" + UUID.randomUUID()
                        + "\",\"connectionId\":\"" + CONNECTION + "\"}"))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() ->
                        MessageCodec.decode("{\"type\":\"sync.requested\",\"connectionId\":\"" + CONNECTION + "\"}"))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.decode("not json")).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.decode(new byte[0])).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void everyTopicHasItsDeadLetterTopic() {
        assertThat(Topics.ALL).hasSize(Topics.MAIN.size() * 2);
        Topics.MAIN.forEach(t -> assertThat(Topics.ALL).contains(t, t + "-dlt"));
    }
}
