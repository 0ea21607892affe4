package io.calsync.sandbox.google;

import java.time.Instant;
import java.util.List;

/**
 * The parameters of {@code events.list} (and {@code events.instances}) that the sandbox models. Use
 * {@link #defaults()} and the {@code with...} methods from Java.
 */
public record EventQuery(
        Integer maxResults,
        String pageToken,
        Instant timeMin,
        Instant timeMax,
        boolean singleEvents,
        boolean showDeleted,
        String orderBy,
        String syncToken,
        Instant updatedMin,
        String iCalUID,
        String q,
        List<String> privateExtendedProperty,
        List<String> sharedExtendedProperty,
        List<String> eventTypes,
        String timeZone) {

    public EventQuery {
        privateExtendedProperty = privateExtendedProperty == null ? List.of() : List.copyOf(privateExtendedProperty);
        sharedExtendedProperty = sharedExtendedProperty == null ? List.of() : List.copyOf(sharedExtendedProperty);
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    public static EventQuery defaults() {
        return new EventQuery(
                null, null, null, null, false, false, null, null, null, null, null, null, null, null, null);
    }

    public EventQuery withMaxResults(Integer maxResults) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withPageToken(String pageToken) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withTimeRange(Instant timeMin, Instant timeMax) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withSingleEvents(boolean singleEvents) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withShowDeleted(boolean showDeleted) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withOrderBy(String orderBy) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    public EventQuery withSyncToken(String syncToken) {
        return new EventQuery(
                maxResults,
                pageToken,
                timeMin,
                timeMax,
                singleEvents,
                showDeleted,
                orderBy,
                syncToken,
                updatedMin,
                iCalUID,
                q,
                privateExtendedProperty,
                sharedExtendedProperty,
                eventTypes,
                timeZone);
    }

    /** Google's sync guide: a sync token cannot be combined with these. */
    boolean hasSyncRestrictions() {
        return timeMin != null
                || timeMax != null
                || orderBy != null
                || q != null
                || iCalUID != null
                || updatedMin != null
                || !privateExtendedProperty.isEmpty()
                || !sharedExtendedProperty.isEmpty();
    }
}
