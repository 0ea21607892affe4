package io.calsync.providers.http;

import java.net.URI;

/**
 * The answer to a fetch.
 *
 * @param status 200 (or another 2xx) with a body, or 304 when the conditional headers matched (empty body)
 * @param body the body, decompressed, at most the configured cap
 * @param etag the {@code ETag} header, or null
 * @param lastModified the {@code Last-Modified} header as sent, or null
 * @param finalUri the URI that answered, after redirects ({@code webcal} already read as https)
 * @param contentType the {@code Content-Type} header, or null
 */
public record FetchResult(int status, byte[] body, String etag, String lastModified, URI finalUri, String contentType) {

    public boolean notModified() {
        return status == 304;
    }
}
