package io.calsync.sandbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The provider sandbox as its own server (default port 8090). Google lives under {@code /google/...}, Microsoft's
 * identity platform under {@code /microsoft/...}, Graph under {@code /graph/v1.0/...}, and the control API for tests
 * and demos under {@code /control/...}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SandboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(SandboxApplication.class, args);
    }
}
