/**
 * The port between the sync engine and the providers: the provider-neutral {@link io.calsync.sync.provider.ProviderEvent},
 * what a sync pass needs and answers ({@link io.calsync.sync.provider.SyncTarget},
 * {@link io.calsync.sync.provider.SyncResult}, {@link io.calsync.sync.provider.PageSink}), the adapters' interfaces
 * ({@link io.calsync.sync.provider.ProviderSync}, {@link io.calsync.sync.provider.ProviderWriter}), their error
 * classification ({@link io.calsync.sync.provider.ProviderException}) and the one retry policy
 * ({@link io.calsync.sync.provider.ProviderCalls}). The adapters live in {@code google}, {@code microsoft} and
 * {@code ics}; the engine that drives them in {@code engine}.
 */
package io.calsync.sync.provider;
