package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the API as {@code application/problem+json} with a stable {@code code}: never a stack trace, SQL or
 * token. Unexpected exceptions are logged with a reference and answered 500 without detail.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ResponseEntity<ProblemDetail> answer = problem(e.status(), e.code(), e.getMessage(), e.errors());
        if (e.status() == HttpStatus.TOO_MANY_REQUESTS || e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            // Every 429 and 503 says when to come back (the contract's Errors).
            return ResponseEntity.status(answer.getStatusCode())
                    .headers(answer.getHeaders())
                    .header("Retry-After", "5")
                    .body(answer.getBody());
        }
        return answer;
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        List<ApiException.FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiException.FieldProblem(f.getField(), f.getDefaultMessage()))
                .toList();
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "VALIDATION_FAILED", "the request is invalid", errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof PayloadTooLargeException) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", "the request body is too large", null);
        }
        return problem(
                HttpStatus.BAD_REQUEST,
                "MALFORMED_REQUEST",
                "the request body is not valid JSON of the expected shape",
                null);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        if (e instanceof MethodArgumentTypeMismatchException m
                && m.getParameter().hasParameterAnnotation(PathVariable.class)) {
            // A path id that cannot be an id names nothing that exists: 404, the same on every id route.
            return problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "nothing with this " + m.getName() + " exists", null);
        }
        String name = e instanceof MissingServletRequestParameterException m
                ? m.getParameterName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        String message = e instanceof MissingServletRequestParameterException ? "is required" : "has an invalid value";
        return problem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "VALIDATION_FAILED",
                "the request is invalid",
                List.of(new ApiException.FieldProblem(name, message)));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ProblemDetail> noRoute(Exception e) {
        return problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such route", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<ProblemDetail> r = problem(
                HttpStatus.METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "method " + e.getMethod() + " is not allowed here",
                null);
        HttpHeaders h = new HttpHeaders();
        h.putAll(r.getHeaders());
        if (e.getSupportedHttpMethods() != null) {
            h.setAllow(e.getSupportedHttpMethods());
        }
        return new ResponseEntity<>(r.getBody(), h, r.getStatusCode());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send application/json", null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return problem(HttpStatus.NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "this route answers application/json", null);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", "the request body is too large", null);
    }

    /**
     * The row changed under the request (the sync engine stored the provider's answer for the same event at that
     * moment): the client reloads and edits again, as with any edit conflict.
     */
    @ExceptionHandler(org.springframework.dao.OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentChange(Exception e) {
        return problem(
                HttpStatus.CONFLICT,
                "CONFLICT",
                "the resource changed while this request was handled; reload it and try again",
                null);
    }

    /**
     * The database is out of reach or overloaded (e.g. no pool connection within the timeout): the client should
     * come back shortly, which is 503 with {@code Retry-After}, not a 500 and a stack trace per request.
     */
    @ExceptionHandler({
        org.springframework.transaction.CannotCreateTransactionException.class,
        org.springframework.dao.DataAccessResourceFailureException.class,
        org.springframework.dao.TransientDataAccessException.class
    })
    ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
        log.warn(
                "database unavailable method={} path={} error={}",
                request.getMethod(),
                request.getRequestURI(),
                e.getClass().getSimpleName());
        ResponseEntity<ProblemDetail> r = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "the service is briefly overloaded or unavailable; try again shortly",
                null);
        return ResponseEntity.status(r.getStatusCode())
                .headers(r.getHeaders())
                .header("Retry-After", "2")
                .body(r.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (lostDatabaseConnection(e)) {
            // The database went away under a transaction, and its rollback failed too: Spring reports the rollback's
            // failure (JpaSystemException, TransactionSystemException), not the outage. Still the outage: 503.
            return unavailable(e, request);
        }
        String ref = java.util.UUID.randomUUID().toString();
        log.error("unexpected error ref={} method={} path={}", ref, request.getMethod(), request.getRequestURI(), e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "an unexpected error occurred (ref " + ref + ")",
                null);
    }

    /**
     * Whether a JDBC connection failure is among the causes: SQL state class 08 (connection exception) or 57P (the
     * server shutting down or crashed), or Hikari's "Connection is closed" of an evicted connection.
     */
    static boolean lostDatabaseConnection(Throwable e) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if (sql instanceof java.sql.SQLRecoverableException
                        || sql instanceof java.sql.SQLNonTransientConnectionException
                        || (state != null && (state.startsWith("08") || state.startsWith("57P")))
                        // Hikari's proxy of a connection it has already evicted (no SQL state)
                        || "Connection is closed".equals(sql.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String code, String detail, List<ApiException.FieldProblem> errors) {
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE))
                .body(Problems.of(status, code, detail, errors));
    }
}
