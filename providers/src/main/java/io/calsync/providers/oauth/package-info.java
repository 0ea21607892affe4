/**
 * Google and Microsoft OAuth for every service that holds provider tokens (oauth-service for consent, sync-service
 * for calls to the providers).
 *
 * <ul>
 *   <li>{@link io.calsync.providers.oauth.ProviderEndpoints}: the contract's provider variables with their defaults;
 *       provider endpoints are https, or http on loopback only.
 *   <li>{@link io.calsync.providers.oauth.ProviderTokenClient}: the OAuth 2.0 client (Nimbus OAuth 2.0 SDK): the
 *       consent URL with PKCE S256 and offline access, the code exchange, the refresh grant, and the mapping of the
 *       providers' errors ({@code invalid_grant} and AADSTS refusals: revoked; 5xx and timeouts: transient).
 *   <li>{@link io.calsync.providers.oauth.AccessTokens}: a valid access token per connection, refreshed ahead of
 *       expiry, single-flight per account across replicas through a PostgreSQL advisory lock. A library rather than an
 *       oauth-service endpoint: no extra hop, no single point of failure, and the database is the coordinator.
 * </ul>
 *
 * <p>Nothing here logs a token, code, verifier or secret; exception messages name error codes only.
 */
package io.calsync.providers.oauth;
