package io.calsync.sandbox.google;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Ids;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google's calendars and events, in memory. Every operation runs under one lock, so the store is thread-safe and
 * each change gets a well-defined place in its calendar's change sequence.
 *
 * <p>The event methods taking a calendar id act as the calendar's owner "at Google" (what the control API and other
 * tests use to seed data); the HTTP API first checks the caller's access with {@link #resolve} and
 * {@link #requireWritable}. Calendar ids are the real ones; only {@link #resolve} understands the alias
 * {@code primary}. An account's primary calendar (id = the account's email) is created the first time the account's
 * calendars are asked for.
 */
@Component
public class GoogleCalendarStore {

    /** How far an unbounded list expands recurring series. */
    static final Duration UNBOUNDED_EXPANSION = Duration.ofDays(730);

    private static final Pattern CLIENT_ID = Pattern.compile("[a-v0-9]{5,1024}");
    private static final Map<String, Integer> ACCESS_RANK =
            Map.of("freeBusyReader", 0, "reader", 1, "writer", 2, "owner", 3);
    /** Google's calendar palette (colorId to background), as the colors endpoint lists it. */
    private static final String[] CALENDAR_COLORS = {
        "#ac725e", "#d06b64", "#f83a22", "#fa573c", "#ff7537", "#ffad46", "#42d692", "#16a765", "#7bd148", "#b3dc6c",
        "#fbe983", "#fad165", "#92e1c0", "#9fe1e7", "#9fc6e7", "#4986e7", "#9a9cff", "#b99aff", "#c2c2c2", "#cabdbf",
        "#cca6ac", "#f691b2", "#cd74e6", "#a47ae2"
    };

    private final SandboxState state;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, StoredCalendar> calendars = new HashMap<>();
    /** Per account: the calendar list's change sequence. */
    private final Map<String, Long> listSeqs = new HashMap<>();

    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();
    /** Calendars changed by the running operation; their listeners hear of it once, at its end. */
    private final Set<String> changed = new LinkedHashSet<>();

    private long calendarOrdinal;
    private long lastEtag;

    public GoogleCalendarStore(SandboxState state) {
        this.state = state;
        state.onReset(s -> locked(() -> {
            calendars.clear();
            listSeqs.clear();
            changed.clear();
            return null;
        }));
    }

    /** What the control API (and tests) give to create a calendar. Nulls mean Google's defaults. */
    public record CalendarSpec(
            String id,
            String summary,
            String description,
            String timeZone,
            Boolean primary,
            String accessRole,
            String colorId,
            String location) {

        public CalendarSpec(
                String id,
                String summary,
                String description,
                String timeZone,
                Boolean primary,
                String accessRole,
                String colorId) {
            this(id, summary, description, timeZone, primary, accessRole, colorId, null);
        }

        public static CalendarSpec of(String summary, String timeZone) {
            return new CalendarSpec(null, summary, null, timeZone, null, null, null, null);
        }
    }

    /** Called with the calendar id after every operation that changed the calendar's events (push notifications). */
    public void onChange(Consumer<String> listener) {
        changeListeners.add(listener);
    }

    // ---------------------------------------------------------------- calendars

    /** Creates a calendar in an account's list; {@code primary=true} updates the account's primary calendar. */
    public ObjectNode createCalendar(String accountId, CalendarSpec spec) {
        return locked(() -> {
            Account account = googleAccount(accountId);
            StoredCalendar primary = ensurePrimary(account);
            StoredCalendar cal;
            if (Boolean.TRUE.equals(spec.primary())) {
                cal = primary;
            } else {
                String id = spec.id() != null ? spec.id() : "c_" + hex(64) + "@group.calendar.google.com";
                if (calendars.containsKey(id)) {
                    throw new GoogleApiException(
                            409, "global", "duplicate", "The requested identifier already exists.");
                }
                cal = newCalendar(id, account, false);
                cal.summary = id;
                cal.accessRole = "owner";
                cal.colorId = "16";
                cal.defaultReminders = EventMapper.JSON.arrayNode();
            }
            if (spec.summary() != null) {
                cal.summary = spec.summary();
            }
            if (spec.description() != null) {
                cal.description = spec.description();
            }
            if (spec.location() != null) {
                cal.location = spec.location();
            }
            if (spec.timeZone() != null) {
                if (GoogleTime.zone(spec.timeZone()) == null) {
                    throw GoogleApiException.invalid("Invalid time zone: " + spec.timeZone());
                }
                cal.timeZone = spec.timeZone();
            }
            if (spec.accessRole() != null && !cal.primary) {
                if (!ACCESS_RANK.containsKey(spec.accessRole())) {
                    throw GoogleApiException.invalid("Invalid accessRole: " + spec.accessRole());
                }
                cal.accessRole = spec.accessRole();
            }
            if (spec.colorId() != null) {
                int c = parseColor(spec.colorId());
                cal.colorId = String.valueOf(c);
            }
            touchListEntry(cal);
            return calendarListEntry(cal);
        });
    }

    /** The account's calendar list entries, primary first. */
    public List<ObjectNode> calendarEntries(String accountId) {
        return locked(() -> calendarsOf(googleAccount(accountId)).stream()
                .map(this::calendarListEntry)
                .toList());
    }

    /** The id of a calendar of the account; {@code primary} means the account's primary calendar. 404 otherwise. */
    public String resolve(Account account, String calendarId) {
        return locked(() -> calendarOf(account, calendarId).id);
    }

    /** 403 requiredAccessLevel unless the account may write to the calendar. */
    public void requireWritable(String calendarId) {
        locked(() -> {
            if (!calendar(calendarId).writable()) {
                throw GoogleApiException.writerAccessRequired();
            }
            return null;
        });
    }

    /** {@code calendarList.list}: {@code maxResults} (default 100, at most 250), paging, sync tokens. */
    public ObjectNode calendarList(
            Account account, Integer maxResults, String pageToken, String syncToken, String minAccessRole) {
        return locked(() -> {
            List<StoredCalendar> mine = calendarsOf(account);
            int max = maxResults == null ? 100 : Math.min(maxResults, 250);
            if (max < 1) {
                throw GoogleApiException.invalid(
                        "Invalid value '" + maxResults + "'. Values must be within the range: [1, 250]");
            }
            int minRank = 0;
            if (minAccessRole != null) {
                Integer rank = ACCESS_RANK.get(minAccessRole);
                if (rank == null) {
                    throw GoogleApiException.invalid("Invalid value for: minAccessRole");
                }
                minRank = rank;
            }
            String scope = "list:" + account.id();
            long current = listSeqs.getOrDefault(account.id(), 0L);
            Tokens.Page page = pageToken == null ? null : Tokens.parsePage(pageToken);
            long since = page != null ? page.since() : -1;
            if (syncToken != null) {
                since = checkSync(syncToken, scope, current, 0);
            }
            long snapshot = page != null ? page.snapshot() : current;
            long after = page != null ? page.k1() : Long.MIN_VALUE;
            List<StoredCalendar> selected = new ArrayList<>();
            for (int i = 0; i < mine.size(); i++) {
                StoredCalendar c = mine.get(i);
                if (i > after && ACCESS_RANK.getOrDefault(c.accessRole, 0) >= minRank && c.listSeq > since) {
                    selected.add(c);
                }
            }
            ObjectNode r = EventMapper.JSON
                    .objectNode()
                    .put("kind", "calendar#calendarList")
                    .put("etag", listEtag(scope, snapshot));
            List<StoredCalendar> pageItems = selected.subList(0, Math.min(max, selected.size()));
            if (selected.size() > max) {
                StoredCalendar last = pageItems.getLast();
                r.put("nextPageToken", Tokens.page(new Tokens.Page(snapshot, since, 0, mine.indexOf(last), "")));
            } else {
                r.put("nextSyncToken", Tokens.sync(scope, snapshot, 0));
            }
            ArrayNode items = r.putArray("items");
            pageItems.forEach(c -> items.add(calendarListEntry(c)));
            return r;
        });
    }

    /** {@code calendarList.get}. */
    public ObjectNode calendarListEntry(Account account, String calendarId) {
        return locked(() -> calendarListEntry(calendarOf(account, calendarId)));
    }

    /** {@code calendars.get}: the calendar's own metadata, not the user's list entry. */
    public ObjectNode calendarResource(Account account, String calendarId) {
        return locked(() -> {
            StoredCalendar c = calendarOf(account, calendarId);
            ObjectNode r = EventMapper.JSON
                    .objectNode()
                    .put("kind", "calendar#calendar")
                    .put("etag", quoted(c.etag))
                    .put("id", c.id)
                    .put("summary", c.summary);
            if (c.description != null) {
                r.put("description", c.description);
            }
            if (c.location != null) {
                r.put("location", c.location);
            }
            r.put("timeZone", c.timeZone);
            r.set("conferenceProperties", conferenceProperties());
            return r;
        });
    }

    /** The opaque id Google's push channels report for the calendar's events. */
    public String resourceId(String calendarId) {
        return locked(() -> calendar(calendarId).resourceId);
    }

    /**
     * Makes every sync token issued for the calendar so far invalid: the next incremental list answers 410
     * fullSyncRequired. Returns the new epoch.
     */
    public int invalidateSyncTokens(String calendarId) {
        return locked(() -> ++calendar(calendarId).epoch);
    }

    // ---------------------------------------------------------------- events

    /** {@code events.insert}: validates, assigns id, iCalUID, etag, timestamps; 409 if a given id is taken. */
    public ObjectNode insert(String calendarId, ObjectNode event) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            String recurringEventId = EventTime.text(event, "recurringEventId");
            String id;
            StoredEvent master = null;
            EventTime originalStart = null;
            if (recurringEventId != null) {
                master = cal.events.get(recurringEventId);
                if (master == null || !master.isMaster()) {
                    throw GoogleApiException.invalid("Invalid value for: recurringEventId");
                }
                EventTime given = EventTime.parse(event.get("originalStartTime"), "original start");
                String suffix = given.instanceSuffix();
                RecurrenceExpander.Occurrence o = RecurrenceExpander.occurrenceAt(master, cal.zone(), suffix)
                        .orElseThrow(() -> GoogleApiException.invalid("Invalid value for: originalStartTime"));
                originalStart = o.start();
                id = master.id + "_" + suffix;
            } else {
                id = EventTime.text(event, "id");
                if (id == null) {
                    id = Ids.base32hex(26);
                } else if (!CLIENT_ID.matcher(id).matches()) {
                    throw GoogleApiException.invalid("Invalid resource id value.");
                }
            }
            if (cal.events.containsKey(id)) {
                throw new GoogleApiException(409, "global", "duplicate", "The requested identifier already exists.");
            }
            EventMapper.Normalized n = EventMapper.normalize(event, cal, master != null);
            StoredEvent e = new StoredEvent(id, cal.nextOrdinal++);
            ObjectNode b = n.body();
            Instant now = now();
            b.put("kind", "calendar#event");
            b.put("id", id);
            b.put("htmlLink", EventMapper.htmlLink(id, cal.id));
            b.put(
                    "created",
                    master != null ? EventTime.text(master.body, "created") : GoogleTime.createdTimestamp(now));
            b.set("creator", EventMapper.creator(cal));
            b.set("organizer", EventMapper.organizer(cal));
            String iCalUID = master != null ? EventTime.text(master.body, "iCalUID") : EventTime.text(event, "iCalUID");
            b.put("iCalUID", iCalUID != null ? iCalUID : id + "@google.com");
            int sequence = master != null ? master.body.path("sequence").asInt(0) : 0;
            b.put("sequence", Math.max(sequence, clientSequence(event)));
            if (master != null) {
                b.put("recurringEventId", master.id);
                if (n.start() == null) {
                    // A cancelled occurrence keeps only what identifies it.
                    b.retain("kind", "id", "status", "recurringEventId");
                }
            }
            e.body = b;
            e.start = n.start();
            e.end = n.end();
            e.originalStart = originalStart;
            cal.events.put(id, e);
            commit(cal, e);
            return EventMapper.render(e, cal.zone());
        });
    }

    /** {@code events.update} as the owner, without a precondition. */
    public ObjectNode update(String calendarId, String eventId, ObjectNode event) {
        return update(calendarId, eventId, event, null);
    }

    /** {@code events.update}: replaces the event; {@code ifMatch} (an etag or null) must match or 412. */
    public ObjectNode update(String calendarId, String eventId, ObjectNode event, String ifMatch) {
        return locked(() -> write(calendar(calendarId), eventId, ifMatch, base -> event));
    }

    /** {@code events.patch} as the owner, without a precondition. */
    public ObjectNode patch(String calendarId, String eventId, ObjectNode patch) {
        return patch(calendarId, eventId, patch, null);
    }

    /** {@code events.patch}: merges {@code patch} into the event (objects merged, arrays replaced). */
    public ObjectNode patch(String calendarId, String eventId, ObjectNode patch, String ifMatch) {
        return locked(() -> write(calendar(calendarId), eventId, ifMatch, base -> {
            ObjectNode merged = base.deepCopy();
            EventMapper.mergePatch(merged, patch);
            return merged;
        }));
    }

    /** {@code events.delete} as the owner, without a precondition. */
    public void delete(String calendarId, String eventId) {
        delete(calendarId, eventId, null);
    }

    /**
     * {@code events.delete}: the event becomes {@code cancelled} and stays for incremental sync; deleting a series
     * cancels its overrides too; deleting one instance of a series stores a cancelled occurrence. 410 if already
     * deleted.
     */
    public void delete(String calendarId, String eventId, String ifMatch) {
        locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            StoredEvent e = cal.events.get(eventId);
            if (e == null) {
                Instance instance = virtualInstance(cal, eventId).orElseThrow(GoogleApiException::notFound);
                checkIfMatch(instance.master().etag(), ifMatch);
                StoredEvent c = new StoredEvent(eventId, cal.nextOrdinal++);
                c.body = EventMapper.JSON
                        .objectNode()
                        .put("kind", "calendar#event")
                        .put("id", eventId)
                        .put("status", "cancelled")
                        .put("recurringEventId", instance.master().id);
                c.originalStart = instance.occurrence().start();
                cal.events.put(eventId, c);
                commit(cal, c);
                return null;
            }
            if (e.cancelled()) {
                throw GoogleApiException.deleted();
            }
            checkIfMatch(e.etag(), ifMatch);
            e.body.put("status", "cancelled");
            commit(cal, e);
            if (e.isMaster()) {
                for (StoredEvent x : List.copyOf(cal.events.values())) {
                    if (e.id.equals(x.recurringEventId()) && !x.cancelled()) {
                        x.body.put("status", "cancelled");
                        commit(cal, x);
                    }
                }
            }
            return null;
        });
    }

    /** {@code events.get}: also instances of a series by their instance id; 410 if deleted, 404 if unknown. */
    public ObjectNode get(String calendarId, String eventId, String timeZone) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            ZoneId zone = renderZone(cal, timeZone);
            StoredEvent e = cal.events.get(eventId);
            if (e != null) {
                if (e.cancelled()) {
                    throw GoogleApiException.deleted();
                }
                return EventMapper.render(e, zone);
            }
            Instance i = virtualInstance(cal, eventId).orElseThrow(GoogleApiException::notFound);
            return EventMapper.renderInstance(i.master(), cal.id, i.occurrence(), zone);
        });
    }

    /** What is stored under the id, deleted or not, as an incremental sync would show it (for tests). */
    public Optional<ObjectNode> find(String calendarId, String eventId) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            StoredEvent e = cal.events.get(eventId);
            return Optional.ofNullable(e == null ? null : EventMapper.render(e, cal.zone()));
        });
    }

    /** Every stored event of the calendar, cancelled ones included, in insertion order (control API, tests). */
    public List<ObjectNode> storedEvents(String calendarId) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            return cal.events.values().stream()
                    .map(e -> EventMapper.render(e, cal.zone()))
                    .toList();
        });
    }

    /**
     * {@code events.list}: a full list or, with a sync token, the changes since the token, in pages. Pages are cut at
     * the calendar's change sequence of the first page and continue after the last item's sort key, so they stay
     * consistent while events change; changes after the first page show up in the next incremental sync.
     */
    public ObjectNode list(String calendarId, EventQuery q) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            int max = maxResults(q.maxResults());
            if (q.orderBy() != null) {
                if (!q.orderBy().equals("startTime") && !q.orderBy().equals("updated")) {
                    throw GoogleApiException.invalid("Invalid value for: orderBy");
                }
                if (q.orderBy().equals("startTime") && !q.singleEvents()) {
                    throw new GoogleApiException(
                            400,
                            "global",
                            "badRequest",
                            "The requested ordering is not available for the particular query.");
                }
            }
            if (q.syncToken() != null && q.hasSyncRestrictions()) {
                throw new GoogleApiException(
                        400,
                        "global",
                        "syncTokenWithRequestRestrictions",
                        "Sync token cannot be used with other request restrictions.");
            }
            checkRange(q.timeMin(), q.timeMax());
            ZoneId zone = renderZone(cal, q.timeZone());
            Tokens.Page page = pageToken(cal, q.pageToken());
            long since = page != null ? page.since() : -1;
            if (q.syncToken() != null) {
                since = checkSync(q.syncToken(), cal.id, cal.seq, cal.epoch);
            }
            long snapshot = page != null ? page.snapshot() : cal.seq;
            int epoch = page != null ? page.epoch() : cal.epoch;
            Order order = since >= 0
                    ? Order.CHANGE
                    : "updated".equals(q.orderBy()) ? Order.CHANGE : q.singleEvents() ? Order.START : Order.INSERTION;
            Items items = new Items(order);
            if (since >= 0) {
                changes(cal, since, snapshot, q, zone, items);
            } else {
                full(cal, q, zone, items);
            }
            ObjectNode r = eventsEnvelope(cal, snapshot);
            List<Item> sorted = items.after(page);
            List<Item> pageItems = sorted.subList(0, Math.min(max, sorted.size()));
            if (sorted.size() > max) {
                Item last = pageItems.getLast();
                r.put("nextPageToken", Tokens.page(new Tokens.Page(snapshot, since, epoch, last.k1(), last.k2())));
            } else {
                r.put("nextSyncToken", Tokens.sync(cal.id, snapshot, epoch));
            }
            ArrayNode out = r.putArray("items");
            pageItems.forEach(i -> out.add(i.json()));
            return r;
        });
    }

    /** {@code events.instances}: the instances of a series, overrides and (with showDeleted) cancellations in place. */
    public ObjectNode instances(String calendarId, String eventId, EventQuery q) {
        return locked(() -> {
            StoredCalendar cal = calendar(calendarId);
            int max = maxResults(q.maxResults());
            checkRange(q.timeMin(), q.timeMax());
            StoredEvent master = cal.events.get(eventId);
            if (master == null) {
                throw GoogleApiException.notFound();
            }
            if (master.cancelled()) {
                throw GoogleApiException.deleted();
            }
            ZoneId zone = renderZone(cal, q.timeZone());
            Tokens.Page page = pageToken(cal, q.pageToken());
            Items items = new Items(Order.START);
            if (master.isMaster()) {
                Instant to = expansionEnd(q.timeMin(), q.timeMax(), master, cal.zone());
                for (RecurrenceExpander.Occurrence o : RecurrenceExpander.expand(master, cal.zone(), q.timeMin(), to)) {
                    StoredEvent x = cal.events.get(master.id + "_" + o.suffix());
                    if (x == null) {
                        items.add(
                                master,
                                o.start().instant(cal.zone()),
                                EventMapper.renderInstance(master, cal.id, o, zone));
                    } else if (!x.cancelled() || q.showDeleted()) {
                        items.add(x, o.start().instant(cal.zone()), EventMapper.render(x, zone));
                    }
                }
            } else {
                items.add(master, master.start.instant(cal.zone()), EventMapper.render(master, zone));
            }
            ObjectNode r = eventsEnvelope(cal, cal.seq);
            List<Item> sorted = items.after(page);
            List<Item> pageItems = sorted.subList(0, Math.min(max, sorted.size()));
            if (sorted.size() > max) {
                Item last = pageItems.getLast();
                r.put("nextPageToken", Tokens.page(new Tokens.Page(cal.seq, -1, cal.epoch, last.k1(), last.k2())));
            }
            ArrayNode out = r.putArray("items");
            pageItems.forEach(i -> out.add(i.json()));
            return r;
        });
    }

    // ---------------------------------------------------------------- writes

    private interface Body {
        ObjectNode from(ObjectNode current);
    }

    /** One instance of a series that no stored event replaces yet. */
    private record Instance(StoredEvent master, RecurrenceExpander.Occurrence occurrence) {}

    /**
     * update and patch: the new body is built from the current representation; writing to an instance id creates
     * the override. Sequence goes up when the times or the recurrence change, as at Google.
     */
    private ObjectNode write(StoredCalendar cal, String eventId, String ifMatch, Body body) {
        StoredEvent e = cal.events.get(eventId);
        EventTime oldStart;
        EventTime oldEnd;
        ObjectNode base;
        if (e == null) {
            Instance i = virtualInstance(cal, eventId).orElseThrow(GoogleApiException::notFound);
            checkIfMatch(i.master().etag(), ifMatch);
            base = EventMapper.renderInstance(i.master(), cal.id, i.occurrence(), cal.zone());
            e = new StoredEvent(eventId, cal.nextOrdinal++);
            e.originalStart = i.occurrence().start();
            oldStart = i.occurrence().start();
            oldEnd = i.occurrence().end();
        } else {
            checkIfMatch(e.etag(), ifMatch);
            StoredEvent master = e.isException() ? cal.events.get(e.recurringEventId()) : null;
            if (e.start == null && master != null) {
                // A cancelled occurrence being written to (restored): it starts over from the series' instance.
                base = EventMapper.renderInstance(master, cal.id, occurrenceTimes(master, e.originalStart), cal.zone());
                base.put("status", "cancelled");
            } else {
                base = EventMapper.renderFull(e, cal.zone());
            }
            oldStart = e.start;
            oldEnd = e.end;
        }
        ObjectNode requested = body.from(base);
        EventMapper.Normalized n = EventMapper.normalize(requested, cal, base.has("recurringEventId"));
        ObjectNode b = n.body();
        ObjectNode old = base;
        for (String keep :
                List.of("kind", "id", "htmlLink", "created", "creator", "organizer", "iCalUID", "recurringEventId")) {
            if (old.has(keep)) {
                b.set(keep, old.get(keep));
            }
        }
        int sequence = old.path("sequence").asInt(0);
        boolean timesChanged = n.start() != null
                && (!n.start().sameTime(oldStart)
                        || !n.end().sameTime(oldEnd)
                        || !old.path("recurrence").equals(b.path("recurrence")));
        if (timesChanged) {
            sequence++;
        }
        b.put("sequence", Math.max(sequence, clientSequence(requested)));
        e.body = b;
        e.start = n.start();
        e.end = n.end();
        cal.events.putIfAbsent(e.id, e);
        commit(cal, e);
        return EventMapper.render(e, cal.zone());
    }

    /** Gives the event the calendar's next change number, a new etag and {@code updated}. */
    private void commit(StoredCalendar cal, StoredEvent e) {
        Instant now = now();
        cal.seq++;
        cal.updated = now;
        e.changeSeq = cal.seq;
        e.updated = now;
        lastEtag = Math.max(lastEtag + 1, ChronoUnit.MICROS.between(Instant.EPOCH, now) * 2);
        e.body.put("etag", quoted(lastEtag));
        if (!(e.isException() && e.cancelled() && e.start == null)) {
            e.body.put("updated", GoogleTime.timestamp(now));
        }
        changed.add(cal.id);
    }

    private static void checkIfMatch(String etag, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String given = ifMatch.trim().startsWith("W/") ? ifMatch.trim().substring(2) : ifMatch.trim();
        if (!given.equals(etag)) {
            throw GoogleApiException.conditionNotMet();
        }
    }

    private static int clientSequence(ObjectNode event) {
        JsonNode s = event.get("sequence");
        return s != null && s.isIntegralNumber() && s.asInt() >= 0 ? s.asInt() : 0;
    }

    // ---------------------------------------------------------------- listing

    private enum Order {
        /** Full list, singleEvents=false: the order events were created in. */
        INSERTION,
        /** singleEvents=true: by start time. */
        START,
        /** Incremental lists and orderBy=updated: by change number. */
        CHANGE
    }

    private record Item(long k1, String k2, ObjectNode json) {}

    /** The items of a list with their sort keys; the key decides paging, so it never depends on a position. */
    private static final class Items {
        private static final Comparator<Item> ORDER =
                Comparator.comparingLong(Item::k1).thenComparing(Item::k2);
        private final Order order;
        private final List<Item> items = new ArrayList<>();

        Items(Order order) {
            this.order = order;
        }

        void add(StoredEvent source, Instant start, ObjectNode json) {
            long k1 = switch (order) {
                case INSERTION -> source.ordinal;
                case START -> start.toEpochMilli();
                case CHANGE -> source.changeSeq;
            };
            items.add(new Item(k1, EventTime.text(json, "id"), json));
        }

        List<Item> after(Tokens.Page page) {
            items.sort(ORDER);
            if (page == null) {
                return items;
            }
            Item cursor = new Item(page.k1(), page.k2(), null);
            return items.stream().filter(i -> ORDER.compare(i, cursor) > 0).toList();
        }
    }

    private void full(StoredCalendar cal, EventQuery q, ZoneId zone, Items items) {
        ZoneId calZone = cal.zone();
        Instant from = q.timeMin();
        Instant to = q.timeMax();
        // updatedMin: "entries deleted since this time will always be included regardless of showDeleted"
        boolean deletedVisible = q.showDeleted() || q.updatedMin() != null;
        for (StoredEvent e : cal.events.values()) {
            if (!matches(e, q)) {
                continue;
            }
            if (e.isMaster()) {
                if (e.cancelled()) {
                    if (deletedVisible && seriesOverlaps(e, calZone, from, to)) {
                        items.add(e, e.start.instant(calZone), EventMapper.render(e, zone));
                    }
                } else if (!q.singleEvents()) {
                    if (seriesOverlaps(e, calZone, from, to)) {
                        items.add(e, e.start.instant(calZone), EventMapper.render(e, zone));
                    }
                } else {
                    for (RecurrenceExpander.Occurrence o :
                            RecurrenceExpander.expand(e, calZone, from, expansionEnd(from, to, e, calZone))) {
                        if (!cal.events.containsKey(e.id + "_" + o.suffix())) {
                            items.add(e, o.start().instant(calZone), EventMapper.renderInstance(e, cal.id, o, zone));
                        }
                    }
                }
            } else if (e.isException() && e.cancelled()) {
                // Google's quirk: cancelled instances are listed even without showDeleted when singleEvents=false.
                boolean visible = !q.singleEvents() || deletedVisible;
                StoredEvent master = cal.events.get(e.recurringEventId());
                Instant s = e.originalStart.instant(calZone);
                Instant end = master == null || master.start == null ? s : s.plus(duration(master, calZone));
                if (visible && RecurrenceExpander.overlaps(s, end, from, to)) {
                    items.add(e, s, EventMapper.render(e, zone));
                }
            } else {
                if (e.cancelled() && !deletedVisible) {
                    continue;
                }
                Instant s = e.start.instant(calZone);
                if (RecurrenceExpander.overlaps(s, e.end.instant(calZone), from, to)) {
                    items.add(e, s, EventMapper.render(e, zone));
                }
            }
        }
    }

    /** Incremental: everything changed after {@code since} up to the snapshot, deleted events included. */
    private void changes(StoredCalendar cal, long since, long snapshot, EventQuery q, ZoneId zone, Items items) {
        ZoneId calZone = cal.zone();
        for (StoredEvent e : cal.events.values()) {
            if (e.changeSeq <= since || e.changeSeq > snapshot || !matchesEventTypes(e, q)) {
                continue;
            }
            if (q.singleEvents() && e.isMaster() && !e.cancelled()) {
                for (RecurrenceExpander.Occurrence o :
                        RecurrenceExpander.expand(e, calZone, null, expansionEnd(null, null, e, calZone))) {
                    if (!cal.events.containsKey(e.id + "_" + o.suffix())) {
                        items.add(e, null, EventMapper.renderInstance(e, cal.id, o, zone));
                    }
                }
            } else {
                items.add(e, null, EventMapper.render(e, zone));
            }
        }
    }

    private static boolean matches(StoredEvent e, EventQuery q) {
        if (q.iCalUID() != null && !q.iCalUID().equals(EventTime.text(e.body, "iCalUID"))) {
            return false;
        }
        if (q.updatedMin() != null && (e.updated == null || e.updated.isBefore(q.updatedMin()))) {
            return false;
        }
        if (q.q() != null && !q.q().isBlank() && !EventMapper.matchesText(e, q.q())) {
            return false;
        }
        return EventMapper.matchesExtended(e, q.privateExtendedProperty(), "private")
                && EventMapper.matchesExtended(e, q.sharedExtendedProperty(), "shared")
                && matchesEventTypes(e, q);
    }

    private static boolean matchesEventTypes(StoredEvent e, EventQuery q) {
        if (q.eventTypes().isEmpty()) {
            return true;
        }
        String type = EventTime.text(e.body, "eventType");
        return type == null || q.eventTypes().contains(type);
    }

    private boolean seriesOverlaps(StoredEvent master, ZoneId calZone, Instant from, Instant to) {
        if (from == null && to == null) {
            return true;
        }
        return !RecurrenceExpander.expand(master, calZone, from, expansionEnd(from, to, master, calZone))
                .isEmpty();
    }

    /** Where expansion stops: timeMax, else two years after timeMin, now or the series' start, whichever is last. */
    private Instant expansionEnd(Instant from, Instant to, StoredEvent master, ZoneId calZone) {
        if (to != null) {
            return to;
        }
        Instant base = from != null ? from : now();
        Instant first = master.start.instant(calZone);
        return (first.isAfter(base) ? first : base).plus(UNBOUNDED_EXPANSION);
    }

    private static Duration duration(StoredEvent master, ZoneId calZone) {
        return Duration.between(master.start.instant(calZone), master.end.instant(calZone));
    }

    private static RecurrenceExpander.Occurrence occurrenceTimes(StoredEvent master, EventTime originalStart) {
        if (originalStart.allDay()) {
            long days = ChronoUnit.DAYS.between(master.start.date(), master.end.date());
            return new RecurrenceExpander.Occurrence(
                    originalStart, EventTime.ofDate(originalStart.date().plusDays(days)));
        }
        Duration d = Duration.between(master.start.dateTime(), master.end.dateTime());
        return new RecurrenceExpander.Occurrence(
                originalStart, EventTime.ofDateTime(originalStart.dateTime().plus(d), master.end.timeZone()));
    }

    /** {@code <masterId>_<suffix>} naming an occurrence of a live series that has no stored exception. */
    private Optional<Instance> virtualInstance(StoredCalendar cal, String eventId) {
        int sep = eventId.lastIndexOf('_');
        if (sep <= 0) {
            return Optional.empty();
        }
        StoredEvent master = cal.events.get(eventId.substring(0, sep));
        if (master == null || !master.isMaster()) {
            return Optional.empty();
        }
        if (master.cancelled()) {
            throw GoogleApiException.deleted();
        }
        return RecurrenceExpander.occurrenceAt(master, cal.zone(), eventId.substring(sep + 1))
                .map(o -> new Instance(master, o));
    }

    private ObjectNode eventsEnvelope(StoredCalendar cal, long snapshot) {
        ObjectNode r = EventMapper.JSON
                .objectNode()
                .put("kind", "calendar#events")
                .put("etag", listEtag(cal.id, snapshot))
                .put("summary", cal.summary);
        if (cal.description != null) {
            r.put("description", cal.description);
        }
        r.put("updated", GoogleTime.timestamp(cal.updated));
        r.put("timeZone", cal.timeZone);
        r.put("accessRole", cal.accessRole);
        r.set("defaultReminders", cal.defaultReminders.deepCopy());
        return r;
    }

    private static int maxResults(Integer maxResults) {
        int max = maxResults == null ? 250 : maxResults;
        if (max < 1 || max > 2500) {
            throw GoogleApiException.invalid(
                    "Invalid value '" + maxResults + "'. Values must be within the range: [1, 2500]");
        }
        return max;
    }

    private static void checkRange(Instant timeMin, Instant timeMax) {
        if (timeMin != null && timeMax != null && !timeMin.isBefore(timeMax)) {
            throw new GoogleApiException(400, "global", "timeRangeEmpty", "The specified time range is empty.");
        }
    }

    private static Tokens.Page pageToken(StoredCalendar cal, String token) {
        if (token == null) {
            return null;
        }
        Tokens.Page page = Tokens.parsePage(token);
        if (page.snapshot() > cal.seq) {
            throw GoogleApiException.invalid("Invalid page token value.");
        }
        return page;
    }

    /** The change number a sync token starts after; 410 when its epoch has passed, 400 when it is not ours. */
    private static long checkSync(String token, String scope, long current, int epoch) {
        Tokens.Sync s = Tokens.parseSync(token);
        if (s == null || !s.scope().equals(scope) || s.seq() > current || s.seq() < 0) {
            throw GoogleApiException.invalid("Invalid sync token value.");
        }
        if (s.epoch() != epoch) {
            throw new GoogleApiException(
                    410, "global", "fullSyncRequired", "Sync token is no longer valid, a full sync is required.");
        }
        return s.seq();
    }

    private static ZoneId renderZone(StoredCalendar cal, String timeZone) {
        if (timeZone == null) {
            return cal.zone();
        }
        ZoneId z = GoogleTime.zone(timeZone);
        if (z == null) {
            throw GoogleApiException.invalid("Invalid time zone definition: " + timeZone);
        }
        return z;
    }

    // ---------------------------------------------------------------- calendars, internal

    private StoredCalendar calendar(String calendarId) {
        StoredCalendar cal = calendars.get(calendarId);
        if (cal == null) {
            // A Google account's primary calendar exists from the start: create it when first named.
            Optional<Account> owner =
                    calendarId == null ? Optional.empty() : state.findByEmail(Provider.GOOGLE, calendarId);
            if (owner.isPresent()) {
                cal = ensurePrimary(owner.get());
            }
        }
        if (cal == null) {
            throw GoogleApiException.notFound();
        }
        return cal;
    }

    private StoredCalendar calendarOf(Account account, String calendarId) {
        ensurePrimary(account);
        String id = "primary".equals(calendarId) ? account.email() : calendarId;
        StoredCalendar cal = calendars.get(id);
        if (cal == null || !cal.accountId.equals(account.id())) {
            throw GoogleApiException.notFound();
        }
        return cal;
    }

    private List<StoredCalendar> calendarsOf(Account account) {
        ensurePrimary(account);
        return calendars.values().stream()
                .filter(c -> c.accountId.equals(account.id()))
                .sorted(Comparator.comparing((StoredCalendar c) -> !c.primary).thenComparingLong(c -> c.ordinal))
                .toList();
    }

    private StoredCalendar ensurePrimary(Account account) {
        StoredCalendar cal = calendars.get(account.email());
        if (cal != null) {
            return cal;
        }
        cal = newCalendar(account.email(), account, true);
        cal.summary = account.email();
        cal.timeZone = "UTC";
        cal.accessRole = "owner";
        cal.colorId = "14";
        cal.defaultReminders = EventMapper.JSON.arrayNode();
        cal.defaultReminders.add(
                EventMapper.JSON.objectNode().put("method", "popup").put("minutes", 30));
        touchListEntry(cal);
        return cal;
    }

    private StoredCalendar newCalendar(String id, Account account, boolean primary) {
        String name = account.displayName() == null || account.displayName().equalsIgnoreCase(account.email())
                ? null
                : account.displayName();
        StoredCalendar cal =
                new StoredCalendar(id, account.id(), account.email(), name, primary, calendarOrdinal++, Ids.token(20));
        cal.timeZone = "UTC";
        cal.updated = now();
        calendars.put(id, cal);
        return cal;
    }

    private void touchListEntry(StoredCalendar cal) {
        long seq = listSeqs.merge(cal.accountId, 1L, Long::sum);
        cal.listSeq = seq;
        lastEtag = Math.max(lastEtag + 1, ChronoUnit.MICROS.between(Instant.EPOCH, now()));
        cal.etag = lastEtag;
    }

    private ObjectNode calendarListEntry(StoredCalendar c) {
        ObjectNode e = EventMapper.JSON
                .objectNode()
                .put("kind", "calendar#calendarListEntry")
                .put("etag", quoted(c.etag))
                .put("id", c.id)
                .put("summary", c.summary);
        if (c.description != null) {
            e.put("description", c.description);
        }
        if (c.location != null) {
            e.put("location", c.location);
        }
        int color = parseColor(c.colorId);
        e.put("timeZone", c.timeZone)
                .put("colorId", c.colorId)
                .put("backgroundColor", CALENDAR_COLORS[color - 1])
                .put("foregroundColor", "#000000")
                .put("selected", true)
                .put("accessRole", c.accessRole);
        e.set("defaultReminders", c.defaultReminders.deepCopy());
        if (c.primary) {
            ArrayNode notifications = e.putObject("notificationSettings").putArray("notifications");
            for (String type : List.of("eventCreation", "eventChange", "eventCancellation", "eventResponse")) {
                notifications.add(
                        EventMapper.JSON.objectNode().put("method", "email").put("type", type));
            }
            e.put("primary", true);
        }
        e.set("conferenceProperties", conferenceProperties());
        return e;
    }

    private static ObjectNode conferenceProperties() {
        ObjectNode p = EventMapper.JSON.objectNode();
        p.putArray("allowedConferenceSolutionTypes").add("hangoutsMeet");
        return p;
    }

    private static int parseColor(String colorId) {
        try {
            int c = Integer.parseInt(colorId);
            if (c >= 1 && c <= CALENDAR_COLORS.length) {
                return c;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw GoogleApiException.invalid("Invalid color id: " + colorId);
    }

    private Account googleAccount(String accountId) {
        Account a = state.account(accountId).orElseThrow(GoogleApiException::notFound);
        if (a.provider() != Provider.GOOGLE) {
            throw GoogleApiException.invalid("Account " + accountId + " is not a Google account");
        }
        return a;
    }

    // ---------------------------------------------------------------- helpers

    /** A list's etag: the same as long as nothing in the scope changed, like Google's {@code "p3..."} etags. */
    private static String listEtag(String scope, long seq) {
        long h = (scope.hashCode() * 31L + seq) & Long.MAX_VALUE;
        String s = Long.toString(h, 32);
        return "\"p3" + (s.length() >= 14 ? s.substring(0, 14) : "0".repeat(14 - s.length()) + s) + "\"";
    }

    private static String quoted(long n) {
        return "\"" + n + "\"";
    }

    private static String hex(int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(Long.toHexString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 4));
        }
        return b.substring(0, length);
    }

    private Instant now() {
        return Instant.now(state.clock());
    }

    /** Runs under the lock; tells the change listeners about the calendars the operation changed. */
    private <T> T locked(Supplier<T> op) {
        lock.lock();
        try {
            T result = op.get();
            if (lock.getHoldCount() == 1 && !changed.isEmpty()) {
                List<String> ids = List.copyOf(changed);
                changed.clear();
                // Still under the lock, so notifications leave in the order of the changes.
                ids.forEach(id -> changeListeners.forEach(l -> l.accept(id)));
            }
            return result;
        } catch (RuntimeException e) {
            if (lock.getHoldCount() == 1) {
                changed.clear();
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }
}
