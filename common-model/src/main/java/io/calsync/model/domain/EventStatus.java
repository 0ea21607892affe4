package io.calsync.model.domain;

/** The status of an event or occurrence (RFC 5545 STATUS). Mirrors the PostgreSQL enum type {@code event_status}. */
public enum EventStatus {
    CONFIRMED,
    TENTATIVE,
    CANCELLED;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "event_status";
}
