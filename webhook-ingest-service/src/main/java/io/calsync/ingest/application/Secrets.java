package io.calsync.ingest.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparison of shared secrets in time that does not depend on where they differ. */
final class Secrets {

    private Secrets() {}

    /**
     * Whether a received secret is the expected one. No secret stored means none may be sent: a notification that
     * carries one was not made for this subscription. Null and empty are the same (Graph sends {@code null}).
     */
    static boolean matches(String expected, String received) {
        byte[] sent = (received == null ? "" : received).getBytes(StandardCharsets.UTF_8);
        byte[] stored = (expected == null ? "" : expected).getBytes(StandardCharsets.UTF_8);
        // isEqual's time depends on the length of its first argument only: the sender's, which the sender knows.
        return MessageDigest.isEqual(sent, stored);
    }
}
