package io.calsync.providers.microsoft;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.providers.microsoft.GraphClient.Scope;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.SyncTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Local changes written to Outlook through Graph v1.0.
 *
 * <ul>
 *   <li><b>create</b>: {@code POST /me/calendars/{id}/events} with {@code transactionId} = the local UUID. Graph
 *       de-duplicates a client's retried create by it: the retry answers 201 with the event the first POST made,
 *       so a create whose answer got lost is simply sent again. (A 409 would be {@code CONFLICT}.) An instance of a
 *       series (an override or a cancelled occurrence) is not POSTed, since Graph makes occurrences itself: the
 *       occurrence at the original start is looked up among the series' instances and PATCHed, or deleted when
 *       cancelled.
 *   <li><b>update</b>: {@code PATCH /me/events/{id}} with {@code If-Match} (412 is {@code PRECONDITION_FAILED}). For
 *       a series master, start, end and recurrence are only sent when they differ from Graph's: rewriting them
 *       makes Exchange drop the series' exceptions and cancellations, which a change of title must not do. An
 *       instance with status CANCELLED is deleted (cancelling an occurrence, in Graph). An event without
 *       recurrence sends {@code recurrence: null}, so that a series made a single event locally stops recurring.
 *   <li><b>delete</b>: {@code DELETE /me/events/{id}} with {@code If-Match}; an event already gone is success.
 *   <li><b>get</b>: {@code GET /me/events/{id}}; a gone event is null. A master comes with the EXDATEs of its
 *       cancelled occurrences, as the sync reads it.
 * </ul>
 */
@Lazy // built only in a service that injects it; registered by ProvidersAutoConfiguration
public class GraphCalendarWriter implements ProviderWriter {

    private final GraphClient graph;
    private final GraphReader reader;

    public GraphCalendarWriter(ProviderEndpoints endpoints, ProviderCalls calls) {
        this.graph = new GraphClient(endpoints.microsoftGraphBaseUrl(), calls);
        this.reader = new GraphReader(graph);
    }

    @Override
    public CalendarProvider provider() {
        return CalendarProvider.MICROSOFT;
    }

    @Override
    public Written create(SyncTarget target, UUID localId, ProviderEvent event) {
        if (event.isInstance()) {
            return writeOccurrence(target, event);
        }
        if (target.providerCalendarId() == null || target.providerCalendarId().isBlank()) {
            throw new ProviderException(Kind.PERMANENT, 0, "noCalendar", "a Graph create needs a calendar id");
        }
        ObjectNode body = GraphEventMapper.toGraph(event, true);
        body.put("transactionId", localId.toString());
        JsonNode created = graph.call(
                target,
                "events.create",
                "POST",
                graph.url("/me/calendars/" + GraphClient.segment(target.providerCalendarId()) + "/events"),
                body,
                null,
                null,
                Scope.CREATE);
        return written(created, "events.create");
    }

    @Override
    public Written update(SyncTarget target, ProviderEvent event, String ifMatch) {
        String id = event.providerEventId();
        if (id == null || id.isBlank()) {
            throw new ProviderException(Kind.PERMANENT, 0, "noEventId", "a Graph update needs the event's id");
        }
        if (event.isInstance() && event.status() == EventStatus.CANCELLED) {
            delete(target, id, ifMatch);
            return new Written(id, null, null, null, event.iCalUid());
        }
        ObjectNode body = GraphEventMapper.toGraph(event, true);
        if (!event.isInstance() && event.recurrence() == null) {
            body.putNull("recurrence"); // a series made a single event again; a no-op for one that always was
        }
        if (!event.isInstance() && event.recurrence() != null) {
            ProviderEvent current = reader.plain(target, id);
            if (current == null) {
                throw new ProviderException(
                        Kind.NOT_FOUND, 404, "ErrorItemNotFound", "Graph events.update: the event is gone");
            }
            if (sameSchedule(current, event)) {
                body.remove("start");
                body.remove("end");
                body.remove("isAllDay");
                body.remove("recurrence");
            }
        }
        JsonNode updated = graph.call(
                target,
                "events.update",
                "PATCH",
                graph.url("/me/events/" + GraphClient.segment(id)),
                body,
                ifMatch,
                null,
                Scope.EVENT);
        return written(updated, "events.update");
    }

    @Override
    public void delete(SyncTarget target, String providerEventId, String ifMatch) {
        try {
            graph.call(
                    target,
                    "events.delete",
                    "DELETE",
                    graph.url("/me/events/" + GraphClient.segment(providerEventId)),
                    null,
                    ifMatch,
                    null,
                    Scope.EVENT);
        } catch (ProviderException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
            // already gone: what a delete wants
        }
    }

    @Override
    public ProviderEvent get(SyncTarget target, String providerEventId) {
        return reader.event(target, providerEventId);
    }

    /** Graph: {@code POST /me/events/{id}/accept|decline|tentativelyAccept} with the comment, sent to the organizer. */
    @Override
    public Written respond(
            SyncTarget target, ProviderEvent event, io.calsync.model.domain.RsvpStatus answer, String comment) {
        String action = switch (answer) {
            case ACCEPTED -> "accept";
            case DECLINED -> "decline";
            case TENTATIVE -> "tentativelyAccept";
            case NEEDS_ACTION ->
                throw new ProviderException(
                        Kind.PERMANENT, 0, "noAnswer", "an invitation is answered with accept, decline or tentative");
        };
        String id = event.providerEventId();
        if (id == null || id.isBlank()) {
            id = occurrenceId(target, event);
        }
        tools.jackson.databind.node.ObjectNode body = GraphClient.JSON.createObjectNode();
        if (comment != null && !comment.isBlank()) {
            body.put("comment", comment);
        }
        body.put("sendResponse", true);
        graph.call(
                target,
                "events." + action,
                "POST",
                graph.url("/me/events/" + GraphClient.segment(id) + "/" + action),
                body,
                null,
                null,
                Scope.EVENT);
        return new Written(id, null, null, null, event.iCalUid());
    }

    /**
     * An override or cancellation of one occurrence of a Graph series that has no id of ours yet: found among the
     * series' instances by its original start, then changed or deleted. Retrying is safe: a PATCH is idempotent, and
     * a cancelled occurrence that can no longer be found was cancelled by the first attempt.
     */
    private Written writeOccurrence(SyncTarget target, ProviderEvent event) {
        String occurrenceId = occurrenceId(target, event);
        if (occurrenceId == null) {
            if (event.status() == EventStatus.CANCELLED) {
                return new Written(null, null, null, null, event.iCalUid());
            }
            throw new ProviderException(
                    Kind.NOT_FOUND,
                    404,
                    "occurrenceNotFound",
                    "Graph has no occurrence of the series at the instance's original start");
        }
        if (event.status() == EventStatus.CANCELLED) {
            delete(target, occurrenceId, null);
            return new Written(occurrenceId, null, null, null, event.iCalUid());
        }
        JsonNode updated = graph.call(
                target,
                "events.update",
                "PATCH",
                graph.url("/me/events/" + GraphClient.segment(occurrenceId)),
                GraphEventMapper.toGraph(event, false),
                null,
                null,
                Scope.EVENT);
        return written(updated, "events.update");
    }

    /** The id of the series' occurrence or exception whose original start is the instance's, or null. */
    private String occurrenceId(SyncTarget target, ProviderEvent event) {
        Instant original = event.originalStartTime() != null ? event.originalStartTime() : event.startTime();
        if (original == null) {
            throw new ProviderException(
                    Kind.PERMANENT, 0, "noOriginalStart", "an instance needs its original start to be found in Graph");
        }
        // a day either side: an all-day occurrence's midnight is in the series' zone, not at UTC's
        Instant from = original.minus(Duration.ofDays(1));
        Instant to = original.plus(Duration.ofDays(2));
        URI url = graph.url("/me/events/" + GraphClient.segment(event.providerRecurringId())
                + "/instances?startDateTime=" + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(from))
                + "&endDateTime=" + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(to))
                + "&$top=" + GraphReader.INSTANCES_PAGE);
        JsonNode page = graph.call(target, "events.instances", "GET", url, null, null, null, Scope.EVENT);
        if (page == null) {
            return null;
        }
        for (JsonNode i : page.path("value")) {
            ProviderEvent candidate;
            try {
                candidate = GraphEventMapper.toProviderEvent(i);
            } catch (IllegalArgumentException unreadable) {
                continue;
            }
            boolean same = event.allDay() && event.originalStartDate() != null
                    ? Objects.equals(candidate.originalStartDate(), event.originalStartDate())
                    : candidate.originalStartTime() != null
                            && candidate.originalStartTime().getEpochSecond() == original.getEpochSecond();
            if (same) {
                return candidate.providerEventId();
            }
        }
        return null;
    }

    /** Whether a master's times, zone and rule are the ones Graph has (EXDATEs aside). */
    static boolean sameSchedule(ProviderEvent current, ProviderEvent wanted) {
        if (current.allDay() != wanted.allDay()) {
            return false;
        }
        boolean times = wanted.allDay()
                ? Objects.equals(current.startDate(), wanted.startDate())
                        && Objects.equals(current.endDate(), wanted.endDate())
                : Objects.equals(current.startTime(), wanted.startTime())
                        && Objects.equals(current.endTime(), wanted.endTime());
        return times
                && Objects.equals(current.timezone(), wanted.timezone())
                && Objects.equals(normalizedRule(current.recurrenceRule()), normalizedRule(wanted.recurrenceRule()));
    }

    private static String normalizedRule(String rule) {
        if (rule == null) {
            return null;
        }
        return Arrays.stream(rule.toUpperCase(Locale.ROOT).split(";"))
                .map(String::trim)
                .filter(p -> !p.isEmpty() && !p.equals("INTERVAL=1"))
                .sorted()
                .reduce((a, b) -> a + ";" + b)
                .orElse("");
    }

    private static Written written(JsonNode json, String op) {
        if (json == null || GraphEventMapper.text(json, "id") == null) {
            throw new ProviderException(
                    Kind.TRANSIENT, 0, "noEventInAnswer", "Graph " + op + " answered without the event");
        }
        Instant updated = GraphEventMapper.instant(GraphEventMapper.text(json, "lastModifiedDateTime"));
        return new Written(
                GraphEventMapper.text(json, "id"),
                GraphEventMapper.text(json, "changeKey"),
                updated,
                GraphEventMapper.text(json, "webLink"),
                GraphEventMapper.text(json, "iCalUId"));
    }
}
