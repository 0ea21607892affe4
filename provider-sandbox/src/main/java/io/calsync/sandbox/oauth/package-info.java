/** The consent page and the OAuth 2.0 endpoints of both providers (authorization code with PKCE, refresh, revocation). */
package io.calsync.sandbox.oauth;
