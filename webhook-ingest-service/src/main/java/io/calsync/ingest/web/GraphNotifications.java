package io.calsync.ingest.web;

import io.calsync.ingest.application.GraphNotification;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Graph change-notification collection: {@code {"value": [ {subscriptionId, clientState, changeType,
 * resource, lifecycleEvent, ...}, ... ]}}. Fields this service does not use ({@code resourceData}, {@code tenantId},
 * {@code validationTokens} of rich notifications) are ignored.
 */
final class GraphNotifications {

    private GraphNotifications() {}

    /** @throws MalformedNotificationException when the body is not JSON or not a notification collection */
    /** The most notifications one request may carry (413 beyond). */
    static final int MAX_NOTIFICATIONS = 1_000;

    static List<GraphNotification> parse(byte[] body) {
        if (body.length == 0) {
            throw new MalformedNotificationException("the request has no body");
        }
        JsonNode root = Json.readOrNull(body);
        if (root == null || root.isMissingNode()) {
            throw new MalformedNotificationException("the request body is not JSON");
        }
        if (!root.isObject()) {
            throw new MalformedNotificationException("the request body is not a JSON object");
        }
        JsonNode value = root.get("value");
        if (value == null || !value.isArray()) {
            throw new MalformedNotificationException("the request body has no value array of notifications");
        }
        if (value.size() > MAX_NOTIFICATIONS) {
            // Graph sends a handful per request; a thousand unverified entries would be a thousand lookups.
            throw new PayloadTooLargeException("at most " + MAX_NOTIFICATIONS + " notifications per request");
        }
        List<GraphNotification> out = new ArrayList<>(value.size());
        for (JsonNode n : value) {
            if (!n.isObject()) {
                throw new MalformedNotificationException("an entry of value is not an object");
            }
            out.add(new GraphNotification(
                    text(n, "subscriptionId"),
                    text(n, "clientState"),
                    text(n, "changeType"),
                    text(n, "resource"),
                    text(n, "lifecycleEvent")));
        }
        return out;
    }

    /**
     * A field as text: null when absent or JSON null; a number or boolean as its text (so a clientState of 5 still
     * differs from none).
     */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isString() ? v.stringValue() : v.toString();
    }
}
