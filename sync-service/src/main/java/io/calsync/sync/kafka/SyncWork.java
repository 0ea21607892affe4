package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionRemoved;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.messaging.SubscriptionLifecycleRequested;
import io.calsync.sync.application.Subscriptions;
import io.calsync.sync.application.SyncEngine;
import io.calsync.sync.application.WriteBack;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Carries out one connection's share of a batch: removal, write-backs in order, subscription work, one sync. */
@Component
class SyncWork {

    private static final Logger log = LoggerFactory.getLogger(SyncWork.class);

    private final SyncEngine engine;
    private final WriteBack writeBack;
    private final Subscriptions subscriptions;
    private final TransactionTemplate tx;

    SyncWork(
            SyncEngine engine,
            WriteBack writeBack,
            Subscriptions subscriptions,
            PlatformTransactionManager transactions) {
        this.engine = engine;
        this.writeBack = writeBack;
        this.subscriptions = subscriptions;
        this.tx = new TransactionTemplate(transactions);
    }

    /** @param markProcessed records a message id as processed; must be called inside a transaction */
    void run(BatchPlan.ConnectionWork work, Consumer<UUID> markProcessed) {
        if (!work.noWork().isEmpty()) {
            tx.executeWithoutResult(s -> work.noWork().forEach(m -> markProcessed.accept(m.eventId())));
        }
        if (work.removed()) {
            // The gateway already removed the rows; nothing of this connection is left to sync or write.
            log.info("connection removed, dropping its queued work connectionId={}", work.connectionId());
            work.lifecycle().stream()
                    .filter(ConnectionRemoved.class::isInstance)
                    .map(ConnectionRemoved.class::cast)
                    .forEach(subscriptions::stopAll);
            tx.executeWithoutResult(s -> work.messages().forEach(m -> markProcessed.accept(m.eventId())));
            return;
        }
        for (EventCommand command : work.commands()) {
            writeBack.apply(command, () -> markProcessed.accept(command.eventId()));
        }
        for (CalendarMessage m : work.lifecycle()) {
            lifecycle(m);
            if (!work.syncTriggers().contains(m)) {
                tx.executeWithoutResult(s -> markProcessed.accept(m.eventId()));
            }
        }
        if (!work.syncTriggers().isEmpty()) {
            SyncEngine.Result result = engine.sync(
                    work.connectionId(),
                    work.cause(),
                    work.fullSync(),
                    work.requestId(),
                    () -> work.syncTriggers().forEach(m -> markProcessed.accept(m.eventId())));
            if (result.outcome() == SyncEngine.Outcome.SYNCED || result.outcome() == SyncEngine.Outcome.NOT_MODIFIED) {
                subscriptions.ensure(work.connectionId()); // after the initial sync, and healing any lost one later
            }
        }
    }

    private void lifecycle(CalendarMessage m) {
        switch (m) {
            case SubscriptionLifecycleRequested r -> {
                switch (r.action()) {
                    case CREATE -> subscriptions.ensure(r.connectionId());
                    case RENEW, REAUTHORIZE -> subscriptions.renew(r.connectionId(), r.subscriptionId());
                    case RECREATE -> subscriptions.recreate(r.connectionId(), r.subscriptionId());
                    case STOP -> subscriptions.stop(r.connectionId(), r.subscriptionId());
                }
            }
            case ProviderNotificationReceived n
            when "reauthorizationRequired".equalsIgnoreCase(n.lifecycleEvent()) ->
                subscriptions.renew(n.connectionId(), n.subscriptionId());
            case ProviderNotificationReceived n
            when "subscriptionRemoved".equalsIgnoreCase(n.lifecycleEvent()) ->
                subscriptions.recreate(n.connectionId(), n.subscriptionId());
            default -> {} // "missed" and the rest: the sync this batch runs anyway is the answer
        }
    }
}
