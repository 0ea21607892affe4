package io.calsync.oauth;

import static io.calsync.model.config.EnvironmentCheck.Variable.*;

import io.calsync.platform.CalsyncApplication;
import java.util.EnumSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Google and Microsoft consent, code exchange, encrypted tokens and their refresh; internal, behind the gateway. */
@SpringBootApplication
public class OAuthApplication {

    public static void main(String[] args) {
        CalsyncApplication.run(
                OAuthApplication.class, "oauth-service", EnumSet.of(SECRET_KEY, DATABASE_URL, ENCRYPTION_KEY), args);
    }
}
