package io.calsync.providers.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only way from a host name to addresses: every address is checked by the {@link SsrfGuard} at
 * the moment the client connects, and the client connects to exactly the addresses returned here. A DNS answer
 * that changes between a check and the connection (DNS rebinding) therefore cannot slip a private address through:
 * there is no second lookup.
 */
final class GuardedDnsResolver implements DnsResolver {

    /** The guard's answer (refused, or not found), carried to the fetcher through the client's IOException path. */
    static final class GuardFailure extends UnknownHostException {
        private final transient FetchException failure;

        GuardFailure(FetchException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }

        FetchException failure() {
            return failure;
        }
    }

    private final SsrfGuard guard;

    GuardedDnsResolver(SsrfGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return guard.resolve(host);
        } catch (FetchException e) {
            throw new GuardFailure(e);
        }
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host))
                .map(a -> new InetSocketAddress(a, port))
                .toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        // Only used for Kerberos/SPNEGO, which is never enabled here: never look anything up on its behalf.
        return host;
    }
}
