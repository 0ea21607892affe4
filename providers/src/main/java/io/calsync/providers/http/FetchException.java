package io.calsync.providers.http;

import java.time.Duration;

/**
 * A URL that may not be fetched, or a fetch that failed. The message is written for the user who gave the URL: it
 * names the host at most (never the path or query, which may hold a private feed's secret), and never carries a
 * stack trace or a library's internals.
 */
public class FetchException extends RuntimeException {

    /** The contract's error codes (answered as 422 by the gateway). */
    public enum Code {
        /** The URL is refused by policy: scheme, user info, or an address in a forbidden range. */
        URL_NOT_ALLOWED,
        /** DNS, connection, TLS, timeout, too many redirects or an HTTP error status. */
        ICS_UNREACHABLE,
        /** The body is larger than the cap. */
        ICS_TOO_LARGE
    }

    private final Code code;
    private final int status;
    private final Duration retryAfter;

    public FetchException(Code code, String message) {
        this(code, message, null);
    }

    public FetchException(Code code, String message, Throwable cause) {
        this(code, message, cause, 0, null);
    }

    /**
     * @param status the HTTP status that ended the fetch, or 0 when no usable answer came
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public FetchException(Code code, String message, Throwable cause, int status, Duration retryAfter) {
        super(message, cause, false, false);
        this.code = code;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Code code() {
        return code;
    }

    /**
     * The HTTP status that ended the fetch: an error status (4xx, 5xx) or a redirect that could not be followed
     * (3xx); 0 when no usable answer came (refused URL, DNS, connection, TLS, timeout, size cap). Callers that retry
     * (the sync engine) tell a feed that is gone (404) from one that is busy (503) by it.
     */
    public int status() {
        return status;
    }

    /** The server's {@code Retry-After} with an error status (429, 503), as a wait from now; null when none. */
    public Duration retryAfter() {
        return retryAfter;
    }

    static FetchException notAllowed(String message) {
        return new FetchException(Code.URL_NOT_ALLOWED, message);
    }

    static FetchException unreachable(String message, Throwable cause) {
        return new FetchException(Code.ICS_UNREACHABLE, message, cause);
    }

    static FetchException httpStatus(String message, int status, Duration retryAfter) {
        return new FetchException(Code.ICS_UNREACHABLE, message, null, status, retryAfter);
    }
}
