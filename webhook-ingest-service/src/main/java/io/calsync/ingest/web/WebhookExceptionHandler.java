package io.calsync.ingest.web;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.VerificationUnavailableException;
import io.calsync.platform.kafka.MessagePublisher.BrokerUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the service as {@code application/problem+json} with a stable {@code code}; never a stack trace, and
 * never a secret (no message of ours carries one). Ahead of Spring's own problem handler, so the shape is the
 * contract's.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebhookExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookExceptionHandler.class);

    private final IngestProperties properties;

    WebhookExceptionHandler(IngestProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(MalformedNotificationException.class)
    void malformed(MalformedNotificationException e, HttpServletResponse response) throws IOException {
        Problems.write(response, HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", e.getMessage());
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    void tooLarge(PayloadTooLargeException e, HttpServletResponse response) throws IOException {
        Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "PAYLOAD_TOO_LARGE", e.getMessage());
    }

    /** The client went away or stalled while sending: nobody may be listening, but answer as for a bad request. */
    @ExceptionHandler(UncheckedIOException.class)
    void unreadable(UncheckedIOException e, HttpServletResponse response) throws IOException {
        Problems.write(response, HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "the request body could not be read");
    }

    /** 503 with Retry-After: the provider retries, and the retry is how the notification arrives. */
    @ExceptionHandler({BrokerUnavailableException.class, VerificationUnavailableException.class})
    void unavailable(RuntimeException e, HttpServletResponse response) throws IOException {
        response.setHeader(
                HttpHeaders.RETRY_AFTER,
                String.valueOf(Math.max(1, properties.retryAfter().toSeconds())));
        Problems.write(
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                e instanceof BrokerUnavailableException
                        ? "the notification could not be stored; retry later"
                        : "the notification could not be verified; retry later");
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    void noRoute(Exception e, HttpServletResponse response) throws IOException {
        Problems.write(response, HttpStatus.NOT_FOUND, "NOT_FOUND", "no such route");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    void method(HttpRequestMethodNotSupportedException e, HttpServletResponse response) throws IOException {
        if (e.getSupportedHttpMethods() != null) {
            response.setHeader(
                    HttpHeaders.ALLOW,
                    String.join(
                            ", ",
                            e.getSupportedHttpMethods().stream()
                                    .map(Object::toString)
                                    .toList()));
        }
        Problems.write(response, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "method not allowed here");
    }

    /** Anything else is a bug: logged with a reference the answer repeats, the answer itself says nothing more. */
    @ExceptionHandler(Exception.class)
    void unexpected(Exception e, HttpServletResponse response) throws IOException {
        String reference = UUID.randomUUID().toString();
        log.atError().addKeyValue("reference", reference).setCause(e).log("unexpected error in webhook ingest");
        Problems.write(
                response,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "unexpected error; reference " + reference);
    }
}
