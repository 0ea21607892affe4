package io.calsync.model.security;

/** Where the main app records logged-out tokens ({@code token_blacklist:<jti>} in Redis). */
@FunctionalInterface
public interface TokenBlacklist {

    boolean isRevoked(String jti);

    /** For deployments without Redis (dev only): nothing is revoked. */
    TokenBlacklist NONE = jti -> false;
}
