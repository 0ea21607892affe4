package io.calsync.sandbox.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Error bodies exactly as each provider's API writes them. */
public final class ProviderErrors {

    private ProviderErrors() {}

    /**
     * Google's JSON error: {@code {"error":{"errors":[{"domain","reason","message"}],"code","message","status"}}}.
     */
    public static ResponseEntity<Object> google(int status, String domain, String reason, String message) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("domain", domain);
        detail.put("reason", reason);
        detail.put("message", message);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errors", List.of(detail));
        error.put("code", status);
        error.put("message", message);
        error.put("status", googleStatus(status));
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == 401) {
            b.header(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
        }
        return b.body(Map.of("error", error));
    }

    public static ResponseEntity<Object> googleUnauthorized() {
        return google(401, "global", "authError", "Invalid Credentials");
    }

    private static String googleStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 410 -> "NOT_FOUND";
            case 412 -> "FAILED_PRECONDITION";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "UNKNOWN";
        };
    }

    /** Graph's JSON error: {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}. */
    public static ResponseEntity<Object> graph(int status, String code, String message) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", Instant.now().toString());
        String requestId = UUID.randomUUID().toString();
        inner.put("request-id", requestId);
        inner.put("client-request-id", requestId);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("innerError", inner);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .header("request-id", requestId);
        if (status == 401) {
            b.header(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"");
        }
        return b.body(Map.of("error", error));
    }

    public static ResponseEntity<Object> graphUnauthorized() {
        return graph(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
    }
}
