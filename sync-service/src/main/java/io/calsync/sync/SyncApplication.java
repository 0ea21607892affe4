package io.calsync.sync;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The sync engine: consumes notifications and commands, syncs events both ways. */
@SpringBootApplication
public class SyncApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(SyncApplication.class, "sync-service", EnumSet.of(DATABASE_URL, ENCRYPTION_KEY), args);
    }
}
