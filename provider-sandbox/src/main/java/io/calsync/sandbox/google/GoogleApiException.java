package io.calsync.sandbox.google;

import io.calsync.sandbox.core.ProviderErrors;
import org.springframework.http.ResponseEntity;

/** A Google API error; the controllers turn it into Google's JSON error body. */
public final class GoogleApiException extends RuntimeException {

    private final int status;
    private final String domain;
    private final String reason;

    public GoogleApiException(int status, String domain, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.domain = domain;
        this.reason = reason;
    }

    public static GoogleApiException invalid(String message) {
        return new GoogleApiException(400, "global", "invalid", message);
    }

    public static GoogleApiException required(String message) {
        return new GoogleApiException(400, "global", "required", message);
    }

    public static GoogleApiException notFound() {
        return new GoogleApiException(404, "global", "notFound", "Not Found");
    }

    public static GoogleApiException deleted() {
        return new GoogleApiException(410, "global", "deleted", "Resource has been deleted");
    }

    public static GoogleApiException conditionNotMet() {
        return new GoogleApiException(412, "global", "conditionNotMet", "Precondition Failed");
    }

    public static GoogleApiException writerAccessRequired() {
        return new GoogleApiException(
                403, "global", "requiredAccessLevel", "You need to have writer access to this calendar.");
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public ResponseEntity<Object> toResponse() {
        return ProviderErrors.google(status, domain, reason, getMessage());
    }
}
