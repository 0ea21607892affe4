package io.calsync.platform.http;

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

    public FetchException(Code code, String message) {
        this(code, message, null);
    }

    public FetchException(Code code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    static FetchException notAllowed(String message) {
        return new FetchException(Code.URL_NOT_ALLOWED, message);
    }

    static FetchException unreachable(String message, Throwable cause) {
        return new FetchException(Code.ICS_UNREACHABLE, message, cause);
    }
}
