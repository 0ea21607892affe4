package io.calsync.gateway.web;

import java.io.IOException;

/** A request body over the limit; thrown while reading it, answered 413. */
public class PayloadTooLargeException extends IOException {
    public PayloadTooLargeException() {
        super("request body too large");
    }
}
