package io.calsync.model.security;

/**
 * A JWT that must be refused. {@link #reason()} is a short fixed phrase fit for a log line; it never contains the
 * token or its claims.
 */
public final class InvalidTokenException extends RuntimeException {

    private final String reason;

    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
