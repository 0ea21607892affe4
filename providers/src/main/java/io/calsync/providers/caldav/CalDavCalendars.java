package io.calsync.providers.caldav;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.ical.IcsEventMapper;
import io.calsync.providers.ical.IcsFeed;
import io.calsync.providers.ical.IcsParser;
import io.calsync.providers.ical.IcsResource;
import io.calsync.providers.ical.InvalidIcsException;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderEvent;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.ProviderWriter;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * One CalDAV calendar, both ways; one instance per provider value ({@code APPLE}, {@code CALDAV}). The connection's
 * {@code providerCalendarId} is the calendar's URL, its account e-mail the user name, and its "access token" the
 * password (decrypted by the token source; a 401 asks it once for a newer one, and a password that stays refused
 * disconnects the calendar).
 *
 * <p><b>Ids.</b> A calendar object is one resource; its series master or single event has the resource's name (the
 * last segment of its href, as the server wrote it) as provider id, and an override {@code <name>_<original start>}
 * ({@link IcsResource#occurrenceKey}) with the name as {@code providerRecurringId}. A resource removed at the
 * server thus removes the master and its overrides. Every event of a resource carries the resource's etag.
 *
 * <p><b>Reading.</b> A cursor {@code sync:<token>} is an RFC 6578 {@code sync-collection} from that token (a token
 * the server no longer knows, {@code valid-sync-token}, is {@code SYNC_STATE_INVALID}: the engine syncs in full);
 * {@code ctag:<ctag>} (servers without sync-collection) compares the collection's ctag and lists everything when
 * it changed. A full pass lists every member (sync-collection from no token when the server has sync tokens, else
 * PROPFIND) and is {@code full}, so the engine removes what it no longer saw. Changed members are fetched with
 * {@code calendar-multiget} in batches of {@value #BATCH}; each batch is one page. A resource that is not
 * iCalendar is skipped and logged, like a broken feed event.
 *
 * <p><b>Writing.</b> A new event is a new resource {@code <local id>.ics} (so a create retried after a lost answer
 * finds its own resource instead of making a second: {@code If-None-Match: *} answers 412, and the resource with our
 * UID is the answer). An update reads the resource, refuses at once ({@code PRECONDITION_FAILED}) when its etag is
 * not the one the change is based on, and otherwise writes the edited object with {@code If-Match} of the etag it
 * read; occurrences are written into their series' resource (an override replaced or added; a cancelled one removed
 * and excluded). A delete removes the resource with {@code If-Match}; the delete of an occurrence excludes it.
 */
public class CalDavCalendars implements ProviderSync, ProviderWriter {

    static final int BATCH = 100;

    /** The contract's cap on one feed's stored events, applied to a CalDAV calendar's resources alike. */
    static final int MAX_EVENTS = 50_000;

    private static final int MAX_SYNC_ROUNDS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(CalDavCalendars.class);
    private static final Pattern OCCURRENCE = Pattern.compile("^(.+)_(\\d{8}(?:T\\d{6}Z)?)$");
    private static final String COLLECTION = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\""
            + " xmlns:cs=\"http://calendarserver.org/ns/\"><d:prop><d:resourcetype/><d:sync-token/><cs:getctag/>"
            + "</d:prop></d:propfind>";
    private static final String MEMBERS = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\">"
            + "<d:prop><d:resourcetype/><d:getetag/></d:prop></d:propfind>";

    private final CalendarProvider provider;
    private final CalDavClient client;
    private final IcsParser parser;
    private final ProviderCalls calls;
    private final Clock clock;
    private final IcsEventMapper mapper = new IcsEventMapper();

    public CalDavCalendars(
            CalendarProvider provider, CalDavClient client, IcsParser parser, ProviderCalls calls, Clock clock) {
        this.provider = provider;
        this.client = client;
        this.parser = parser;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public CalendarProvider provider() {
        return provider;
    }

    // ------------------------------------------------------------------------------------------------- reading

    @Override
    public SyncResult sync(SyncTarget target, PageSink sink) {
        URI calendar = calendar(target);
        String cursor = target.cursor();
        if (cursor != null && cursor.startsWith("sync:")) {
            return SyncResult.incremental("sync:" + changes(target, calendar, cursor.substring(5), sink, false));
        }
        DavXml.Response collection = call(target, "caldav.collection", c -> {
            List<DavXml.Response> rs =
                    client.propfind(calendar, 0, COLLECTION, c).responses();
            return rs.isEmpty() ? null : rs.getFirst();
        });
        if (collection == null) {
            throw gone(calendar);
        }
        String token = collection.text(DavXml.DAV, "sync-token");
        String ctag = collection.text(DavXml.CALSERVER, "getctag");
        if (cursor != null
                && cursor.startsWith("ctag:")
                && token == null
                && ctag != null
                && cursor.substring(5).equals(ctag)) {
            return SyncResult.incremental(cursor); // nothing changed since the last pass
        }
        if (token != null && !token.isBlank()) {
            return SyncResult.fullList("sync:" + changes(target, calendar, "", sink, true));
        }
        List<String> hrefs = new ArrayList<>();
        for (DavXml.Response r : call(target, "caldav.members", c -> client.propfind(calendar, 1, MEMBERS, c))
                .responses()) {
            if (isMember(calendar, r)) {
                hrefs.add(r.href());
            }
        }
        if (hrefs.size() > MAX_EVENTS) {
            throw tooMany(hrefs.size());
        }
        fetch(target, calendar, hrefs, List.of(), sink);
        return SyncResult.fullList(ctag == null ? null : "ctag:" + ctag);
    }

    /**
     * Follows the collection's changes from {@code token} (empty: every member) to the newest token, fetching the
     * changed members page by page; answers the newest token. A server that answers in parts (507 on the collection
     * itself, RFC 6578 3.6) is asked again from the token of each part.
     */
    private String changes(SyncTarget target, URI calendar, String token, PageSink sink, boolean full) {
        String current = token;
        for (int round = 0; round < MAX_SYNC_ROUNDS; round++) {
            String from = current;
            DavXml.MultiStatus ms = call(
                    target,
                    "caldav.sync-collection",
                    c -> client.report(calendar, 1, CalDavClient.syncCollection(from), c));
            List<String> changed = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            boolean truncated = false;
            if (ms.responses().size() > MAX_EVENTS) {
                throw tooMany(ms.responses().size());
            }
            for (DavXml.Response r : ms.responses()) {
                if (r.href() == null) {
                    continue;
                }
                if (isSelf(calendar, r.href())) {
                    truncated |= r.status() == 507;
                    continue;
                }
                if (r.href().endsWith("/")) {
                    continue; // a sub-collection is not an event
                }
                if (r.gone()) {
                    removed.add(name(r.href()));
                } else {
                    changed.add(r.href());
                }
            }
            fetch(target, calendar, changed, full ? List.of() : removed, sink);
            if (ms.syncToken() == null || ms.syncToken().isBlank()) {
                throw new ProviderException(
                        Kind.PERMANENT,
                        207,
                        "CALDAV_UNEXPECTED",
                        "the server answered sync-collection without a token");
            }
            current = ms.syncToken();
            if (!truncated) {
                return current;
            }
        }
        throw new ProviderException(
                Kind.TRANSIENT, 0, "CALDAV_TOO_MANY_PARTS", "the server's changes came in too many parts");
    }

    /** Multigets the hrefs in batches, maps each resource, and hands each batch to the sink (removals with the first). */
    private void fetch(SyncTarget target, URI calendar, List<String> hrefs, List<String> removed, PageSink sink) {
        if (hrefs.isEmpty()) {
            if (!removed.isEmpty()) {
                sink.accept(List.of(), removed);
            }
            return;
        }
        boolean first = true;
        for (int from = 0; from < hrefs.size(); from += BATCH) {
            List<String> batch = hrefs.subList(from, Math.min(from + BATCH, hrefs.size()));
            DavXml.MultiStatus ms =
                    call(target, "caldav.multiget", c -> client.report(calendar, 1, CalDavClient.multiget(batch), c));
            List<ProviderEvent> events = new ArrayList<>();
            List<String> vanished = new ArrayList<>(first ? removed : List.of());
            for (DavXml.Response r : ms.responses()) {
                if (r.href() == null) {
                    continue;
                }
                String data = r.text(DavXml.CALDAV, "calendar-data");
                if (r.gone() || data == null) {
                    if (r.gone()) {
                        vanished.add(name(r.href())); // deleted between the listing and the fetch
                    }
                    continue;
                }
                events.addAll(map(name(r.href()), data, r.text(DavXml.DAV, "getetag"), target.connectionId()));
            }
            sink.accept(events, vanished);
            first = false;
        }
    }

    /** One resource's events with the resource's ids and etag (see the class comment); none when it is unreadable. */
    List<ProviderEvent> map(String name, String ics, String etag, UUID connectionId) {
        IcsFeed feed;
        try {
            feed = parser.parse(ics.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidIcsException | IllegalArgumentException e) {
            log.warn(
                    "caldav resource skipped connectionId={} resource={} reason={}",
                    connectionId,
                    name,
                    e.getMessage());
            return List.of();
        }
        List<ProviderEvent> out = new ArrayList<>();
        Set<String> masters = new LinkedHashSet<>();
        List<ProviderEvent> mapped = mapper.map(feed, connectionId).events();
        for (ProviderEvent e : mapped) {
            if (e.providerRecurringId() == null) {
                String id = masters.isEmpty() ? name : name + "#" + e.providerEventId();
                masters.add(e.providerEventId());
                out.add(e.withIds(id, null, etag));
            }
        }
        for (ProviderEvent e : mapped) {
            if (e.providerRecurringId() != null) {
                String series = masters.isEmpty() || masters.iterator().next().equals(e.providerRecurringId())
                        ? name
                        : name + "#" + e.providerRecurringId();
                out.add(e.withIds(
                        series + "_" + IcsResource.occurrenceKey(e.originalStartTime(), e.originalStartDate()),
                        series,
                        etag));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------- writing

    @Override
    public Written create(SyncTarget target, UUID localId, ProviderEvent event) {
        if (event.providerRecurringId() != null) {
            return occurrence(target, event, null);
        }
        URI calendar = calendar(target);
        String name = localId + ".ics";
        URI url = resolve(calendar, name);
        String uid = event.iCalUid() != null && !event.iCalUid().isBlank() ? event.iCalUid() : localId.toString();
        Instant now = clock.instant();
        IcsResource resource = IcsResource.empty();
        resource.putMaster(event, uid, now);
        String text = resource.toText();
        String etag;
        try {
            etag = call(target, "caldav.create", c -> client.put(url, text, null, true, c));
        } catch (ProviderException e) {
            if (e.kind() != Kind.PRECONDITION_FAILED) {
                throw e;
            }
            // The name is taken: our own earlier attempt whose answer was lost, or not ours at all.
            CalDavClient.Resource existing = call(target, "caldav.get", c -> client.get(url, c));
            if (existing == null
                    || !uid.equals(IcsResource.parse(existing.body()).uid())) {
                throw new ProviderException(
                        Kind.CONFLICT, 412, "CALDAV_NAME_TAKEN", "the server has another event under our name");
            }
            log.info(
                    "caldav create found its earlier attempt connectionId={} resource={}", target.connectionId(), name);
            return new Written(name, existing.etag(), now, null, uid);
        }
        return new Written(name, etag != null ? etag : etagOf(target, url), now, null, uid);
    }

    @Override
    public Written update(SyncTarget target, ProviderEvent event, String ifMatch) {
        if (event.providerRecurringId() != null) {
            return occurrence(target, event, ifMatch);
        }
        URI url = resolve(calendar(target), event.providerEventId());
        CalDavClient.Resource current = read(target, url, ifMatch);
        IcsResource resource = IcsResource.parse(current.body());
        String uid = resource.uid() != null ? resource.uid() : event.iCalUid();
        Instant now = clock.instant();
        resource.putMaster(event, uid, now);
        return written(target, url, event.providerEventId(), resource, current.etag(), now, uid);
    }

    @Override
    public void delete(SyncTarget target, String providerEventId, String ifMatch) {
        URI calendar = calendar(target);
        Matcher m = OCCURRENCE.matcher(providerEventId);
        if (m.matches()) {
            URI series = resolve(calendar, m.group(1));
            CalDavClient.Resource current = call(target, "caldav.get", c -> client.get(series, c));
            if (current != null && IcsResource.parse(current.body()).hasSeries()) {
                if (ifMatch != null && !sameEtag(ifMatch, current.etag())) {
                    throw stale(series);
                }
                IcsResource resource = IcsResource.parse(current.body());
                resource.cancelOccurrence(m.group(2));
                String text = resource.toText();
                call(target, "caldav.put", c -> client.put(series, text, current.etag(), false, c));
                return;
            }
        }
        URI url = resolve(calendar, providerEventId);
        call(target, "caldav.delete", c -> {
            client.delete(url, ifMatch, c);
            return null;
        });
    }

    @Override
    public ProviderEvent get(SyncTarget target, String providerEventId) {
        URI calendar = calendar(target);
        Matcher m = OCCURRENCE.matcher(providerEventId);
        String resourceName = providerEventId;
        if (m.matches()) {
            URI series = resolve(calendar, m.group(1));
            CalDavClient.Resource r = call(target, "caldav.get", c -> client.get(series, c));
            if (r != null && IcsResource.parse(r.body()).hasSeries()) {
                return find(map(m.group(1), r.body(), r.etag(), target.connectionId()), providerEventId);
            }
        }
        URI url = resolve(calendar, resourceName);
        CalDavClient.Resource r = call(target, "caldav.get", c -> client.get(url, c));
        return r == null ? null : find(map(resourceName, r.body(), r.etag(), target.connectionId()), providerEventId);
    }

    /** An occurrence written into its series' resource. */
    private Written occurrence(SyncTarget target, ProviderEvent event, String ifMatch) {
        String series = event.providerRecurringId();
        URI url = resolve(calendar(target), series);
        CalDavClient.Resource current = read(target, url, ifMatch);
        IcsResource resource = IcsResource.parse(current.body());
        String uid = resource.uid() != null ? resource.uid() : event.iCalUid();
        Instant now = clock.instant();
        resource.putOccurrence(event, uid, now);
        String id = series + "_" + IcsResource.occurrenceKey(event.originalStartTime(), event.originalStartDate());
        return written(target, url, id, resource, current.etag(), now, uid);
    }

    private CalDavClient.Resource read(SyncTarget target, URI url, String ifMatch) {
        CalDavClient.Resource current = call(target, "caldav.get", c -> client.get(url, c));
        if (current == null) {
            throw new ProviderException(Kind.NOT_FOUND, 404, "CALDAV_NOT_FOUND", "the event is gone at the server");
        }
        if (ifMatch != null && current.etag() != null && !sameEtag(ifMatch, current.etag())) {
            throw stale(url);
        }
        return current;
    }

    private Written written(
            SyncTarget target, URI url, String id, IcsResource resource, String basedOn, Instant now, String uid) {
        String text = resource.toText();
        String etag = call(target, "caldav.put", c -> client.put(url, text, basedOn, false, c));
        return new Written(id, etag != null ? etag : etagOf(target, url), now, null, uid);
    }

    private String etagOf(SyncTarget target, URI url) {
        CalDavClient.Resource r = call(target, "caldav.get", c -> client.get(url, c));
        return r == null ? null : r.etag();
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private <T> T call(SyncTarget target, String what, Function<CalDavClient.Credentials, T> call) {
        return calls.execute(
                target, what, password -> call.apply(new CalDavClient.Credentials(target.accountEmail(), password)));
    }

    private URI calendar(SyncTarget target) {
        String id = target.providerCalendarId();
        if (id == null || id.isBlank()) {
            throw new ProviderException(Kind.PERMANENT, 0, "CALDAV_URL_MISSING", "the calendar has no URL");
        }
        return client.requireSecure(id.endsWith("/") ? id : id + "/");
    }

    private static ProviderException tooMany(int n) {
        return new ProviderException(
                Kind.PERMANENT,
                0,
                "CALDAV_TOO_MANY_EVENTS",
                "the calendar holds " + n + " events; a calendar may hold at most " + MAX_EVENTS);
    }

    private static ProviderException gone(URI calendar) {
        return new ProviderException(
                Kind.PERMANENT, 404, "CALDAV_CALENDAR_GONE", "the calendar no longer exists at " + calendar.getHost());
    }

    private static ProviderException stale(URI url) {
        return new ProviderException(
                Kind.PRECONDITION_FAILED, 412, "PRECONDITION_FAILED", "the event changed at " + url.getHost());
    }

    static boolean sameEtag(String a, String b) {
        return a != null && b != null && strip(a).equals(strip(b));
    }

    private static String strip(String etag) {
        String e = etag.strip();
        return e.startsWith("W/") ? e.substring(2) : e;
    }

    private static ProviderEvent find(List<ProviderEvent> events, String id) {
        return events.stream()
                .filter(e -> id.equals(e.providerEventId()))
                .findFirst()
                .orElse(null);
    }

    private static boolean isMember(URI calendar, DavXml.Response r) {
        if (r.href() == null || isSelf(calendar, r.href()) || r.href().endsWith("/")) {
            return false;
        }
        Element type = r.prop(DavXml.DAV, "resourcetype");
        return type == null || DavXml.child(type, DavXml.DAV, "collection") == null;
    }

    private static boolean isSelf(URI calendar, String href) {
        String path = URI.create(calendar.toString()).getRawPath();
        String h = href;
        int scheme = h.indexOf("://");
        if (scheme > 0) {
            int slash = h.indexOf('/', scheme + 3);
            h = slash < 0 ? "/" : h.substring(slash);
        }
        return trimSlash(h).equals(trimSlash(path));
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * A member of the calendar by its name (percent-encoded, as the server wrote it). A name that is no URI segment, or
     * that would leave the calendar ({@code ..}, a scheme, a slash: a hostile server's), is refused.
     */
    static URI resolve(URI calendar, String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
            throw badName();
        }
        try {
            URI relative = new URI("./" + name);
            String decoded = relative.getPath().substring(2);
            if (decoded.isEmpty() || decoded.contains("/") || decoded.equals("..") || decoded.equals(".")) {
                throw badName();
            }
            URI u = calendar.resolve(relative);
            if (!java.util.Objects.equals(u.getHost(), calendar.getHost())
                    || !u.getRawPath().startsWith(calendar.getRawPath())) {
                throw badName();
            }
            return u;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw badName();
        }
    }

    private static ProviderException badName() {
        return new ProviderException(Kind.PERMANENT, 0, "CALDAV_BAD_NAME", "the event has no valid resource name");
    }

    /** The last segment of an href, as the server wrote it (still percent-encoded). */
    static String name(String href) {
        String h = trimSlash(href);
        return h.substring(h.lastIndexOf('/') + 1);
    }
}
