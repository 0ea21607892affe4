package io.calsync.oauth;

import org.springframework.http.HttpStatus;

/** An error answered as the contract's problem+json (with {@code code}); the message is safe to show. */
class OAuthProblem extends RuntimeException {

    final HttpStatus status;
    final String code;

    OAuthProblem(HttpStatus status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static OAuthProblem notFound(String what) {
        return new OAuthProblem(HttpStatus.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    static OAuthProblem invalid(String detail) {
        return new OAuthProblem(HttpStatus.UNPROCESSABLE_CONTENT, "VALIDATION_FAILED", detail);
    }
}
