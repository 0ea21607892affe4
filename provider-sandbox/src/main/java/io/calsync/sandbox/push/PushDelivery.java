package io.calsync.sandbox.push;

import io.calsync.sandbox.core.Provider;
import java.time.Instant;
import java.util.Map;

/**
 * One push notification as sent (or dropped): where to, with which headers and body, and what came back.
 *
 * @param status the HTTP status of the last attempt; 0 when the receiver could not be reached; -1 when a fault
 *     dropped the notification
 */
public record PushDelivery(
        String id,
        Provider provider,
        String url,
        Map<String, String> headers,
        String body,
        int status,
        int attempts,
        String error,
        Instant at) {}
