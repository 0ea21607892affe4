package io.calsync.model.domain;

/** An attendee's answer. Mirrors the PostgreSQL enum type {@code rsvp_status}. */
public enum RsvpStatus {
    NEEDS_ACTION,
    ACCEPTED,
    DECLINED,
    TENTATIVE;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "rsvp_status";
}
