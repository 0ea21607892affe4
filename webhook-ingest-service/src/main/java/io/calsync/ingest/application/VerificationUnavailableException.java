package io.calsync.ingest.application;

/** The subscription store could not answer, so a notification could be neither verified nor dropped. */
public class VerificationUnavailableException extends RuntimeException {

    public VerificationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
