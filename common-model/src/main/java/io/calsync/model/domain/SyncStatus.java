package io.calsync.model.domain;

/** How far a connection or an event is in step with its provider. Mirrors the PostgreSQL enum type {@code sync_status}. */
public enum SyncStatus {
    PENDING,
    SYNCED,
    FAILED,
    DELETED;

    /** The name of the PostgreSQL enum type that holds these values. */
    public static final String PG_TYPE = "sync_status";
}
