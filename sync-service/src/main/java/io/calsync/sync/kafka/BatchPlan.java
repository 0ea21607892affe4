package io.calsync.sync.kafka;

import io.calsync.model.messaging.CalendarMessage;
import io.calsync.model.messaging.ConnectionCreated;
import io.calsync.model.messaging.ConnectionRemoved;
import io.calsync.model.messaging.EventCommand;
import io.calsync.model.messaging.EventsChanged;
import io.calsync.model.messaging.ProviderNotificationReceived;
import io.calsync.model.messaging.SubscriptionLifecycleRequested;
import io.calsync.model.messaging.SyncRequested;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one poll's batch asks of each connection, in the order the connections first appear. All sync triggers of a
 * connection (notifications, sync requests, a new connection) become one sync; its write-back commands keep their
 * order and run before that sync, so the sync already sees their results (and recognises the providers' echoes).
 * The switch over the sealed message family is exhaustive: a new message type does not compile until it is planned.
 */
record BatchPlan(List<ConnectionWork> work, int coalesced) {

    /** One connection's share of the batch. {@code firstIndex}: its earliest record in the batch. */
    record ConnectionWork(
            UUID connectionId,
            int firstIndex,
            List<CalendarMessage> messages,
            List<EventCommand> commands,
            List<CalendarMessage> syncTriggers,
            List<CalendarMessage> lifecycle,
            List<CalendarMessage> noWork,
            boolean removed,
            boolean fullSync,
            String cause,
            String requestId) {}

    private static final class Builder {
        final UUID connectionId;
        final int firstIndex;
        final List<CalendarMessage> messages = new ArrayList<>();
        final List<EventCommand> commands = new ArrayList<>();
        final List<CalendarMessage> triggers = new ArrayList<>();
        final List<CalendarMessage> lifecycle = new ArrayList<>();
        final List<CalendarMessage> noWork = new ArrayList<>();
        boolean removed;
        boolean full;
        String cause;
        int causeRank = Integer.MAX_VALUE;
        String requestId;

        Builder(UUID connectionId, int firstIndex) {
            this.connectionId = connectionId;
            this.firstIndex = firstIndex;
        }

        void trigger(CalendarMessage m, String why, int rank, String request) {
            triggers.add(m);
            if (rank < causeRank) {
                causeRank = rank;
                cause = why;
                requestId = request;
            }
        }

        ConnectionWork build() {
            return new ConnectionWork(
                    connectionId,
                    firstIndex,
                    List.copyOf(messages),
                    List.copyOf(commands),
                    List.copyOf(triggers),
                    List.copyOf(lifecycle),
                    List.copyOf(noWork),
                    removed,
                    full,
                    cause,
                    requestId);
        }
    }

    static BatchPlan of(List<CalendarMessage> batch, Set<UUID> alreadyProcessed) {
        Map<UUID, Builder> byConnection = new LinkedHashMap<>();
        int coalesced = 0;
        for (int i = 0; i < batch.size(); i++) {
            CalendarMessage message = batch.get(i);
            if (alreadyProcessed.contains(message.eventId())) {
                continue;
            }
            int index = i;
            Builder b = byConnection.computeIfAbsent(message.connectionId(), id -> new Builder(id, index));
            b.messages.add(message);
            switch (message) {
                case ConnectionCreated m -> {
                    b.full = true;
                    b.trigger(m, "INITIAL", 0, null);
                }
                case SyncRequested m -> {
                    b.full |= m.fullResync();
                    b.trigger(m, m.reason() == null ? "MANUAL" : m.reason().name(), rank(m.reason()), m.requestId());
                }
                case ProviderNotificationReceived m -> {
                    if (m.lifecycleEvent() != null) {
                        b.lifecycle.add(m);
                        b.trigger(m, "LIFECYCLE", 3, null); // a missed or removed subscription: catch up now
                    } else if ("sync".equalsIgnoreCase(m.state())) {
                        b.noWork.add(m); // Google's handshake after a watch: nothing changed
                    } else {
                        b.trigger(m, "NOTIFICATION", 4, null);
                    }
                }
                case EventCommand m -> b.commands.add(m);
                case SubscriptionLifecycleRequested m -> b.lifecycle.add(m);
                case ConnectionRemoved m -> {
                    b.removed = true;
                    b.lifecycle.add(m);
                }
                case EventsChanged m -> b.noWork.add(m); // not ours to consume; never on these topics
            }
        }
        List<ConnectionWork> work = new ArrayList<>();
        for (Builder b : byConnection.values()) {
            coalesced += Math.max(0, b.triggers.size() - 1);
            work.add(b.build());
        }
        return new BatchPlan(List.copyOf(work), coalesced);
    }

    private static int rank(SyncRequested.Reason reason) {
        if (reason == null) {
            return 1;
        }
        return switch (reason) {
            case INITIAL -> 0;
            case MANUAL, RETRY -> 1;
            case SCHEDULED -> 5;
            case BACKSTOP -> 6;
        };
    }
}
