package io.calsync.providers.port;

import io.calsync.model.domain.CalendarProvider;

/**
 * Reads one provider's changes. {@link #sync} runs one pass: a full listing of the target's window when
 * {@link SyncTarget#full()}, else the changes since the cursor; every page goes to the sink. It throws
 * {@link ProviderException} of kind {@code SYNC_STATE_INVALID} when the provider no longer knows the cursor (the
 * engine then runs a full pass), and retries rate limits and transient failures itself through
 * {@link ProviderCalls}.
 */
public interface ProviderSync {

    CalendarProvider provider();

    SyncResult sync(SyncTarget target, PageSink sink);
}
