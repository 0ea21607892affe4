package io.calsync.providers.oauth;

/**
 * A token endpoint refused or failed a request. The message is safe to log and to show: it names the provider's error
 * code (and AADSTS number) only, never a token, code or secret.
 */
public class ProviderTokenException extends RuntimeException {

    private final boolean transientFailure;

    public ProviderTokenException(String safeReason, boolean transientFailure) {
        super(safeReason, null, false, false);
        this.transientFailure = transientFailure;
    }

    /** A 5xx, a timeout or an unreachable provider: worth retrying later. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The grant is dead ({@code invalid_grant}, an AADSTS refusal): the user must connect again. */
    public static final class TokenRevokedException extends ProviderTokenException {
        public TokenRevokedException(String safeReason) {
            super(safeReason, false);
        }
    }
}
