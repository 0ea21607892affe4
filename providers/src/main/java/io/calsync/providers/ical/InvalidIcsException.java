package io.calsync.providers.ical;

/**
 * The content is not an iCalendar feed that can be read (code {@value #CODE}). The message says why in words fit
 * for the user who gave the URL: never a stack trace or a parser's internals.
 */
public class InvalidIcsException extends RuntimeException {

    public static final String CODE = "ICS_INVALID";

    public InvalidIcsException(String message) {
        super(message, null, false, false);
    }

    public String code() {
        return CODE;
    }
}
