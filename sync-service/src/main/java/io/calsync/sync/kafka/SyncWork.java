package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.EventCommand;
import io.calsync.sync.engine.SyncEngine;
import io.calsync.sync.engine.WriteBack;
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
    private final TransactionTemplate tx;

    SyncWork(SyncEngine engine, WriteBack writeBack, PlatformTransactionManager transactions) {
        this.engine = engine;
        this.writeBack = writeBack;
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
            tx.executeWithoutResult(s -> work.messages().forEach(m -> markProcessed.accept(m.eventId())));
            return;
        }
        for (EventCommand command : work.commands()) {
            writeBack.apply(command, () -> markProcessed.accept(command.eventId()));
        }
        for (CalendarMessage m : work.lifecycle()) {
            log.info("subscription work not handled yet connectionId={} type={}", m.connectionId(), m.type());
            if (!work.syncTriggers().contains(m)) {
                tx.executeWithoutResult(s -> markProcessed.accept(m.eventId()));
            }
        }
        if (!work.syncTriggers().isEmpty()) {
            engine.sync(
                    work.connectionId(),
                    work.cause(),
                    work.fullSync(),
                    work.requestId(),
                    () -> work.syncTriggers().forEach(m -> markProcessed.accept(m.eventId())));
        }
    }
}
