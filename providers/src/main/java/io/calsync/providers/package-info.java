/**
 * The provider edge: one auto-configuration ({@link io.calsync.providers.ProvidersAutoConfiguration}) over the
 * engine's ports ({@code port}), one adapter per provider ({@code google}, {@code microsoft}, {@code ics}), the
 * provider token client ({@code oauth}) and the SSRF-safe fetch ({@code http}). Adapters share only those three.
 */
package io.calsync.providers;
