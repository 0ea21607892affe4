package io.calsync.providers;

import io.calsync.sandbox.SandboxServer;
import java.util.Map;

/** The one in-process provider sandbox of this module's test JVM, shared by the Google and Graph tests. */
public final class EmbeddedSandbox {

    private static SandboxServer sandbox;

    private EmbeddedSandbox() {}

    /**
     * The sandbox runs on this module's classpath: the database, broker and platform auto-configuration it would
     * pick up here are not the sandbox's (it keeps everything in memory), and sync-service's application.yml shadows
     * the sandbox's own, so its settings are given here.
     */
    static final Map<String, Object> SANDBOX_PROPERTIES = Map.ofEntries(
            Map.entry("spring.application.name", "provider-sandbox"),
            Map.entry(
                    "spring.autoconfigure.exclude",
                    String.join(
                            ",",
                            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
                            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
                            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                            "io.calsync.platform.kafka.KafkaPlatformAutoConfiguration",
                            "io.calsync.platform.security.TokenCipherAutoConfiguration",
                            "io.calsync.platform.persistence.PersistenceAutoConfiguration",
                            "io.calsync.platform.outbox.OutboxAutoConfiguration",
                            "io.calsync.providers.ProvidersAutoConfiguration")),
            Map.entry("sandbox.auto-approve", "true"),
            Map.entry("sandbox.access-token-ttl", "1h"),
            Map.entry("sandbox.microsoft-refresh-grace", "30s"),
            Map.entry("sandbox.google.client-id", "sandbox-google-client"),
            Map.entry("sandbox.google.client-secret", "sandbox-google-secret"),
            Map.entry("sandbox.microsoft.client-id", "00000000-0000-0000-0000-00000000c0de"),
            Map.entry("sandbox.microsoft.client-secret", "sandbox-microsoft-secret"),
            Map.entry("sandbox.microsoft.tenant-id", "9188040d-6c67-4c5b-b112-36a304b66dad"),
            Map.entry("spring.mvc.problemdetails.enabled", "false"),
            // The platform's readiness group names the database and the broker, which the sandbox does not have.
            Map.entry("management.endpoint.health.validate-group-membership", "false"));

    public static synchronized SandboxServer get() {
        if (sandbox == null) {
            sandbox = SandboxServer.start(SANDBOX_PROPERTIES);
            Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        }
        return sandbox;
    }
}
