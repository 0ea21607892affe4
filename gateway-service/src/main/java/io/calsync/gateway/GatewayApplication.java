package io.calsync.gateway;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The frontend's REST API: checks the main app's JWTs and turns requests into local writes and commands. */
// No user store: callers are the main app's tokens (web.SecurityConfiguration), so Boot's generated in-memory user
// (and its "generated security password" log line) stays out.
@SpringBootApplication(
        excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
public class GatewayApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(GatewayApplication.class, "gateway-service", EnumSet.of(SECRET_KEY, DATABASE_URL), args);
    }
}
