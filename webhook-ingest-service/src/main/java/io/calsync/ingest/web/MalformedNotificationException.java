package io.calsync.ingest.web;

/** A request that is not a notification at all (not JSON, not the provider's shape, required headers missing). */
class MalformedNotificationException extends RuntimeException {

    MalformedNotificationException(String message) {
        super(message);
    }
}
