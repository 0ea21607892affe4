package io.calsync.ingest.web;

import io.calsync.ingest.IngestProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of {@code bench/webhook-ingest.sh}: reads the body under the same cap and answers 202, with no
 * parsing, lookup or broker. Served on the same server as the real routes, so their ratio is what verification and
 * the broker's acknowledgement cost. Exists only with {@code calsync.bench.bare-endpoint=true} (off by default).
 */
@RestController
@ConditionalOnBooleanProperty("calsync.bench.bare-endpoint")
class BenchBareController {

    private final IngestProperties properties;

    BenchBareController(IngestProperties properties) {
        this.properties = properties;
    }

    @PostMapping(WebhookPaths.BENCH_BARE)
    void accept(HttpServletRequest request, HttpServletResponse response) {
        RequestBodies.read(request, properties.maxBodySize().toBytes());
        response.setStatus(HttpStatus.ACCEPTED.value());
    }
}
