package io.calsync.ingest.web;

import static io.calsync.model.domain.CalendarProvider.MICROSOFT;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.Deadline;
import io.calsync.ingest.application.WebhookIngest;
import io.calsync.ingest.application.WebhookMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Graph change notifications ({@code POST /microsoft}) and lifecycle notifications ({@code POST
 * /microsoft/lifecycle}). Both first answer Graph's validation handshake: {@code ?validationToken=T} is echoed as
 * 200 {@code text/plain} before anything else happens (Graph gives 10 seconds and creates no subscription without
 * it). Otherwise 202 once every verified entry is acknowledged by the broker, 503 when not (Graph then retries).
 */
@RestController
class MicrosoftWebhookController {

    private final WebhookIngest ingest;
    private final WebhookMetrics metrics;
    private final IngestProperties properties;

    MicrosoftWebhookController(WebhookIngest ingest, WebhookMetrics metrics, IngestProperties properties) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.properties = properties;
    }

    @PostMapping(WebhookPaths.MICROSOFT)
    void notifications(HttpServletRequest request, HttpServletResponse response) throws IOException {
        receive(request, response);
    }

    /** Lifecycle entries carry {@code lifecycleEvent}; they are judged and published like changes. */
    @PostMapping(WebhookPaths.MICROSOFT_LIFECYCLE)
    void lifecycle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        receive(request, response);
    }

    private void receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        String token = ValidationToken.from(request.getQueryString());
        if (token != null) {
            metrics.received(MICROSOFT, "validation");
            response.setStatus(HttpStatus.OK.value());
            response.setContentType("text/plain;charset=UTF-8");
            // The token is reflected: never let a browser sniff it into something executable.
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.getOutputStream().write(token.getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = RequestBodies.read(request, properties.maxBodySize().toBytes());
        ingest.graph(GraphNotifications.parse(body), Deadline.after(start, properties.publishTimeout()));
        response.setStatus(HttpStatus.ACCEPTED.value());
    }
}
