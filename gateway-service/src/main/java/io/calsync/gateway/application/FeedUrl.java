package io.calsync.gateway.application;

import io.calsync.providers.http.SsrfGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A feed URL as the user gave it, and what identifies the feed.
 *
 * <p>The URL is stored as given (trimmed), {@code webcal://} included: the fetcher reads webcal as https itself, so
 * the sync engine can fetch the stored URL as it is, and the user recognises the link they pasted. Identity is the
 * normalised form: {@code webcal(s)} read as https, scheme and host in lower case, the default port and the
 * fragment left out, an empty path as {@code /}. Its SHA-256 is the connection's {@code providerCalendarId}, so
 * {@code webcal://example.com/a.ics} and {@code https://EXAMPLE.com:443/a.ics} are one feed for the duplicate check
 * (and for the unique index behind it), and a private feed's secret token never appears in that column.
 *
 * @param given the URL as given, trimmed
 * @param normalized the normalised URL that is fetched and hashed
 */
record FeedUrl(String given, URI normalized) {

    static final int MAX_LENGTH = 2048;

    /**
     * @throws ApiException {@code VALIDATION_FAILED} on {@code url} when missing, blank, too long or not an absolute
     *     URL
     * @throws io.calsync.providers.http.FetchException {@code URL_NOT_ALLOWED} when the guard refuses its form
     */
    static FeedUrl of(String raw, SsrfGuard guard) {
        if (raw == null) {
            throw ApiException.invalid("url", "is required");
        }
        if (raw.isBlank()) {
            throw ApiException.invalid("url", "must not be blank");
        }
        String given = raw.strip();
        if (given.length() > MAX_LENGTH) {
            throw ApiException.invalid("url", "must be at most " + MAX_LENGTH + " characters");
        }
        try {
            if (!new URI(given).isAbsolute()) {
                throw ApiException.invalid("url", "must be an absolute http, https or webcal URL");
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "is not a valid URL");
        }
        return new FeedUrl(given, withoutDefaultPort(guard.checkUrl(given)));
    }

    private static URI withoutDefaultPort(URI uri) {
        boolean defaultPort = (uri.getPort() == 443 && "https".equals(uri.getScheme()))
                || (uri.getPort() == 80 && "http".equals(uri.getScheme()));
        if (!defaultPort) {
            return uri;
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(uri.getScheme() + "://" + uri.getHost() + uri.getRawPath() + query);
    }

    /** The feed's identity: the hex SHA-256 of the normalised URL. */
    String identity() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(normalized.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The host, for names, logs and audit rows (the path and query may hold a secret; the host does not). */
    String host() {
        return normalized.getHost();
    }
}
