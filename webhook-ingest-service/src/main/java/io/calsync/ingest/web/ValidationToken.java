package io.calsync.ingest.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Graph's {@code validationToken} query parameter, read from the raw query string rather than through the servlet's
 * parameter map: asking the servlet for parameters of a form-encoded POST makes it read the body first, and the
 * handshake must be answered before any other work.
 */
final class ValidationToken {

    private ValidationToken() {}

    /** The URL-decoded token ({@code +} is a space, as Graph encodes it), or null when there is none. */
    static String from(String queryString) {
        if (queryString == null || queryString.isEmpty()) {
            return null;
        }
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if ("validationToken".equals(name)) {
                try {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new MalformedNotificationException("validationToken is not URL-encoded");
                }
            }
        }
        return null;
    }
}
