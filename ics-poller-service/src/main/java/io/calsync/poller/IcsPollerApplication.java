package io.calsync.poller;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The system's clock: scheduled ICS refreshes, backstop syncs, subscription renewals and cleanup. */
@SpringBootApplication
public class IcsPollerApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(
                IcsPollerApplication.class, "ics-poller-service", EnumSet.of(DATABASE_URL, ENCRYPTION_KEY), args);
    }
}
