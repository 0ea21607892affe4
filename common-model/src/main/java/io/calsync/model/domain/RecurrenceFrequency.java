package io.calsync.model.domain;

/** The FREQ of a series' RRULE, kept beside the rule for filtering. Mirrors the PostgreSQL enum type {@code recurrence_frequency}. */
public enum RecurrenceFrequency {
    DAILY,
    WEEKLY,
    MONTHLY,
    YEARLY;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "recurrence_frequency";
}
