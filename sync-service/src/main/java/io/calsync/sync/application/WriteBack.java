package io.calsync.sync.application;

import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.ReminderMethod;
import io.calsync.model.domain.RsvpStatus;
import io.calsync.model.messaging.EventCommand;
import io.calsync.providers.oauth.ProviderTokenException;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.SyncTarget;
import io.calsync.sync.persistence.Audit;
import io.calsync.sync.persistence.Connections;
import io.calsync.sync.persistence.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a local change (an {@link EventCommand}) to the provider.
 *
 * <p><b>The row is the truth, not the command.</b> The gateway keeps the wanted state in the event row
 * ({@code sync_status=PENDING}, {@code pending_operation}); a command only says "look at this row". So a command that
 * arrives twice, late, or after a newer edit does what the row wants now: a row that is no longer PENDING is done.
 *
 * <p><b>No duplicates.</b> A create sends a client-chosen key derived from the row id (Google event id, Graph
 * transactionId), so a create retried after a lost answer finds the first event. The provider's echo of our write
 * (its push, then our incremental sync) carries the etag we stored from the write's answer and changes nothing.
 *
 * <p><b>412 policy (last writer wins).</b> An update whose etag the provider rejects fetches the provider's version:
 * gone → the event is removed here too; changed at the provider after our local edit → the provider's version is
 * kept and the row says so in {@code sync_error}; older than our local edit → our version is written again over
 * the new etag. A delete whose etag is stale deletes anyway: the user asked for it to be gone.
 *
 * <p><b>Failures.</b> Permanent refusals mark the row FAILED with the reason ({@code retry-sync} re-sends it);
 * transient ones go back to Kafka for redelivery until {@code writeMaxAttempts}, then FAILED as well.
 */
@Component
public class WriteBack {

    private static final Logger log = LoggerFactory.getLogger(WriteBack.class);

    private final JdbcTemplate jdbc;
    private final Connections connections;
    private final SyncEngine engine;
    private final EventStore store;
    private final Audit audit;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final SyncProperties properties;
    private final io.calsync.platform.outbox.OutboxWriter outbox;

    public WriteBack(
            JdbcTemplate jdbc,
            Connections connections,
            SyncEngine engine,
            EventStore store,
            Audit audit,
            PlatformTransactionManager transactions,
            MeterRegistry meters,
            SyncProperties properties,
            io.calsync.platform.outbox.OutboxWriter outbox) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.engine = engine;
        this.store = store;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
        this.meters = meters;
        this.properties = properties;
        this.outbox = outbox;
    }

    /** A local event row as the write-back reads it. */
    record Local(
            UUID id,
            UUID connectionId,
            String providerEventId,
            String etag,
            String pendingOperation,
            String syncStatus,
            long version,
            Instant updatedAt,
            int attempts,
            ProviderEvent event) {}

    /**
     * Carries out the command; {@code inFinalTransaction} (marking the message processed) commits with the outcome.
     * Throws when the provider failed transiently and the message should come again.
     */
    public void apply(EventCommand command, Runnable markProcessed) {
        Optional<Local> found = load(command.localEventId());
        if (found.isEmpty() || !"PENDING".equals(found.get().syncStatus())) {
            log.info(
                    "write-back has nothing to do eventId={} action={} reason={}",
                    command.localEventId(),
                    command.action(),
                    found.isEmpty() ? "row gone" : "row is " + found.get().syncStatus());
            tx.executeWithoutResult(s -> markProcessed.run());
            return;
        }
        Local row = found.get();
        // Every outcome changes the row (SYNCED, FAILED, the provider's version): open streams learn it at once.
        Runnable inFinalTransaction = () -> {
            markProcessed.run();
            outbox.write(new io.calsync.model.messaging.EventsChanged(
                    java.util.UUID.randomUUID(),
                    1,
                    Instant.now(),
                    row.connectionId(),
                    command.userId(),
                    "write-back",
                    0,
                    0,
                    java.util.List.of(row.id()),
                    false));
        };
        Optional<Connections.Connection> connection = connections.find(row.connectionId());
        if (connection.isEmpty() || !connection.get().connected()) {
            finish(
                    row,
                    command,
                    "FAILED",
                    "CALENDAR_DISCONNECTED: reconnect the calendar, then retry",
                    inFinalTransaction);
            return;
        }
        Connections.Connection c = connection.get();
        Optional<ProviderWriter> writer = engine.writer(c.provider());
        if (writer.isEmpty() || c.readOnly()) {
            finish(row, command, "FAILED", "READ_ONLY: the calendar cannot be written", inFinalTransaction);
            return;
        }
        SyncTarget target = engine.target(c, false);
        String op = row.pendingOperation() == null ? "UPDATE" : row.pendingOperation();
        if ("CREATE".equals(op) && row.providerEventId() != null) {
            op = "UPDATE";
        }
        try {
            switch (op) {
                case "CREATE" -> create(writer.get(), target, row, command, inFinalTransaction);
                case "DELETE" -> delete(writer.get(), target, row, command, inFinalTransaction);
                case "RSVP" -> respond(writer.get(), target, c, row, command, inFinalTransaction);
                default -> update(writer.get(), target, row, command, inFinalTransaction);
            }
            meters.counter("calsync.writeback", "provider", c.provider().name(), "action", op, "outcome", "ok")
                    .increment();
        } catch (TokenRevokedException e) {
            finish(row, command, "FAILED", "CALENDAR_DISCONNECTED: the provider revoked access", inFinalTransaction);
        } catch (ProviderTokenException e) {
            transientFailure(
                    row,
                    command,
                    new ProviderException(
                            ProviderException.Kind.TRANSIENT, 0, "TOKEN_REFRESH_FAILED", "token refresh failed"),
                    inFinalTransaction);
        } catch (ProviderException e) {
            meters.counter(
                            "calsync.writeback",
                            "provider",
                            c.provider().name(),
                            "action",
                            op,
                            "outcome",
                            e.kind().name())
                    .increment();
            if (e.kind() == ProviderException.Kind.NOT_FOUND && !"CREATE".equals(op)) {
                goneAtProvider(row, command, inFinalTransaction);
            } else if (e.retryable()) {
                transientFailure(row, command, e, inFinalTransaction);
            } else {
                finish(row, command, "FAILED", reason(e), inFinalTransaction);
            }
        }
    }

    private void create(
            ProviderWriter writer, SyncTarget target, Local row, EventCommand command, Runnable inFinalTransaction) {
        ProviderWriter.Written w = writer.create(target, row.id(), row.event());
        Boolean stored = tx.execute(s -> {
            int n = markWritten(row, w);
            if (n == 1) {
                audit.record(
                        command.userId(),
                        "event.write_back",
                        "event",
                        row.id(),
                        "SUCCESS",
                        "CREATE",
                        command.requestId());
                inFinalTransaction.run();
            }
            return n == 1;
        });
        if (!Boolean.TRUE.equals(stored)) {
            // Deleted here while the create was on its way: take it back at the provider too.
            log.info("event deleted locally during its create, deleting it at the provider eventId={}", row.id());
            writer.delete(target, w.providerEventId(), null);
            tx.executeWithoutResult(s -> inFinalTransaction.run());
        }
    }

    private void update(
            ProviderWriter writer, SyncTarget target, Local row, EventCommand command, Runnable inFinalTransaction) {
        ProviderWriter.Written w;
        try {
            w = writer.update(target, row.event(), row.etag());
        } catch (ProviderException e) {
            if (e.kind() != ProviderException.Kind.PRECONDITION_FAILED) {
                throw e;
            }
            ProviderEvent current = writer.get(target, row.providerEventId());
            if (current == null) {
                goneAtProvider(row, command, inFinalTransaction);
                return;
            }
            boolean localNewer = current.providerUpdatedAt() == null
                    || (row.updatedAt() != null && row.updatedAt().isAfter(current.providerUpdatedAt()));
            meters.counter("calsync.writeback.conflicts", "winner", localNewer ? "local" : "provider")
                    .increment();
            if (!localNewer) {
                providerWins(row, current, command, inFinalTransaction);
                return;
            }
            log.info("write-back conflict, the local edit is newer and is written again eventId={}", row.id());
            w = writer.update(target, row.event(), current.etag());
        }
        ProviderWriter.Written written = w;
        tx.executeWithoutResult(s -> {
            markWritten(row, written);
            audit.record(
                    command.userId(), "event.write_back", "event", row.id(), "SUCCESS", "UPDATE", command.requestId());
            inFinalTransaction.run();
        });
    }

    private void delete(
            ProviderWriter writer, SyncTarget target, Local row, EventCommand command, Runnable inFinalTransaction) {
        try {
            writer.delete(target, row.providerEventId(), row.etag());
        } catch (ProviderException e) {
            if (e.kind() != ProviderException.Kind.PRECONDITION_FAILED) {
                throw e;
            }
            writer.delete(target, row.providerEventId(), null); // the user wants it gone, whatever changed since
        }
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM calendar_events WHERE id = ? AND pending_operation = 'DELETE'", row.id());
            store.recount(row.connectionId());
            audit.record(
                    command.userId(), "event.write_back", "event", row.id(), "SUCCESS", "DELETE", command.requestId());
            inFinalTransaction.run();
        });
    }

    /** The provider no longer has the event: it goes here too. */
    private void goneAtProvider(Local row, EventCommand command, Runnable inFinalTransaction) {
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM calendar_events WHERE id = ?", row.id());
            store.recount(row.connectionId());
            audit.record(
                    command.userId(),
                    "event.write_back",
                    "event",
                    row.id(),
                    "FAILURE",
                    "GONE_AT_PROVIDER: the event was deleted at the provider; the local change was dropped",
                    command.requestId());
            inFinalTransaction.run();
        });
    }

    private void providerWins(Local row, ProviderEvent current, EventCommand command, Runnable inFinalTransaction) {
        tx.executeWithoutResult(s -> {
            jdbc.update(
                    "UPDATE calendar_events SET sync_status = 'SYNCED', pending_operation = NULL, etag = NULL,"
                            + " provider_updated_at = NULL WHERE id = ?",
                    row.id());
            store.apply(row.connectionId(), List.of(current), List.of());
            jdbc.update(
                    "UPDATE calendar_events SET sync_error = ? WHERE id = ?",
                    "CONFLICT: the event changed at the provider after this edit; the provider's version was kept",
                    row.id());
            audit.record(
                    command.userId(),
                    "event.write_back",
                    "event",
                    row.id(),
                    "CONFLICT",
                    "provider version kept",
                    command.requestId());
            inFinalTransaction.run();
        });
    }

    private void transientFailure(Local row, EventCommand command, ProviderException e, Runnable inFinalTransaction) {
        Integer attempts = tx.execute(s -> jdbc.queryForObject(
                "UPDATE calendar_events SET sync_attempts = sync_attempts + 1 WHERE id = ? RETURNING sync_attempts",
                Integer.class,
                row.id()));
        if (attempts != null && attempts >= properties.writeMaxAttempts()) {
            finish(
                    row,
                    command,
                    "FAILED",
                    reason(e) + " (gave up after " + attempts + " attempts)",
                    inFinalTransaction);
            return;
        }
        log.warn(
                "write-back failed transiently, the command will be redelivered eventId={} attempt={} code={}",
                row.id(),
                attempts,
                e.code());
        throw e;
    }

    private void finish(Local row, EventCommand command, String status, String reason, Runnable inFinalTransaction) {
        tx.executeWithoutResult(s -> {
            jdbc.update(
                    "UPDATE calendar_events SET sync_status = ?::sync_status, sync_error = ?, updated_at = updated_at"
                            + " WHERE id = ? AND version = ?",
                    status,
                    reason,
                    row.id(),
                    row.version());
            audit.record(
                    command.userId(), "event.write_back", "event", row.id(), "FAILURE", reason, command.requestId());
            inFinalTransaction.run();
        });
        log.warn("write-back failed eventId={} action={} reason={}", row.id(), command.action(), reason);
    }

    /**
     * Stores what the provider answered. If the row changed while the write was on its way (a newer local edit, whose
     * own command is queued behind this one), it stays PENDING as an UPDATE so that the next command writes it.
     */
    /**
     * The account's answer to an invitation: its own attendee entry's status (and the comment the row holds) through
     * the provider's way of answering. Answering again is harmless, so a retry after a lost answer is too.
     */
    private void respond(
            ProviderWriter writer,
            SyncTarget target,
            Connections.Connection c,
            Local row,
            EventCommand command,
            Runnable inFinalTransaction) {
        io.calsync.model.domain.RsvpStatus answer = row.event().attendees().stream()
                .filter(a -> c.accountEmail() != null && a.email().equalsIgnoreCase(c.accountEmail()))
                .map(ProviderEvent.Attendee::responseStatus)
                .findFirst()
                .orElse(io.calsync.model.domain.RsvpStatus.NEEDS_ACTION);
        String comment =
                jdbc.queryForObject("SELECT rsvp_comment FROM calendar_events WHERE id = ?", String.class, row.id());
        ProviderWriter.Written w = writer.respond(target, row.event(), answer, comment);
        tx.executeWithoutResult(s -> {
            if (markWritten(row, w) == 1) {
                jdbc.update(
                        "UPDATE calendar_events SET rsvp_comment = NULL WHERE id = ? AND sync_status = 'SYNCED'",
                        row.id());
            }
            audit.record(
                    command.userId(),
                    "event.write_back",
                    "event",
                    row.id(),
                    "SUCCESS",
                    "RSVP " + answer,
                    command.requestId());
            inFinalTransaction.run();
        });
    }

    private int markWritten(Local row, ProviderWriter.Written w) {
        return jdbc.update(
                """
                UPDATE calendar_events SET provider_event_id = ?, etag = ?, provider_updated_at = ?,
                  html_link = coalesce(?, html_link), ical_uid = coalesce(?, ical_uid),
                  sync_status = CASE WHEN version = ? THEN 'SYNCED'::sync_status ELSE sync_status END,
                  pending_operation = CASE WHEN version = ? THEN NULL
                                           WHEN pending_operation = 'DELETE' THEN 'DELETE' ELSE 'UPDATE' END,
                  sync_error = NULL, sync_attempts = 0, last_synced_at = now(), version = version + 1
                WHERE id = ?
                """,
                w.providerEventId(),
                w.etag(),
                w.providerUpdatedAt() == null ? null : Timestamp.from(w.providerUpdatedAt()),
                w.htmlLink(),
                w.iCalUid(),
                row.version(),
                row.version(),
                row.id());
    }

    private static String reason(ProviderException e) {
        return "PROVIDER_REJECTED: " + (e.code() == null ? e.status() : e.code()) + " " + e.getMessage();
    }

    Optional<Local> load(UUID id) {
        List<Local> rows = jdbc.query(
                """
                SELECT id, connection_id, provider_event_id, etag, pending_operation, sync_status::text, version,
                  updated_at, sync_attempts, ical_uid, title, description, location, start_time, end_time, is_all_day,
                  start_date, end_date, timezone, status::text, recurrence, recurrence_rule, organizer_email, html_link,
                  provider_updated_at, sequence, availability, provider_recurring_id, original_start_time,
                  original_start_date
                FROM calendar_events WHERE id = ?
                """,
                (rs, n) -> {
                    Array rec = rs.getArray(21);
                    List<String> recurrence = rec == null ? null : Arrays.asList((String[]) rec.getArray());
                    if (recurrence == null && rs.getString(22) != null) {
                        recurrence = List.of("RRULE:" + rs.getString(22));
                    }
                    Timestamp updated = rs.getTimestamp(8);
                    Timestamp providerUpdated = rs.getTimestamp(25);
                    UUID eventId = rs.getObject(1, UUID.class);
                    ProviderEvent event = new ProviderEvent(
                            rs.getString(3),
                            rs.getString(10),
                            rs.getString(11),
                            rs.getString(12),
                            rs.getString(13),
                            rs.getTimestamp(14).toInstant(),
                            rs.getTimestamp(15).toInstant(),
                            rs.getBoolean(16),
                            rs.getObject(17, LocalDate.class),
                            rs.getObject(18, LocalDate.class),
                            rs.getString(19),
                            EventStatus.valueOf(rs.getString(20)),
                            rs.getString(28) == null ? recurrence : null,
                            rs.getString(28),
                            rs.getTimestamp(29) == null
                                    ? null
                                    : rs.getTimestamp(29).toInstant(),
                            rs.getObject(30, LocalDate.class),
                            rs.getString(23),
                            rs.getString(24),
                            rs.getString(4),
                            providerUpdated == null ? null : providerUpdated.toInstant(),
                            (Integer) rs.getObject(26),
                            attendees(eventId),
                            reminders(eventId),
                            io.calsync.model.domain.Availability.parse(rs.getString(27)));
                    return new Local(
                            eventId,
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getLong(7),
                            updated == null ? null : updated.toInstant(),
                            rs.getInt(9),
                            event);
                },
                id);
        return rows.stream().findFirst();
    }

    private List<ProviderEvent.Attendee> attendees(UUID eventId) {
        return jdbc.query(
                "SELECT email, display_name, response_status::text, optional, organizer FROM event_attendees"
                        + " WHERE event_id = ? ORDER BY email",
                (rs, n) -> new ProviderEvent.Attendee(
                        rs.getString(1),
                        rs.getString(2),
                        RsvpStatus.valueOf(rs.getString(3)),
                        rs.getBoolean(4),
                        rs.getBoolean(5)),
                eventId);
    }

    private List<ProviderEvent.Reminder> reminders(UUID eventId) {
        return jdbc.query(
                "SELECT method::text, minutes_before FROM event_reminders WHERE event_id = ? ORDER BY minutes_before",
                (rs, n) -> new ProviderEvent.Reminder(ReminderMethod.valueOf(rs.getString(1)), rs.getInt(2)),
                eventId);
    }
}
