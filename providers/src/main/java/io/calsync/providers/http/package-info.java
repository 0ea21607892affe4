/**
 * Fetching URLs that users give (ICS feeds) without letting them reach the server's own network.
 *
 * <p>{@link io.calsync.providers.http.SsrfGuard} decides which URLs and addresses are allowed;
 * {@link io.calsync.providers.http.SafeHttpFetcher} fetches through it, connecting only to addresses the guard
 * approved at connect time, re-checking every redirect, and bounding time and size. Failures are
 * {@link io.calsync.providers.http.FetchException}s with the contract's codes ({@code URL_NOT_ALLOWED},
 * {@code ICS_UNREACHABLE}, {@code ICS_TOO_LARGE}) and messages fit for users. Configured by {@code calsync.ics.*}
 * ({@code ICS_ALLOW_PRIVATE_NETWORKS}).
 */
package io.calsync.providers.http;
