package io.calsync.poller;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The system's clock: scheduled ICS refreshes, backstop syncs, subscription renewals and cleanup. */
// This service has no Spring Security of its own; where it shares a JVM with one that has (the e2e tests run the
// gateway beside it), Boot's default security (a generated password on every route) must stay out.
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
        })
public class IcsPollerApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(
                IcsPollerApplication.class, "ics-poller-service", EnumSet.of(DATABASE_URL, ENCRYPTION_KEY), args);
    }
}
