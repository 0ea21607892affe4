package io.calsync.oauth.application;

import org.springframework.http.HttpStatus;

/** An error answered as the contract's problem+json (with {@code code}); the message is safe to show. */
public class OAuthProblem extends RuntimeException {

    public final HttpStatus status;
    public final String code;

    public OAuthProblem(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static OAuthProblem notFound(String what) {
        return new OAuthProblem(HttpStatus.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    public static OAuthProblem invalid(String detail) {
        return new OAuthProblem(HttpStatus.UNPROCESSABLE_CONTENT, "VALIDATION_FAILED", detail);
    }
}
