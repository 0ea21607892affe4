package io.calsync.providers.oauth;

import java.time.Instant;

/**
 * What a token endpoint granted. {@code refreshToken} is null when the provider kept the previous one (Google's
 * refresh); {@code toString} never shows a token.
 */
public record ProviderTokens(String accessToken, String refreshToken, Instant expiresAt, String scope) {

    @Override
    public String toString() {
        return "ProviderTokens[expiresAt=" + expiresAt + ", refreshToken=" + (refreshToken != null) + "]";
    }
}
