package io.calsync.sandbox.microsoft;

/**
 * A Graph error to answer with: HTTP status, Graph's error {@code code} and message (rendered by
 * {@link io.calsync.sandbox.core.ProviderErrors#graph}).
 */
public final class GraphException extends RuntimeException {

    static final String NOT_FOUND_MESSAGE = "The specified object was not found in the store.";

    private final int status;
    private final String code;

    public GraphException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static GraphException notFound() {
        return new GraphException(404, "ErrorItemNotFound", NOT_FOUND_MESSAGE);
    }

    static GraphException invalidRequest(String message) {
        return new GraphException(400, "ErrorInvalidRequest", message);
    }

    static GraphException validation(String message) {
        return new GraphException(400, "ErrorPropertyValidationFailure", message);
    }

    static GraphException invalidParameter(String message) {
        return new GraphException(400, "ErrorInvalidParameter", message);
    }
}
