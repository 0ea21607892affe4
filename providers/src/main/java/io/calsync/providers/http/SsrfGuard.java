package io.calsync.providers.http;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a user's URL may be fetched by the server, so that an ICS URL cannot be used to reach the
 * server's own network (server-side request forgery).
 *
 * <ul>
 *   <li>{@link #checkUrl}: the form of the URL. Schemes {@code http}, {@code https} and {@code webcal} /
 *       {@code webcals} (which mean https: calendar apps register webcal for subscriptions, and feeds are served
 *       over https); no user info ({@code https://user:pass@host/} would send credentials, and hides the real host
 *       from a reader); a host that is a DNS name or an IP literal.
 *   <li>{@link #resolve}: every address the host resolves to must be allowed ({@link AddressKind}); one forbidden
 *       address refuses the host, since the client may connect to any of them. Loopback and private ranges are
 *       allowed only with {@code ICS_ALLOW_PRIVATE_NETWORKS=true} (tests, self-hosted setups); link-local (cloud
 *       metadata at 169.254.169.254), carrier-grade NAT, unspecified, multicast, broadcast and reserved ranges are
 *       refused always.
 * </ul>
 *
 * <p>Ports are not restricted: feeds are served on odd ports (8443, 8080, 5232 for Radicale...), and the address
 * check is what keeps the server's own network out of reach. A port on an allowed public host is that host's
 * business.
 *
 * <p>The guard only decides; {@link SafeHttpFetcher} makes sure the connection goes to the addresses it approved.
 */
public final class SsrfGuard {

    private static final Set<String> SCHEMES = Set.of("http", "https", "webcal", "webcals");

    private final boolean allowPrivateNetworks;

    /** How long a host's lookup may take; a resolver that hangs must not hang the request. */
    static final Duration DNS_DEADLINE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SsrfGuard.class);
    private static final ExecutorService DNS = Executors.newVirtualThreadPerTaskExecutor();

    public SsrfGuard(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    /**
     * Checks the form of a URL and returns the URI to request: {@code webcal(s)://} becomes {@code https://}, the
     * scheme and host are lower-cased, an IDN host becomes its ASCII form, the fragment is dropped.
     *
     * @throws FetchException {@code URL_NOT_ALLOWED} with the reason
     */
    public URI checkUrl(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw FetchException.notAllowed("only http, https and webcal URLs can be fetched");
        }
        if (uri.getRawUserInfo() != null) {
            throw FetchException.notAllowed("URLs with a user name or password are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw FetchException.notAllowed("the URL has no valid host");
        }
        String fetchScheme = scheme.startsWith("webcal") ? "https" : scheme;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        try {
            return new URI(fetchScheme + "://" + host.toLowerCase(Locale.ROOT) + port + path + query);
        } catch (URISyntaxException e) {
            throw FetchException.notAllowed("the URL is not valid");
        }
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw FetchException.notAllowed("the URL is empty");
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() == null && uri.getRawAuthority() != null && uri.getRawUserInfo() == null) {
                // java.net.URI leaves the host of an internationalised name unset; retry with its ASCII form.
                String authority = uri.getRawAuthority();
                int colon = authority.lastIndexOf(':');
                String name = colon > 0 && !authority.endsWith("]") ? authority.substring(0, colon) : authority;
                String ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
                return new URI(url.strip().replaceFirst(Pattern.quote(name), ascii));
            }
            return uri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw FetchException.notAllowed("the URL is not valid");
        }
    }

    /**
     * Resolves a host and checks every address. An IP literal is not looked up.
     *
     * @return the addresses, all allowed
     * @throws FetchException {@code URL_NOT_ALLOWED} when one is forbidden, {@code ICS_UNREACHABLE} when the host
     *     does not resolve
     */
    public InetAddress[] resolve(String host) {
        if (host == null || host.isBlank()) {
            // InetAddress would answer the loopback address for an empty name.
            throw FetchException.notAllowed("the URL has no valid host");
        }
        InetAddress[] addresses;
        Future<InetAddress[]> lookup = DNS.submit(() -> InetAddress.getAllByName(host));
        try {
            addresses = lookup.get(DNS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            lookup.cancel(true);
            // Not found, not in time and refused read alike: a different answer would tell a caller which internal
            // names exist (a DNS oracle).
            log.debug("host refused host={} cause={}", host, e.getClass().getSimpleName());
            throw refused(host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(host);
        }
        for (InetAddress address : addresses) {
            checkAddress(host, address);
        }
        return addresses;
    }

    /** The one answer for a host the server will not fetch from, whatever the reason. */
    static FetchException refused(String host) {
        return FetchException.notAllowed(
                "the host " + host + " does not resolve to a public internet address the server may fetch from");
    }

    /** @throws FetchException {@code URL_NOT_ALLOWED} when the address may not be connected to */
    public void checkAddress(String host, InetAddress address) {
        AddressKind kind = AddressKind.of(address);
        boolean allowed = kind == AddressKind.PUBLIC
                || (allowPrivateNetworks && (kind == AddressKind.LOOPBACK || kind == AddressKind.PRIVATE));
        if (!allowed) {
            log.debug("host refused host={} kind={}", host, kind); // for operators only: the answer names no kind
            throw refused(host);
        }
    }
}
