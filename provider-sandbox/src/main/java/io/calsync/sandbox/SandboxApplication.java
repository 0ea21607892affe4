package io.calsync.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The provider sandbox as its own server (default port 8090). Google lives under {@code /google/...}, Microsoft's
 * identity platform under {@code /microsoft/...}, Graph under {@code /graph/v1.0/...}, and the control API for tests
 * and demos under {@code /control/...}.
 */
// The sandbox is open by design (a fake provider for tests and demos). Started in the same JVM as a service that has
// Spring Security on its classpath (webhook-ingest's tests), it must not pick up Boot's default security.
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class SandboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(SandboxApplication.class, args);
    }
}
