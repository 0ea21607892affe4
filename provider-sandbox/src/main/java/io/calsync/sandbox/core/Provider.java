package io.calsync.sandbox.core;

/** The two providers the sandbox stands in for. */
public enum Provider {
    GOOGLE,
    MICROSOFT
}
