package io.calsync.ingest.application;

import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import java.util.List;

/** Where verified notifications go. */
public interface NotificationSink {

    /**
     * Publishes every message and returns only once the broker acknowledged all of them.
     *
     * @throws BrokerUnavailableException when any of them was not acknowledged before the deadline; some may have
     *     been written all the same (the provider's retry then makes a duplicate, which consumers tolerate)
     */
    void publishAll(List<ProviderNotificationReceived> messages, Deadline deadline);
}
