package io.calsync.providers.microsoft;

import io.calsync.providers.microsoft.GraphClient.Scope;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.SyncTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Reads single events for the sync and the writer, and gives series masters what Graph v1.0 does not say outright:
 * which of their occurrences were cancelled. Graph lists a cancelled occurrence nowhere (calendarView and
 * {@code /instances} simply leave it out; only beta has {@code cancelledOccurrences}), yet the engine expands
 * masters by their RRULE, so an occurrence cancelled before our first sync would come back. So for a master this
 * lists its instances in the sync window once, expands its RRULE over the same window, and writes the occurrences
 * Graph does not have as EXDATEs. Occurrences that overlap the window's edges are left alone (Graph may list them
 * or not), and an exception moved out of the window counts as missing, which only hides a slot the exception left.
 */
final class GraphReader {

    private static final Logger log = LoggerFactory.getLogger(GraphReader.class);

    /** Instances per page; Graph's {@code $top} for events goes up to 1000. */
    static final int INSTANCES_PAGE = 500;
    /** A series with more instances in the window than this many pages is left without EXDATEs. */
    private static final int MAX_INSTANCE_PAGES = 40;

    private static final String INSTANCE_FIELDS =
            "start,end,originalStart,originalStartTimeZone,isAllDay,type,seriesMasterId";

    private final GraphClient graph;

    GraphReader(GraphClient graph) {
        this.graph = graph;
    }

    /** The event as the port sees it (a master with its EXDATEs), or null when Graph no longer has it. */
    ProviderEvent event(SyncTarget target, String providerEventId) {
        JsonNode json = json(target, providerEventId);
        return json == null ? null : map(target, json);
    }

    /** The event as Graph has it, without looking for cancelled occurrences (one call), or null when gone. */
    ProviderEvent plain(SyncTarget target, String providerEventId) {
        JsonNode json = json(target, providerEventId);
        return json == null ? null : GraphEventMapper.toProviderEvent(json);
    }

    private JsonNode json(SyncTarget target, String providerEventId) {
        JsonNode json;
        try {
            json = graph.call(
                    target,
                    "events.get",
                    "GET",
                    graph.url("/me/events/" + GraphClient.segment(providerEventId)),
                    null,
                    null,
                    null,
                    Scope.EVENT);
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        return json;
    }

    /** One event's JSON in the port's terms; a master gets EXDATEs for its cancelled occurrences in the window. */
    ProviderEvent map(SyncTarget target, JsonNode json) {
        ProviderEvent e = GraphEventMapper.toProviderEvent(json);
        if (e.isInstance() || e.recurrenceRule() == null) {
            return e;
        }
        List<String> exdates = cancelledOccurrences(target, e);
        if (exdates.isEmpty()) {
            return e;
        }
        List<String> lines = new ArrayList<>(e.recurrence());
        lines.addAll(exdates);
        return GraphEventMapper.withRecurrence(e, lines);
    }

    private List<String> cancelledOccurrences(SyncTarget target, ProviderEvent master) {
        Instant from = target.windowStart();
        Instant to = target.windowEnd();
        if (from == null || to == null || !to.isAfter(from)) {
            return List.of();
        }
        List<ProviderEvent> instances;
        try {
            instances = instances(target, master.providerEventId(), from, to);
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                return List.of(); // the series went away meanwhile; the delta will say so
            }
            throw e;
        }
        if (instances == null) {
            return List.of();
        }
        try {
            if (master.allDay()) {
                // all-day occurrences are dates; keep a day's margin so that no zone puts one across an edge
                LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC).plusDays(1);
                LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC).minusDays(1);
                if (!last.isAfter(first)) {
                    return List.of();
                }
                Set<LocalDate> seen = new HashSet<>();
                instances.forEach(i -> seen.add(i.originalStartDate()));
                List<LocalDate> missing = new ArrayList<>();
                for (LocalDate d : GraphRecurrence.dates(master.recurrenceRule(), master.startDate(), first, last)) {
                    if (!seen.contains(d)) {
                        missing.add(d);
                    }
                }
                return GraphRecurrence.exdateDates(missing);
            }
            ZoneId zone = master.timezone() == null ? ZoneOffset.UTC : ZoneId.of(master.timezone());
            Duration length = Duration.between(master.startTime(), master.endTime());
            Instant lastStart = to.minus(length);
            if (!lastStart.isAfter(from)) {
                return List.of();
            }
            Set<Long> seen = new HashSet<>();
            instances.forEach(i -> seen.add(i.originalStartTime().getEpochSecond()));
            List<Instant> missing = new ArrayList<>();
            for (Instant s : GraphRecurrence.starts(
                    master.recurrenceRule(), master.startTime().atZone(zone), from, lastStart)) {
                if (!seen.contains(s.getEpochSecond())) {
                    missing.add(s);
                }
            }
            return GraphRecurrence.exdates(missing);
        } catch (RuntimeException e) {
            // an RRULE ical4j cannot expand: the master goes out without EXDATEs rather than not at all
            log.warn(
                    "could not expand a Graph series for its cancelled occurrences connectionId={} error={}",
                    target.connectionId(),
                    e.getClass().getSimpleName());
            return List.of();
        }
    }

    /** The series' occurrences and exceptions overlapping the window, or null when there are too many to list. */
    private List<ProviderEvent> instances(SyncTarget target, String masterId, Instant from, Instant to) {
        URI url = graph.url("/me/events/" + GraphClient.segment(masterId) + "/instances?startDateTime="
                + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(from)) + "&endDateTime="
                + GraphClient.query(DateTimeFormatter.ISO_INSTANT.format(to)) + "&$top=" + INSTANCES_PAGE
                + "&$select=" + INSTANCE_FIELDS);
        List<ProviderEvent> out = new ArrayList<>();
        for (int page = 0; url != null; page++) {
            if (page >= MAX_INSTANCE_PAGES) {
                log.warn(
                        "a Graph series has too many instances in the window to look for cancelled ones connectionId={}",
                        target.connectionId());
                return null;
            }
            JsonNode json = graph.call(target, "events.instances", "GET", url, null, null, null, Scope.EVENT);
            if (json == null) {
                break;
            }
            for (JsonNode i : json.path("value")) {
                try {
                    ProviderEvent e = GraphEventMapper.toProviderEvent(i);
                    if (e.isInstance()) {
                        out.add(e);
                    }
                } catch (IllegalArgumentException unreadable) {
                    // without its times it can neither confirm nor deny an occurrence
                }
            }
            String next = GraphEventMapper.text(json, "@odata.nextLink");
            url = next == null ? null : graph.link(next);
            if (next != null && url == null) {
                throw new ProviderException(
                        ProviderException.Kind.PERMANENT,
                        0,
                        "foreignNextLink",
                        "Graph events.instances answered a next link outside the Graph base URL");
            }
        }
        return out;
    }
}
