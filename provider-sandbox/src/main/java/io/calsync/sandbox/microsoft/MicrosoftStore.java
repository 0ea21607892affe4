package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Ids;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Outlook mailboxes: calendars and events of every Microsoft account, in memory. The Graph controllers and the
 * control API both write through here, so a change "in Outlook" and one through the API have the same effects
 * (change keys, delta, notifications). Also the Java API for seeding from tests:
 *
 * <pre>{@code
 * MicrosoftStore store = sandbox.bean(MicrosoftStore.class);
 * EventView e = store.createEvent(account, null, (ObjectNode) GraphJson.MAPPER.readTree("""
 *     {"subject":"Standup","start":{"dateTime":"2026-03-02T09:00:00","timeZone":"W. Europe Standard Time"},
 *      "end":{"dateTime":"2026-03-02T09:15:00","timeZone":"W. Europe Standard Time"}}"""));
 * }</pre>
 *
 * <p>Ids given for another account's items answer 404 like unknown ones. All state sits behind this object's
 * monitor; listeners hear of changes after it is released.
 */
@Component
public class MicrosoftStore {

    private static final Logger log = LoggerFactory.getLogger(MicrosoftStore.class);

    private final SandboxState state;
    private final Map<String, GraphCalendar> calendars = new LinkedHashMap<>();
    private final Map<String, StoredEvent> events = new LinkedHashMap<>();
    private final List<Consumer<EventChange>> listeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private long changeCounter = 0x2A00_0000L;

    public MicrosoftStore(SandboxState state) {
        this.state = state;
        state.onReset(s -> clear());
    }

    private synchronized void clear() {
        calendars.clear();
        events.clear();
    }

    /** Listeners (subscriptions) hear of every event change, outside the store's lock. */
    public void onChange(Consumer<EventChange> listener) {
        listeners.add(listener);
    }

    /** The Microsoft account with this id (the Graph user id). */
    public Account account(String accountId) {
        return state.account(accountId)
                .filter(a -> a.provider() == Provider.MICROSOFT)
                .orElseThrow(GraphException::notFound);
    }

    // ---------------------------------------------------------------- calendars

    /** The account's default calendar "Calendar", made on first use as a new mailbox has one. */
    public synchronized GraphCalendar defaultCalendar(Account account) {
        return defaultCalendarLocked(account).copy();
    }

    public synchronized List<GraphCalendar> calendars(Account account) {
        defaultCalendarLocked(account);
        return calendars.values().stream()
                .filter(c -> c.accountId().equals(account.id()))
                .sorted(Comparator.comparing((GraphCalendar c) -> !c.isDefault()))
                .map(GraphCalendar::copy)
                .toList();
    }

    public synchronized GraphCalendar calendar(Account account, String calendarId) {
        return calendarLocked(account, calendarId).copy();
    }

    public synchronized GraphCalendar createCalendar(Account account, String name, String color) {
        if (name == null || name.isBlank()) {
            throw GraphException.invalidRequest("Your request can't be completed. A calendar needs a name.");
        }
        defaultCalendarLocked(account);
        boolean taken = calendars.values().stream()
                .anyMatch(c -> c.accountId().equals(account.id()) && c.name().equalsIgnoreCase(name));
        if (taken) {
            throw new GraphException(409, "ErrorFolderExists", "A folder with the specified name already exists.");
        }
        GraphCalendar c = new GraphCalendar(
                Ids.graphId(),
                account.id(),
                name,
                color == null ? "auto" : color,
                "",
                false,
                nextChangeKey(account.id()));
        calendars.put(c.id(), c);
        return c.copy();
    }

    /** The owner of a calendar, whoever it is (control API). */
    public synchronized Optional<Account> ownerOfCalendar(String calendarId) {
        GraphCalendar c = calendars.get(calendarId);
        return c == null ? Optional.empty() : state.account(c.accountId());
    }

    private GraphCalendar defaultCalendarLocked(Account account) {
        for (GraphCalendar c : calendars.values()) {
            if (c.isDefault() && c.accountId().equals(account.id())) {
                return c;
            }
        }
        GraphCalendar c = new GraphCalendar(
                Ids.graphId(), account.id(), "Calendar", "auto", "", true, nextChangeKey(account.id()));
        calendars.put(c.id(), c);
        return c;
    }

    private GraphCalendar calendarLocked(Account account, String calendarId) {
        if (calendarId == null) {
            return defaultCalendarLocked(account);
        }
        GraphCalendar c = calendars.get(calendarId);
        if (c == null || !c.accountId().equals(account.id())) {
            throw GraphException.notFound();
        }
        return c;
    }

    // ---------------------------------------------------------------- reading events

    /** An event by id: single instance, series master, occurrence or exception. */
    public synchronized EventView event(Account account, String eventId) {
        return switch (resolve(account, eventId)) {
            case Whole w -> viewWhole(w.event());
            case OccurrenceTarget o -> viewOccurrence(o.master(), o.occurrence());
        };
    }

    /** Single instances and series masters of one calendar, or of all (null), in creation order. */
    public synchronized List<EventView> events(Account account, String calendarId) {
        String only =
                calendarId == null ? null : calendarLocked(account, calendarId).id();
        return events.values().stream()
                .filter(e -> e.accountId.equals(account.id()) && (only == null || e.calendarId.equals(only)))
                .map(this::viewWhole)
                .toList();
    }

    /**
     * The calendarView of a calendar (null: the default one): single instances, occurrences and exceptions that
     * overlap {@code [from, to)}, by start.
     */
    public synchronized List<EventView> calendarView(Account account, String calendarId, Instant from, Instant to) {
        String cal = calendarLocked(account, calendarId).id();
        List<EventView> out = new ArrayList<>();
        for (StoredEvent e : events.values()) {
            if (!e.calendarId.equals(cal)) {
                continue;
            }
            if (e.isSeriesMaster()) {
                out.addAll(instancesLocked(e, from, to));
            } else {
                EventView v = viewWhole(e);
                if (v.overlaps(from, to)) {
                    out.add(v);
                }
            }
        }
        out.sort(Comparator.comparing(EventView::start).thenComparing(EventView::id));
        return out;
    }

    /** Occurrences and exceptions of a series in {@code [from, to)}; empty for a single instance. */
    public synchronized List<EventView> instances(Account account, String masterId, Instant from, Instant to) {
        if (!(resolve(account, masterId) instanceof Whole w)) {
            throw GraphException.invalidRequest("Your request can't be completed. The event is not a series master.");
        }
        List<EventView> out = w.event().isSeriesMaster() ? instancesLocked(w.event(), from, to) : new ArrayList<>();
        out.sort(Comparator.comparing(EventView::start).thenComparing(EventView::id));
        return out;
    }

    /** The account an event (or occurrence) id belongs to (control API). */
    public synchronized Optional<Account> ownerOfEvent(String eventId) {
        StoredEvent e = events.get(eventId);
        if (e == null) {
            e = OccurrenceIds.parse(eventId).map(r -> events.get(r.masterId())).orElse(null);
        }
        return e == null ? Optional.empty() : state.account(e.accountId);
    }

    private List<EventView> instancesLocked(StoredEvent master, Instant from, Instant to) {
        List<EventView> out = new ArrayList<>();
        LocalDate until = LocalDate.ofInstant(to, master.start().zone()).plusDays(1);
        for (Occurrence o : occurrences(master, until)) {
            if (master.cancelled.contains(o.originalStart()) || master.exceptions.containsKey(o.originalStart())) {
                continue;
            }
            boolean overlaps = o.start().instant().equals(o.end().instant())
                    ? !o.start().instant().isBefore(from) && o.start().instant().isBefore(to)
                    : o.start().instant().isBefore(to) && o.end().instant().isAfter(from);
            if (overlaps) {
                out.add(viewOccurrence(master, o));
            }
        }
        // exceptions may have moved anywhere, so they are checked by their own times
        for (Map.Entry<Instant, StoredEvent.ExceptionData> x : master.exceptions.entrySet()) {
            Occurrence o = occurrenceAt(master, x.getKey());
            if (o != null) {
                EventView v = viewOccurrence(master, o);
                if (v.overlaps(from, to)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- writing events

    /**
     * Creates an event in a calendar (null: the default one) from a Graph event body. A body whose
     * {@code transactionId} an event of the same mailbox already carries creates nothing and answers that event, as
     * Graph de-duplicates a client's retried POST (the retry still gets 201 with the first one's event).
     */
    public EventView createEvent(Account account, String calendarId, ObjectNode body) {
        EventView view;
        EventChange change;
        synchronized (this) {
            GraphCalendar cal = calendarLocked(account, calendarId);
            ObjectNode props = EventInput.properties(body);
            EventInput.validate(props, false);
            StoredEvent earlier = byTransactionIdLocked(account, props);
            if (earlier != null) {
                return viewWhole(earlier);
            }
            Instant now = Instant.now(state.clock());
            byte[] r = new byte[16];
            random.nextBytes(r);
            StoredEvent e = new StoredEvent(
                    Ids.graphId(),
                    account.id(),
                    cal.id(),
                    EventRenderer.newUid(now, r),
                    props,
                    nextChangeKey(account.id()),
                    now);
            events.put(e.id, e);
            view = viewWhole(e);
            change = new EventChange(account.id(), cal.id(), e.id, "created", e.changeKey);
        }
        fire(List.of(change));
        return view;
    }

    /** The mailbox's event created with the body's transactionId, or null (also when the body has none). */
    private StoredEvent byTransactionIdLocked(Account account, ObjectNode props) {
        String transactionId = GraphJson.text(props, "transactionId");
        if (transactionId == null || transactionId.isEmpty()) {
            return null;
        }
        for (StoredEvent e : events.values()) {
            if (e.accountId.equals(account.id()) && transactionId.equals(GraphJson.text(e.props, "transactionId"))) {
                return e;
            }
        }
        return null;
    }

    /**
     * PATCHes an event: top-level properties replace the stored ones. On an occurrence it makes (or changes) an
     * exception. Changing a series' start, end or recurrence drops its exceptions and cancellations, as Outlook
     * does. {@code ifMatch} (an etag or change key) must match the current change key when given.
     */
    public EventView updateEvent(Account account, String eventId, ObjectNode patch, String ifMatch) {
        EventView view;
        EventChange change;
        synchronized (this) {
            ObjectNode p = EventInput.properties(patch);
            switch (resolve(account, eventId)) {
                case Whole w -> {
                    StoredEvent e = w.event();
                    checkIfMatch(ifMatch, e.changeKey);
                    ObjectNode merged = e.props.deepCopy();
                    merged.setAll(p);
                    if (p.has("location") && !p.has("locations")) {
                        merged.remove("locations");
                    }
                    EventInput.validate(merged, false);
                    boolean reshaped = !(Objects.equals(e.props.get("start"), merged.get("start"))
                            && Objects.equals(e.props.get("end"), merged.get("end"))
                            && Objects.equals(e.props.get("recurrence"), merged.get("recurrence")));
                    if (reshaped || !merged.hasNonNull("recurrence")) {
                        e.exceptions.clear();
                        e.cancelled.clear();
                    }
                    e.props = merged;
                    e.changeKey = nextChangeKey(account.id());
                    e.lastModified = Instant.now(state.clock());
                    // exceptions live inside the master in Exchange: what changed there changed them too
                    e.exceptions.values().forEach(x -> x.changeKey = e.changeKey);
                    view = viewWhole(e);
                    change = new EventChange(account.id(), e.calendarId, e.id, "updated", e.changeKey);
                }
                case OccurrenceTarget o -> {
                    view = writeException(o.master(), o.occurrence(), p, ifMatch);
                    change = new EventChange(
                            account.id(),
                            o.master().calendarId,
                            view.id(),
                            "updated",
                            view.utcJson().get("changeKey").asString());
                }
            }
        }
        fire(List.of(change));
        return view;
    }

    /** Makes an event an invitation from someone else (control API): the mailbox becomes one of its attendees. */
    public EventView invite(Account account, String eventId, String organizerName, String organizerEmail) {
        EventView view;
        EventChange change;
        synchronized (this) {
            if (!(resolve(account, eventId) instanceof Whole w)) {
                throw new GraphException(400, "ErrorInvalidRequest", "only a whole event can be made an invitation");
            }
            StoredEvent e = w.event();
            ObjectNode by = e.props.putObject(EventRenderer.INVITED_BY);
            by.put("name", organizerName);
            by.put("address", organizerEmail);
            e.props
                    .putObject(EventRenderer.RESPONSE)
                    .put("response", "notResponded")
                    .put("time", EventInput.NO_TIME);
            e.changeKey = nextChangeKey(account.id());
            e.lastModified = Instant.now(state.clock());
            view = viewWhole(e);
            change = new EventChange(account.id(), e.calendarId, e.id, "updated", e.changeKey);
        }
        fire(List.of(change));
        return view;
    }

    /**
     * {@code accept}, {@code decline}, {@code tentativelyAccept} of an invitation (or one occurrence of it): the
     * mailbox's responseStatus and its own entry among the attendees. Graph refuses an answer to one's own meeting.
     */
    public void respond(Account account, String eventId, String response) {
        EventChange change;
        synchronized (this) {
            Target t = resolve(account, eventId);
            StoredEvent master = t instanceof Whole w ? w.event() : ((OccurrenceTarget) t).master();
            if (!master.props.path(EventRenderer.INVITED_BY).isObject()) {
                throw new GraphException(
                        400,
                        "ErrorInvalidRequest",
                        "Your request can't be completed. You can't respond to a meeting you organized.");
            }
            ObjectNode answer = GraphJson.object();
            answer.putObject(EventRenderer.RESPONSE)
                    .put("response", response)
                    .put("time", Instant.now(state.clock()).toString());
            tools.jackson.databind.node.ArrayNode attendees =
                    master.props.path("attendees").isArray()
                            ? ((tools.jackson.databind.node.ArrayNode) master.props.get("attendees")).deepCopy()
                            : GraphJson.array();
            for (tools.jackson.databind.JsonNode a : attendees) {
                if (account.email()
                        .equalsIgnoreCase(a.path("emailAddress").path("address").asString(""))) {
                    ((ObjectNode) a)
                            .putObject("status")
                            .put("response", response)
                            .put("time", Instant.now(state.clock()).toString());
                }
            }
            answer.set("attendees", attendees);
            switch (t) {
                case Whole w -> {
                    StoredEvent e = w.event();
                    e.props.setAll(answer);
                    e.changeKey = nextChangeKey(account.id());
                    e.lastModified = Instant.now(state.clock());
                    e.exceptions.values().forEach(x -> x.changeKey = e.changeKey);
                    change = new EventChange(account.id(), e.calendarId, e.id, "updated", e.changeKey);
                }
                case OccurrenceTarget o -> {
                    EventView v = writeException(o.master(), o.occurrence(), answer, null);
                    change = new EventChange(
                            account.id(),
                            o.master().calendarId,
                            v.id(),
                            "updated",
                            v.utcJson().get("changeKey").asString());
                }
            }
        }
        fire(List.of(change));
    }

    /** Deletes an event; for an occurrence or exception, cancels that one occurrence of its series. */
    public void deleteEvent(Account account, String eventId, String ifMatch) {
        EventChange change;
        synchronized (this) {
            switch (resolve(account, eventId)) {
                case Whole w -> {
                    checkIfMatch(ifMatch, w.event().changeKey);
                    events.remove(w.event().id);
                    change = new EventChange(
                            account.id(), w.event().calendarId, w.event().id, "deleted", w.event().changeKey);
                }
                case OccurrenceTarget o -> {
                    StoredEvent.ExceptionData x =
                            o.master().exceptions.get(o.occurrence().originalStart());
                    checkIfMatch(ifMatch, x == null ? o.master().changeKey : x.changeKey);
                    change = cancelLocked(o.master(), o.occurrence());
                }
            }
        }
        fire(List.of(change));
    }

    /** Cancels the occurrence of a series that originally starts at {@code originalStart}. */
    public void cancelOccurrence(Account account, String masterId, Instant originalStart) {
        EventChange change;
        synchronized (this) {
            StoredEvent master = masterLocked(account, masterId);
            Occurrence o = occurrenceAt(master, originalStart);
            if (o == null) {
                throw GraphException.notFound();
            }
            change = cancelLocked(master, o);
        }
        fire(List.of(change));
    }

    /** Makes the occurrence at {@code originalStart} an exception with these changes (or changes the exception). */
    public EventView updateOccurrence(Account account, String masterId, Instant originalStart, ObjectNode patch) {
        EventView view;
        synchronized (this) {
            StoredEvent master = masterLocked(account, masterId);
            Occurrence o = occurrenceAt(master, originalStart);
            if (o == null) {
                throw GraphException.notFound();
            }
            view = writeException(master, o, EventInput.properties(patch), null);
        }
        fire(List.of(new EventChange(
                account.id(),
                view.calendarId(),
                view.id(),
                "updated",
                view.utcJson().get("changeKey").asString())));
        return view;
    }

    /**
     * The original start of the occurrence of a series on a local date (in the series' zone), for callers that
     * name occurrences by day.
     */
    public synchronized Optional<Instant> occurrenceOn(Account account, String masterId, LocalDate date) {
        StoredEvent master = masterLocked(account, masterId);
        return occurrences(master, date).stream()
                .filter(o -> o.date().equals(date))
                .map(Occurrence::originalStart)
                .findFirst();
    }

    private EventView writeException(StoredEvent master, Occurrence o, ObjectNode patch, String ifMatch) {
        if (patch.hasNonNull("recurrence")) {
            throw GraphException.invalidRequest(
                    "Your request can't be completed. The recurrence of an occurrence or exception can't be changed.");
        }
        StoredEvent.ExceptionData x = master.exceptions.get(o.originalStart());
        checkIfMatch(ifMatch, x == null ? master.changeKey : x.changeKey);
        ObjectNode overrides = x == null ? GraphJson.object() : x.overrides.deepCopy();
        overrides.setAll(patch);
        overrides.remove("recurrence");
        if (patch.has("location") && !patch.has("locations")) {
            overrides.remove("locations");
        }
        EventInput.validate(effective(master, overrides, o), true);
        String key = nextChangeKey(master.accountId);
        Instant now = Instant.now(state.clock());
        if (x == null) {
            master.exceptions.put(o.originalStart(), new StoredEvent.ExceptionData(overrides, key, now));
        } else {
            x.overrides = overrides;
            x.changeKey = key;
            x.lastModified = now;
        }
        return viewOccurrence(master, o);
    }

    private EventChange cancelLocked(StoredEvent master, Occurrence o) {
        master.exceptions.remove(o.originalStart());
        master.cancelled.add(o.originalStart());
        return new EventChange(
                master.accountId,
                master.calendarId,
                OccurrenceIds.of(master.id, o.originalStart()),
                "deleted",
                master.changeKey);
    }

    private static void checkIfMatch(String ifMatch, String changeKey) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String given = ifMatch.trim();
        if (given.startsWith("W/")) {
            given = given.substring(2);
        }
        given = given.replace("\"", "");
        if (!given.equals(changeKey)) {
            throw new GraphException(
                    412,
                    "ErrorIrresolvableConflict",
                    "The send or update operation could not be"
                            + " performed because the change key passed in the request does not match the current change key"
                            + " for the item.");
        }
    }

    // ---------------------------------------------------------------- ids, series, views

    private sealed interface Target permits Whole, OccurrenceTarget {}

    private record Whole(StoredEvent event) implements Target {}

    private record OccurrenceTarget(StoredEvent master, Occurrence occurrence) implements Target {}

    /** One occurrence of a series as its pattern places it (before any exception moves it). */
    private record Occurrence(Instant originalStart, LocalDate date, GraphDateTime start, GraphDateTime end) {}

    private Target resolve(Account account, String eventId) {
        StoredEvent e = eventId == null ? null : events.get(eventId);
        if (e != null) {
            if (!e.accountId.equals(account.id())) {
                throw GraphException.notFound();
            }
            return new Whole(e);
        }
        OccurrenceIds.Ref ref = OccurrenceIds.parse(eventId).orElseThrow(GraphException::notFound);
        StoredEvent master = masterLocked(account, ref.masterId());
        Occurrence o = occurrenceAt(master, ref.originalStart());
        if (o == null) {
            throw GraphException.notFound();
        }
        return new OccurrenceTarget(master, o);
    }

    private StoredEvent masterLocked(Account account, String masterId) {
        StoredEvent m = masterId == null ? null : events.get(masterId);
        if (m == null || !m.accountId.equals(account.id()) || !m.isSeriesMaster()) {
            throw GraphException.notFound();
        }
        return m;
    }

    /** The occurrence with this original start, unless it does not exist or was cancelled. */
    private Occurrence occurrenceAt(StoredEvent master, Instant originalStart) {
        if (master.cancelled.contains(originalStart)) {
            return null;
        }
        LocalDate until =
                LocalDate.ofInstant(originalStart, master.start().zone()).plusDays(1);
        for (Occurrence o : occurrences(master, until)) {
            if (o.originalStart().equals(originalStart)) {
                return o;
            }
        }
        return null;
    }

    /** The series' occurrences up to a local date: its wall-clock start time on every date of the pattern. */
    private static List<Occurrence> occurrences(StoredEvent master, LocalDate until) {
        GraphDateTime s = master.start();
        GraphDateTime e = master.end();
        List<Occurrence> out = new ArrayList<>();
        for (LocalDate d : master.recurrence().dates(until)) {
            LocalDateTime startLocal = d.atTime(s.local().toLocalTime());
            GraphDateTime os = s.withLocal(startLocal);
            GraphDateTime oe;
            if (s.zone().equals(e.zone())) {
                oe = e.withLocal(startLocal.plus(Duration.between(s.local(), e.local())));
            } else {
                Instant end = os.instant().plus(Duration.between(s.instant(), e.instant()));
                oe = e.withLocal(LocalDateTime.ofInstant(end, e.zone()));
            }
            out.add(new Occurrence(os.instant(), d, os, oe));
        }
        return out;
    }

    private EventView viewWhole(StoredEvent e) {
        return EventRenderer.view(new EventRenderer.Shown(
                e.id,
                e.isSeriesMaster() ? "seriesMaster" : "singleInstance",
                e.calendarId,
                e.props,
                e.start(),
                e.end(),
                e.changeKey,
                e.created,
                e.lastModified,
                e.iCalUId,
                e.iCalUId,
                null,
                null,
                null,
                owner(e)));
    }

    private EventView viewOccurrence(StoredEvent master, Occurrence o) {
        StoredEvent.ExceptionData x = master.exceptions.get(o.originalStart());
        String id = OccurrenceIds.of(master.id, o.originalStart());
        String uid = EventRenderer.instanceUid(master.iCalUId, o.date());
        if (x == null) {
            ObjectNode props = master.props.deepCopy();
            props.remove("recurrence");
            return EventRenderer.view(new EventRenderer.Shown(
                    id,
                    "occurrence",
                    master.calendarId,
                    props,
                    o.start(),
                    o.end(),
                    master.changeKey,
                    master.created,
                    master.lastModified,
                    uid,
                    master.iCalUId,
                    master.id,
                    o.originalStart(),
                    o.date(),
                    owner(master)));
        }
        ObjectNode props = effective(master, x.overrides, o);
        return EventRenderer.view(new EventRenderer.Shown(
                id,
                "exception",
                master.calendarId,
                props,
                GraphDateTime.parse(props.get("start"), "start"),
                GraphDateTime.parse(props.get("end"), "end"),
                x.changeKey,
                x.created,
                x.lastModified,
                uid,
                master.iCalUId,
                master.id,
                o.originalStart(),
                o.date(),
                owner(master)));
    }

    /** An exception's properties: the master's, its own on top, and the occurrence's times unless it moved. */
    private static ObjectNode effective(StoredEvent master, ObjectNode overrides, Occurrence o) {
        ObjectNode props = master.props.deepCopy();
        props.remove("recurrence");
        props.set("start", o.start().toJson());
        props.set("end", o.end().toJson());
        props.setAll(overrides);
        return props;
    }

    private Account owner(StoredEvent e) {
        return state.account(e.accountId)
                .orElseGet(() -> new Account(e.accountId, Provider.MICROSOFT, "unknown@invalid", "Unknown"));
    }

    /**
     * Change keys as Exchange makes them: a per-mailbox prefix and a counter, base64 (the etag is {@code W/"<key>"}).
     */
    private String nextChangeKey(String accountId) {
        UUID u;
        try {
            u = UUID.fromString(accountId);
        } catch (IllegalArgumentException e) {
            u = UUID.nameUUIDFromBytes(accountId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long n = ++changeCounter;
        ByteBuffer b = ByteBuffer.allocate(22);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        b.putShort((short) (n >>> 32)).putInt((int) n);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private void fire(List<EventChange> changes) {
        for (EventChange c : changes) {
            for (Consumer<EventChange> l : listeners) {
                try {
                    l.accept(c);
                } catch (RuntimeException e) {
                    log.warn("change listener failed for {}", c, e);
                }
            }
        }
    }
}
