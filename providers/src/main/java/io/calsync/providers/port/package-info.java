/**
 * The port between the sync engine and the providers: the provider-neutral {@link io.calsync.providers.port.ProviderEvent},
 * what a sync pass needs and answers ({@link io.calsync.providers.port.SyncTarget},
 * {@link io.calsync.providers.port.SyncResult}, {@link io.calsync.providers.port.PageSink}), the adapters' interfaces
 * ({@link io.calsync.providers.port.ProviderSync}, {@link io.calsync.providers.port.ProviderWriter}), their error
 * classification ({@link io.calsync.providers.port.ProviderException}) and the one retry policy
 * ({@link io.calsync.providers.port.ProviderCalls}). The adapters live in {@code google}, {@code microsoft} and
 * {@code ics}; the engine that drives them in {@code engine}.
 */
package io.calsync.providers.port;
