package io.calsync.gateway.application;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error the API answers on purpose, with its HTTP status and stable machine code (contract: "Error codes").
 * The message is the problem's {@code detail}: written for the frontend, never containing internals.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldProblem> errors;

    public ApiException(HttpStatus status, String code, String detail, List<FieldProblem> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid field of a request. */
    public record FieldProblem(String field, String message) {}

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", what + " not found", null);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "VALIDATION_FAILED",
                "the request is invalid",
                List.of(new FieldProblem(field, message)));
    }

    public static ApiException invalid(List<FieldProblem> problems) {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT, "VALIDATION_FAILED", "the request is invalid", problems);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "CONFLICT", detail, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
