package io.calsync.model.domain;

/** How a reminder reaches the person. Mirrors the PostgreSQL enum type {@code reminder_method}. */
public enum ReminderMethod {
    EMAIL,
    POPUP,
    SMS;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "reminder_method";
}
