package io.calsync.ingest.web;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.Deadline;
import io.calsync.ingest.application.GoogleNotification;
import io.calsync.ingest.application.WebhookIngest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Google Calendar push messages ({@code POST /google}): everything is in the {@code X-Goog-*} headers; Calendar
 * sends no body. 200 for {@code sync}, for a published message and for a dropped one (Google retries anything else);
 * 503 when the broker or the database could not be reached in time (Google then retries with backoff).
 */
@RestController
class GoogleWebhookController {

    static final String CHANNEL_ID = "X-Goog-Channel-ID";
    static final String CHANNEL_TOKEN = "X-Goog-Channel-Token";
    static final String RESOURCE_ID = "X-Goog-Resource-ID";
    static final String RESOURCE_URI = "X-Goog-Resource-URI";
    static final String RESOURCE_STATE = "X-Goog-Resource-State";
    static final String MESSAGE_NUMBER = "X-Goog-Message-Number";

    private final WebhookIngest ingest;
    private final IngestProperties properties;

    GoogleWebhookController(WebhookIngest ingest, IngestProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    @PostMapping(WebhookPaths.GOOGLE)
    void notification(HttpServletRequest request, HttpServletResponse response) {
        long start = System.nanoTime();
        byte[] body = RequestBodies.read(request, properties.maxBodySize().toBytes());
        if (body.length > 0 && Json.readOrNull(body) == null) {
            throw new MalformedNotificationException("the request body is not JSON");
        }
        String channelId = request.getHeader(CHANNEL_ID);
        String state = request.getHeader(RESOURCE_STATE);
        if (channelId == null || channelId.isBlank() || state == null || state.isBlank()) {
            throw new MalformedNotificationException(
                    "a Google push message has the headers " + CHANNEL_ID + " and " + RESOURCE_STATE);
        }
        GoogleNotification n = new GoogleNotification(
                channelId,
                request.getHeader(CHANNEL_TOKEN),
                request.getHeader(RESOURCE_ID),
                request.getHeader(RESOURCE_URI),
                state,
                messageNumber(request.getHeader(MESSAGE_NUMBER)));
        ingest.google(n, Deadline.after(start, properties.publishTimeout()));
        response.setStatus(HttpStatus.OK.value());
    }

    private static Long messageNumber(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.valueOf(header.trim());
        } catch (NumberFormatException e) {
            return null; // only ordering information; its absence costs nothing but de-duplication
        }
    }
}
