package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.ConnectionRemoved;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.EventsChanged;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.messaging.SubscriptionLifecycleRequested;
import io.calsync.model.messaging.SyncRequested;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Routes each message type to its use case. The switch over the sealed family is exhaustive: a new message type
 * does not compile until it is routed here. Runs inside the listener's transaction.
 */
@Component
class SyncMessageHandler {

    private static final Logger log = LoggerFactory.getLogger(SyncMessageHandler.class);

    void handle(CalendarMessage message) {
        switch (message) {
            case ConnectionCreated m ->
                log.info("connection created connectionId={} provider={}", m.connectionId(), m.provider());
            case SyncRequested m ->
                log.info(
                        "sync requested connectionId={} reason={} requestId={}",
                        m.connectionId(),
                        m.reason(),
                        m.requestId());
            case ProviderNotificationReceived m ->
                log.info("provider notification connectionId={} state={}", m.connectionId(), m.state());
            case EventCommand m ->
                log.info(
                        "event command connectionId={} action={} event={}",
                        m.connectionId(),
                        m.action(),
                        m.localEventId());
            case SubscriptionLifecycleRequested m ->
                log.info("subscription work connectionId={} action={}", m.connectionId(), m.action());
            case ConnectionRemoved m -> log.info("connection removed connectionId={}", m.connectionId());
            case EventsChanged m -> log.warn("events-changed is not consumed here; ignoring eventId={}", m.eventId());
        }
    }
}
