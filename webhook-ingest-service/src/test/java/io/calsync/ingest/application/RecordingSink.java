package io.calsync.ingest.application;

import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link NotificationSink} that keeps what it is given, for tests of the web and application layers; the Kafka one
 * runs in the ITs against a real broker. Can be made to fail as a broker that does not acknowledge.
 */
public class RecordingSink implements NotificationSink {

    public final List<ProviderNotificationReceived> published = new CopyOnWriteArrayList<>();
    public volatile boolean brokerDown;

    public void clear() {
        published.clear();
        brokerDown = false;
    }

    @Override
    public void publishAll(List<ProviderNotificationReceived> messages, Deadline deadline) {
        if (brokerDown) {
            throw new BrokerUnavailableException("broker down (test)", null);
        }
        published.addAll(messages);
    }
}
