package io.calsync.model.domain;

/** Where a connected calendar lives. Mirrors the PostgreSQL enum type {@code calendar_provider}. */
public enum CalendarProvider {
    GOOGLE,
    MICROSOFT,
    APPLE,
    ICS,
    /** Any CalDAV server other than iCloud (Fastmail, Nextcloud, Radicale, Baikal...). */
    CALDAV;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "calendar_provider";
}
