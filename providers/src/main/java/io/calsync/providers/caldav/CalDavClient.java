package io.calsync.providers.caldav;

import io.calsync.providers.http.FetchException;
import io.calsync.providers.http.SafeHttpFetcher;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP side of CalDAV: PROPFIND, REPORT, GET, PUT and DELETE with Basic credentials, each through the
 * SSRF-guarded {@link SafeHttpFetcher} (addresses checked at connect time, deadline, body cap, no proxy). Answers
 * become the engine's {@link ProviderException} kinds: 401 {@code UNAUTHORIZED}, 404/410 {@code NOT_FOUND}, 412
 * {@code PRECONDITION_FAILED}, 403/409 naming {@code valid-sync-token} {@code SYNC_STATE_INVALID}, 429 (and 503
 * with {@code Retry-After}) {@code RATE_LIMITED}, 5xx/408 and transport failures {@code TRANSIENT}, the rest
 * {@code PERMANENT}. Messages name the host at most, never a path, a user or the password.
 *
 * <p>Credentials only go over https, or over http to a loopback address (a server on the same machine, as in tests
 * and self-hosted setups): {@link #requireSecure}.
 */
public class CalDavClient {

    /** A user name and password (an app-specific password for iCloud). {@code toString} hides the password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }

        String basic() {
            return "Basic "
                    + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A fetched resource: its iCalendar text and etag. */
    public record Resource(String body, String etag) {}

    private static final String XML = "application/xml; charset=utf-8";

    private final SafeHttpFetcher http;

    public CalDavClient(SafeHttpFetcher http) {
        this.http = http;
    }

    /** The guard's form check, and https unless the host is a loopback address. */
    public URI requireSecure(String url) {
        URI uri;
        try {
            uri = http.check(url);
        } catch (FetchException e) {
            throw new ProviderException(Kind.PERMANENT, 0, "URL_NOT_ALLOWED", e.getMessage());
        }
        if (!"https".equals(uri.getScheme()) && !loopback(uri.getHost())) {
            throw new ProviderException(
                    Kind.PERMANENT,
                    0,
                    "URL_NOT_ALLOWED",
                    "a CalDAV server is reached over https (http only on this machine's loopback)");
        }
        if (url.regionMatches(true, 0, "webcal", 0, 6)) {
            throw new ProviderException(Kind.PERMANENT, 0, "URL_NOT_ALLOWED", "a CalDAV server has an https URL");
        }
        return uri;
    }

    static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: only the literal loopback addresses and localhost count
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** An answer whose status the caller reads itself (discovery tells 401 from 404 from a redirect). */
    public SafeHttpFetcher.Answer raw(String method, URI url, int depth, String xml, Credentials credentials) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (credentials != null) {
            headers.put("Authorization", credentials.basic());
        }
        if (depth >= 0) {
            headers.put("Depth", String.valueOf(depth));
        }
        headers.put("Accept", "application/xml, text/xml;q=0.9, */*;q=0.1");
        try {
            return http.send(
                    method,
                    requireSecure(url.toString()),
                    headers,
                    xml == null ? null : xml.getBytes(StandardCharsets.UTF_8),
                    xml == null ? null : XML);
        } catch (FetchException e) {
            throw fromFetch(e);
        }
    }

    public DavXml.MultiStatus propfind(URI url, int depth, String xml, Credentials credentials) {
        return multistatus(raw("PROPFIND", url, depth, xml, credentials), url);
    }

    public DavXml.MultiStatus report(URI url, int depth, String xml, Credentials credentials) {
        SafeHttpFetcher.Answer a = raw("REPORT", url, depth, xml, credentials);
        if ((a.status() == 403 || a.status() == 409) && DavXml.names(a.body(), DavXml.DAV, "valid-sync-token")) {
            throw new ProviderException(
                    Kind.SYNC_STATE_INVALID,
                    a.status(),
                    "CALDAV_SYNC_TOKEN_INVALID",
                    "the server no longer knows the sync token");
        }
        return multistatus(a, url);
    }

    /** The resource, or null when the server does not have it. */
    public Resource get(URI url, Credentials credentials) {
        Map<String, String> headers = Map.of("Authorization", credentials.basic(), "Accept", "text/calendar");
        SafeHttpFetcher.Answer a = send("GET", url, headers, null, null);
        if (a.status() == 404 || a.status() == 410) {
            return null;
        }
        check(a, url);
        return new Resource(new String(a.body(), StandardCharsets.UTF_8), a.header("etag"));
    }

    /**
     * PUTs a calendar object. {@code ifMatch}: the etag the change is based on (412 when the server's differs);
     * {@code create}: {@code If-None-Match: *} (412 when the name is taken). Answers the new etag, or null when the
     * server did not send one (some servers change what they store and then withhold it).
     */
    public String put(URI url, String ics, String ifMatch, boolean create, Credentials credentials) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", credentials.basic());
        if (create) {
            headers.put("If-None-Match", "*");
        } else if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        SafeHttpFetcher.Answer a =
                send("PUT", url, headers, ics.getBytes(StandardCharsets.UTF_8), "text/calendar; charset=utf-8");
        check(a, url);
        return a.header("etag");
    }

    /** DELETEs a resource; one already gone is not an error. */
    public void delete(URI url, String ifMatch, Credentials credentials) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", credentials.basic());
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        SafeHttpFetcher.Answer a = send("DELETE", url, headers, null, null);
        if (a.status() == 404 || a.status() == 410) {
            return;
        }
        check(a, url);
    }

    private SafeHttpFetcher.Answer send(
            String method, URI url, Map<String, String> headers, byte[] body, String contentType) {
        try {
            return http.send(method, requireSecure(url.toString()), headers, body, contentType);
        } catch (FetchException e) {
            throw fromFetch(e);
        }
    }

    private static DavXml.MultiStatus multistatus(SafeHttpFetcher.Answer a, URI url) {
        if (a.status() != 207) {
            check(a, url);
            throw new ProviderException(
                    Kind.PERMANENT,
                    a.status(),
                    "CALDAV_UNEXPECTED",
                    "the server at " + url.getHost() + " answered HTTP " + a.status() + " where WebDAV answers 207");
        }
        try {
            return DavXml.multistatus(a.body());
        } catch (DavXml.BadXmlException e) {
            throw new ProviderException(
                    Kind.PERMANENT,
                    a.status(),
                    "CALDAV_UNEXPECTED",
                    "the server at " + url.getHost() + ": " + e.getMessage());
        }
    }

    /** Throws the engine's kind for a status that is not a success. */
    static void check(SafeHttpFetcher.Answer a, URI url) {
        int s = a.status();
        if (s >= 200 && s < 300) {
            return;
        }
        String host = url.getHost();
        String message = "the CalDAV server at " + host + " answered HTTP " + s;
        Duration retryAfter = SafeHttpFetcher.retryAfter(a.header("retry-after"));
        throw switch (s) {
            case 401 ->
                new ProviderException(
                        Kind.UNAUTHORIZED,
                        s,
                        "CALDAV_AUTH_FAILED",
                        "the CalDAV server at " + host + " refused the password");
            case 404, 410 -> new ProviderException(Kind.NOT_FOUND, s, "CALDAV_NOT_FOUND", message);
            case 412 -> new ProviderException(Kind.PRECONDITION_FAILED, s, "PRECONDITION_FAILED", message);
            case 429 -> new ProviderException(Kind.RATE_LIMITED, s, "429", message, retryAfter);
            default -> {
                if (s == 503 && retryAfter != null) {
                    yield new ProviderException(Kind.RATE_LIMITED, s, "503", message, retryAfter);
                }
                if (s == 408 || s >= 500) {
                    yield new ProviderException(Kind.TRANSIENT, s, String.valueOf(s), message, retryAfter);
                }
                yield new ProviderException(Kind.PERMANENT, s, String.valueOf(s), message);
            }
        };
    }

    static ProviderException fromFetch(FetchException e) {
        return switch (e.code()) {
            case URL_NOT_ALLOWED -> new ProviderException(Kind.PERMANENT, 0, "URL_NOT_ALLOWED", e.getMessage());
            case ICS_TOO_LARGE ->
                new ProviderException(
                        Kind.PERMANENT, 0, "CALDAV_TOO_LARGE", e.getMessage().replace("feed", "answer"));
            case ICS_UNREACHABLE ->
                new ProviderException(
                        Kind.TRANSIENT,
                        e.status(),
                        "CALDAV_UNREACHABLE",
                        e.getMessage().replace("feed", "calendar"));
        };
    }

    /** A sync-collection REPORT body (RFC 6578); an empty token asks for every member. */
    static String syncCollection(String token) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><d:sync-collection xmlns:d=\"DAV:\"><d:sync-token>"
                + (token == null ? "" : DavXml.escape(token))
                + "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>";
    }

    /** A calendar-multiget REPORT body (RFC 4791 7.9) for those hrefs. */
    static String multiget(Iterable<String> hrefs) {
        StringBuilder b =
                new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><c:calendar-multiget xmlns:d=\"DAV:\""
                        + " xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:prop><d:getetag/><c:calendar-data/></d:prop>");
        for (String h : hrefs) {
            b.append("<d:href>").append(DavXml.escape(h)).append("</d:href>");
        }
        return b.append("</c:calendar-multiget>").toString();
    }
}
