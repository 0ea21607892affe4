package io.calsync.bench.ingest.bare;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of {@code bench/webhook-ingest.sh}, loaded into the service's own JVM by the bench (Spring Boot's
 * {@code PropertiesLauncher} with {@code loader.path} at these classes) and never shipped with the service: a route on
 * the same server that reads the body under the service's cap and answers 202, with no parsing, lookup or broker. The
 * ratio of the two routes is then what verification and the broker's acknowledgement cost.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty("calsync.bench.bare-endpoint")
@Import(BareEndpointAutoConfiguration.BareController.class)
public class BareEndpointAutoConfiguration {

    public static final String PATH = "/api/v1/calendar/webhooks/bench/bare";

    @RestController
    static class BareController {

        private final long maxBytes;

        BareController(@Value("${calsync.ingest.max-body-size:1MB}") DataSize maxBodySize) {
            this.maxBytes = maxBodySize.toBytes();
        }

        @PostMapping(PATH)
        void accept(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try (InputStream in = request.getInputStream()) {
                // the same read as the real routes: up to one byte over the cap
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                response.setStatus(body.length > maxBytes ? 413 : 202);
            }
        }
    }
}
