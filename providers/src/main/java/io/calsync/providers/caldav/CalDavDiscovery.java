package io.calsync.providers.caldav;

import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.port.ProviderAccount;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Finds a CalDAV account's calendars from a server URL, a user name and a password:
 *
 * <ol>
 *   <li>The {@code current-user-principal} (RFC 5397) of the URL as given, or of the host's
 *       {@code /.well-known/caldav} (RFC 6764; tried first when the URL names only the host). Redirects are followed
 *       at most {@value #MAX_REDIRECTS} times, each hop through the guard, and only within the host (or to a sibling
 *       host of the same domain, as iCloud's partitions): a redirect elsewhere does not get the password.
 *   <li>The principal's {@code calendar-home-set} (RFC 4791 6.2.1); a server without principals (a URL that is
 *       itself a calendar home, or a calendar) is read as such.
 *   <li>The home's members that are calendars holding events ({@code VEVENT} in their
 *       {@code supported-calendar-component-set}, or no set: all components): URL, display name, Apple's colour, and
 *       whether the account may write ({@code current-user-privilege-set}).
 * </ol>
 *
 * A 401 anywhere is {@code CALDAV_AUTH_FAILED}; no principal, home or calendar is {@code CALDAV_NOT_FOUND}; a URL
 * the guard refuses is {@code URL_NOT_ALLOWED}; a server that cannot be reached is {@code CALDAV_UNREACHABLE}.
 */
public class CalDavDiscovery {

    static final int MAX_REDIRECTS = 3;
    private static final Logger log = LoggerFactory.getLogger(CalDavDiscovery.class);

    private static final String PRINCIPAL = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\">"
            + "<d:prop><d:current-user-principal/><d:resourcetype/></d:prop></d:propfind>";
    private static final String HOME = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\""
            + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop><c:calendar-home-set/></d:prop></d:propfind>";
    static final String CALENDARS = "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:propfind xmlns:d=\"DAV:\""
            + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\" xmlns:a=\"http://apple.com/ns/ical/\"><d:prop>"
            + "<d:resourcetype/><d:displayname/><c:supported-calendar-component-set/><a:calendar-color/>"
            + "<d:current-user-privilege-set/></d:prop></d:propfind>";

    private final CalDavClient client;

    public CalDavDiscovery(CalDavClient client) {
        this.client = client;
    }

    /** The account (its user name as the e-mail the session shows) and its event calendars, in the server's order. */
    public ProviderAccount discover(String serverUrl, String username, String password) {
        CalDavClient.Credentials credentials = new CalDavClient.Credentials(username, password);
        URI base = client.requireSecure(serverUrl == null ? "" : serverUrl.strip());
        URI wellKnown = base.resolve("/.well-known/caldav");
        boolean hostOnly = base.getRawPath() == null || base.getRawPath().isEmpty() || "/".equals(base.getRawPath());
        List<URI> candidates = hostOnly ? List.of(wellKnown, base) : List.of(base, wellKnown);
        URI principal = null;
        URI answered = null;
        boolean reachedDav = false;
        for (URI candidate : candidates) {
            Found found = principalOf(candidate, credentials);
            reachedDav |= found.dav();
            if (found.principal() != null) {
                principal = found.principal();
                break;
            }
            if (found.dav() && answered == null) {
                answered = found.at();
            }
        }
        List<URI> homes = new ArrayList<>();
        if (principal != null) {
            DavXml.MultiStatus ms = client.propfind(principal, 0, HOME, credentials);
            for (DavXml.Response r : ms.responses()) {
                Element set = r.prop(DavXml.CALDAV, "calendar-home-set");
                if (set != null) {
                    for (Element h : DavXml.children(set, DavXml.DAV, "href")) {
                        URI home = resolve(principal, h.getTextContent().strip());
                        if (home != null) {
                            homes.add(home);
                        }
                    }
                }
            }
        }
        if (homes.isEmpty() && reachedDav) {
            homes.add(answered != null ? answered : base); // a server without principals: the URL is the home
        }
        List<ProviderAccount.OfferedCalendar> calendars = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (URI home : homes) {
            for (DavXml.Response r :
                    client.propfind(home, 1, CALENDARS, credentials).responses()) {
                if (r.href() == null || !isEventCalendar(r)) {
                    continue;
                }
                URI url = resolve(home, r.href());
                if (url == null || !sameSite(base, url) || !seen.add(url.toString())) {
                    continue;
                }
                calendars.add(new ProviderAccount.OfferedCalendar(
                        url.toString(),
                        name(r, url),
                        calendars.isEmpty(),
                        color(r.text(DavXml.APPLE, "calendar-color")),
                        writable(r) ? "owner" : "reader"));
            }
        }
        if (calendars.isEmpty()) {
            throw new ProviderException(
                    Kind.PERMANENT,
                    0,
                    "CALDAV_NOT_FOUND",
                    reachedDav
                            ? "the CalDAV server at " + base.getHost() + " offers this account no event calendars"
                            : "no CalDAV server answers at " + base.getHost());
        }
        log.info(
                "caldav discovery host={} principal={} calendars={}",
                base.getHost(),
                principal != null,
                calendars.size());
        return new ProviderAccount(username, calendars);
    }

    /** What one candidate URL told: whether WebDAV answered there at all, and the principal if it named one. */
    private record Found(boolean dav, URI principal, URI at) {}

    private Found principalOf(URI start, CalDavClient.Credentials credentials) {
        URI at = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            SafeHttpFetcher.Answer a;
            try {
                a = client.raw("PROPFIND", at, 0, PRINCIPAL, sameSite(start, at) ? credentials : null);
            } catch (ProviderException e) {
                if ("URL_NOT_ALLOWED".equals(e.code()) && hop > 0) {
                    return new Found(false, null, at); // a redirect to where we may not go: not this candidate
                }
                throw e;
            }
            int s = a.status();
            if (s == 401) {
                throw new ProviderException(
                        Kind.UNAUTHORIZED,
                        401,
                        "CALDAV_AUTH_FAILED",
                        "the CalDAV server at " + at.getHost() + " refused the user name or password");
            }
            if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
                String location = a.header("location");
                if (location == null || location.isBlank()) {
                    return new Found(false, null, at);
                }
                URI next = resolve(at, location.strip());
                if (next == null || !sameSite(start, next)) {
                    log.info("caldav discovery: redirect to another site not followed host={}", at.getHost());
                    return new Found(false, null, at);
                }
                at = next;
                continue;
            }
            if (s != 207) {
                return new Found(false, null, at);
            }
            DavXml.MultiStatus ms;
            try {
                ms = DavXml.multistatus(a.body());
            } catch (DavXml.BadXmlException e) {
                return new Found(false, null, at);
            }
            for (DavXml.Response r : ms.responses()) {
                String href = r.href(DavXml.DAV, "current-user-principal");
                URI principal = href == null || href.isEmpty() ? null : resolve(at, href);
                if (principal != null) {
                    return new Found(true, principal, at);
                }
            }
            return new Found(true, null, at);
        }
        return new Found(false, null, at);
    }

    /** An href or Location of the server's against where it answered; null when it is no URI (a hostile answer). */
    static URI resolve(URI base, String reference) {
        try {
            URI u = base.resolve(reference);
            return u.getHost() == null ? null : u;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isEventCalendar(DavXml.Response r) {
        Element type = r.prop(DavXml.DAV, "resourcetype");
        if (type == null || DavXml.child(type, DavXml.CALDAV, "calendar") == null) {
            return false;
        }
        Element set = r.prop(DavXml.CALDAV, "supported-calendar-component-set");
        if (set == null) {
            return true;
        }
        for (Element comp : DavXml.children(set, DavXml.CALDAV, "comp")) {
            if ("VEVENT".equalsIgnoreCase(comp.getAttribute("name"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean writable(DavXml.Response r) {
        Element set = r.prop(DavXml.DAV, "current-user-privilege-set");
        if (set == null) {
            return true; // a server that does not say: try, and let a refused write say so
        }
        for (Element p : DavXml.children(set, DavXml.DAV, "privilege")) {
            for (String w : List.of("all", "write", "write-content", "bind")) {
                if (DavXml.child(p, DavXml.DAV, w) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String name(DavXml.Response r, URI url) {
        String name = r.text(DavXml.DAV, "displayname");
        if (name != null && !name.isBlank()) {
            return name.length() > 255 ? name.substring(0, 255) : name;
        }
        String path = url.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Apple's {@code #RRGGBBAA} (or {@code #RRGGBB}) as {@code #rrggbb}; anything else none. */
    static String color(String value) {
        if (value == null || !value.strip().matches("#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")) {
            return null;
        }
        return value.strip().substring(0, 7).toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the password may go to {@code to} when we started at {@code from}: the same host, or a host of the same
     * domain (iCloud sends each account to its partition, {@code p42-caldav.icloud.com}). The scheme may not weaken.
     */
    static boolean sameSite(URI from, URI to) {
        if (to.getHost() == null || from.getHost() == null) {
            return false;
        }
        if ("https".equals(from.getScheme()) && !"https".equals(to.getScheme())) {
            return false;
        }
        String a = from.getHost().toLowerCase(Locale.ROOT);
        String b = to.getHost().toLowerCase(Locale.ROOT);
        return a.equals(b) || (domain(a) != null && domain(a).equals(domain(b)));
    }

    private static String domain(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return null; // an address literal has no domain
        }
        String[] labels = host.split("\\.");
        if (labels.length < 3) {
            return null; // a registrable name itself: only the very same host counts
        }
        return labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
