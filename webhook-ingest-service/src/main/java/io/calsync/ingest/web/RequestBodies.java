package io.calsync.ingest.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body up to a cap: a declared length over it is refused unread, a chunked one when it gets there. */
final class RequestBodies {

    private RequestBodies() {}

    static byte[] read(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new PayloadTooLargeException(maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            // One byte over the cap tells "exactly at the cap" from "over it".
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        }
    }
}
