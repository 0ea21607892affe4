package io.calsync.webhook;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Takes provider push notifications, verifies them and puts them on Kafka before acknowledging. The service's code
 * lives in {@code io.calsync.ingest}; this class stays where it was because other modules' tests start the service
 * by this name.
 */
// No user store (the webhooks are open, see web.SecurityConfiguration): Boot's generated in-memory user stays out.
@SpringBootApplication(
        scanBasePackages = {"io.calsync.webhook", "io.calsync.ingest"},
        excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan("io.calsync.ingest")
public class WebhookIngestApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(
                WebhookIngestApplication.class, "webhook-ingest-service", EnumSet.of(DATABASE_URL), args);
    }
}
