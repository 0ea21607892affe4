package io.calsync.providers.port;

/**
 * What one sync pass ended with. {@code cursor}: the token the next pass starts from (Google nextSyncToken, Graph
 * deltaLink); {@code full}: the pass listed everything (so rows it did not see are gone); {@code notModified}: an
 * ICS 304, nothing to apply. The ICS fields are what the poller needs next time.
 */
public record SyncResult(
        String cursor,
        boolean full,
        boolean notModified,
        String icsEtag,
        String icsLastModified,
        Integer refreshIntervalSecs) {

    public static SyncResult incremental(String cursor) {
        return new SyncResult(cursor, false, false, null, null, null);
    }

    public static SyncResult fullList(String cursor) {
        return new SyncResult(cursor, true, false, null, null, null);
    }
}
