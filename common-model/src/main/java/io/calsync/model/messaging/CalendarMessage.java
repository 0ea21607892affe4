package io.calsync.model.messaging;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * A message between services. Every message carries an {@code eventId} (consumers de-duplicate on it), its logical
 * {@code type} (written as a JSON property and a Kafka header; never a class name), a {@code schemaVersion}, the
 * instant it {@code occurredAt} and the {@code connectionId} it concerns (also its Kafka key).
 *
 * <p>A released message is frozen: new fields may be added (readers ignore what they do not know), existing ones
 * never change meaning or type. A breaking change is a new type.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConnectionCreated.class, name = ConnectionCreated.TYPE),
    @JsonSubTypes.Type(value = SyncRequested.class, name = SyncRequested.TYPE),
    @JsonSubTypes.Type(value = ProviderNotificationReceived.class, name = ProviderNotificationReceived.TYPE),
    @JsonSubTypes.Type(value = EventCommand.class, name = EventCommand.TYPE),
    @JsonSubTypes.Type(value = SubscriptionLifecycleRequested.class, name = SubscriptionLifecycleRequested.TYPE),
    @JsonSubTypes.Type(value = ConnectionRemoved.class, name = ConnectionRemoved.TYPE),
    @JsonSubTypes.Type(value = EventsChanged.class, name = EventsChanged.TYPE)
})
public sealed interface CalendarMessage
        permits ConnectionCreated,
                SyncRequested,
                ProviderNotificationReceived,
                EventCommand,
                SubscriptionLifecycleRequested,
                ConnectionRemoved,
                EventsChanged {

    UUID eventId();

    int schemaVersion();

    Instant occurredAt();

    UUID connectionId();

    /** The logical type id, as written in the JSON {@code type} property and the {@code calsync-type} header. */
    String type();

    /** The topic this message travels on. */
    String topic();

    /** The Kafka key: the connection id, so that one connection's messages keep their order. */
    default String key() {
        return connectionId().toString();
    }
}
