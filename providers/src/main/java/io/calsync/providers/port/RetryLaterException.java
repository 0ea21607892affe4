package io.calsync.providers.port;

import java.time.Instant;

/**
 * The provider asked to wait longer than a consumer thread may ({@code Retry-After}, or a backoff past the inline
 * allowance of {@link ProviderCalls}), or the pass ran out of its time budget: the work is not failed, it is moved.
 * The engine stores {@link #retryAt()} as the connection's next sync, acknowledges the message, and the poller
 * requests the sync when it is due, so the other connections of the partition go on meanwhile.
 */
public class RetryLaterException extends ProviderException {

    private final Instant retryAt;

    public RetryLaterException(ProviderException cause, Instant retryAt) {
        super(cause.kind(), cause.status(), cause.code(), cause.getMessage(), cause.retryAfter());
        this.retryAt = retryAt;
        initCause(cause);
    }

    public Instant retryAt() {
        return retryAt;
    }
}
