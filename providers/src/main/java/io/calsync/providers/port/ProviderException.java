package io.calsync.providers.port;

import java.time.Duration;

/**
 * A provider call that did not succeed, classified so that the engine can react the same way for every provider:
 * retry ({@link Kind#RATE_LIMITED}, {@link Kind#TRANSIENT}), refresh the token once ({@link Kind#UNAUTHORIZED}),
 * start over with a full sync ({@link Kind#SYNC_STATE_INVALID}), or give up with a reason (the rest). The message
 * is safe to store and log: adapters never put a token, a URL with credentials or a response body with personal
 * data in it.
 */
public class ProviderException extends RuntimeException {

    /** What the engine should do about it. */
    public enum Kind {
        /** 429, Google 403 rateLimitExceeded/userRateLimitExceeded: back off (at least Retry-After) and retry. */
        RATE_LIMITED,
        /** 5xx, timeouts, connection resets: back off and retry. */
        TRANSIENT,
        /** 401: refresh the access token once and retry. */
        UNAUTHORIZED,
        /** Google 410 fullSyncRequired, Graph 410 SyncStateNotFound/resyncRequired: drop the cursor, sync in full. */
        SYNC_STATE_INVALID,
        /** 404/410 on one event: it is gone at the provider. */
        NOT_FOUND,
        /** 412: the event changed at the provider since our etag/changeKey. */
        PRECONDITION_FAILED,
        /** 409 on a create: an event with our client-chosen id (or transaction id) already exists. */
        CONFLICT,
        /** 400, 403 forbidden, anything that will not get better by retrying. */
        PERMANENT
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final Duration retryAfter;

    public ProviderException(Kind kind, int status, String code, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, int status, String code, String message) {
        this(kind, status, code, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when none came back (I/O failure). */
    public int status() {
        return status;
    }

    /** The provider's error code (Google reason, Graph error code) or the HTTP status as text; for metrics tags. */
    public String code() {
        return code;
    }

    /** The provider's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean retryable() {
        return kind == Kind.RATE_LIMITED || kind == Kind.TRANSIENT;
    }
}
