package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.ProviderErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the Graph endpoints in Graph's JSON error format. */
@RestControllerAdvice(
        assignableTypes = {
            GraphUserController.class,
            GraphEventsController.class,
            GraphSubscriptionsController.class,
            GraphFallbackController.class
        })
class GraphErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(GraphErrorAdvice.class);

    @ExceptionHandler(GraphException.class)
    ResponseEntity<Object> graph(GraphException e) {
        if (e.status() == 401) {
            return ProviderErrors.graphUnauthorized();
        }
        return ProviderErrors.graph(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        return ProviderErrors.graph(
                400,
                "BadRequest",
                "Unable to read JSON request payload. Please ensure"
                        + " Content-Type header is set and payload is of valid JSON format.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
        return ProviderErrors.graph(
                405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> unexpected(RuntimeException e) {
        log.error("Graph endpoint failed", e);
        return ProviderErrors.graph(500, "generalException", "An unexpected error occurred: " + e.getMessage());
    }
}
