/**
 * The contract's OAuth routes, relayed to oauth-service over Spring's observed {@code RestClient}
 * ({@code OAuthProxyController}); its errors come back as the contract's problems at the public path.
 */
package io.calsync.gateway.oauth;
