package io.calsync.webhook;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Takes provider push notifications, verifies them and puts them on Kafka before acknowledging. */
@SpringBootApplication
public class WebhookIngestApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(
                WebhookIngestApplication.class, "webhook-ingest-service", EnumSet.of(DATABASE_URL), args);
    }
}
