package io.calsync.sandbox.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the sandbox is configured with at start ({@code sandbox.*}). The control API can change the mutable parts at
 * run time through {@link SandboxState}.
 */
@ConfigurationProperties("sandbox")
public record SandboxSettings(
        boolean autoApprove, Duration accessTokenTtl, Duration microsoftRefreshGrace, Client google, Client microsoft) {

    /** An OAuth client registered at the provider. */
    public record Client(String clientId, String clientSecret, String tenantId) {}
}
