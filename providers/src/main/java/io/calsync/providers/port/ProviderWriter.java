package io.calsync.providers.port;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.RsvpStatus;
import java.util.UUID;

/**
 * Writes local changes to one provider. Creates are idempotent across retries: the adapter derives a client-chosen
 * key from {@code localId} (Google: the event id; Graph: {@code transactionId}) so that a create retried after a
 * lost answer finds the first one (the adapter answers the existing event) instead of making a second. Updates
 * and deletes send {@code If-Match} with the etag when one is given; a mismatch is {@code PRECONDITION_FAILED}.
 */
public interface ProviderWriter {

    /** What the provider answered for a write. */
    record Written(
            String providerEventId,
            String etag,
            java.time.Instant providerUpdatedAt,
            String htmlLink,
            String iCalUid) {}

    CalendarProvider provider();

    Written create(SyncTarget target, UUID localId, ProviderEvent event);

    Written update(SyncTarget target, ProviderEvent event, String ifMatch);

    /** Deletes; an event already gone at the provider is not an error. */
    void delete(SyncTarget target, String providerEventId, String ifMatch);

    /** The provider's current version of one event, or null when it is gone (for the 412 policy). */
    ProviderEvent get(SyncTarget target, String providerEventId);

    /**
     * The account's own answer to an invitation: {@code event} carries the account's attendee entry with the answer.
     * By default (Google) the event's attendees are written, the account's entry with its new responseStatus; Graph
     * answers through accept, decline or tentativelyAccept instead.
     */
    default Written respond(SyncTarget target, ProviderEvent event, RsvpStatus answer, String comment) {
        return update(target, event, null);
    }
}
