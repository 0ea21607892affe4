package io.calsync.ingest.web;

/** A body over {@code calsync.ingest.max-body-size}. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
