package io.calsync.ingest.web;

/** A body over {@code calsync.ingest.max-body-size}, or with more notifications than one request may carry. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }

    PayloadTooLargeException(String message) {
        super(message);
    }
}
