/**
 * Shared security: {@link io.calsync.model.security.TokenCipher} encrypts OAuth tokens at rest (AES-256-GCM with key
 * ids for rotation) and {@link io.calsync.model.security.JwtVerifier} checks the main app's HS256 access tokens.
 * Neither ever puts key, token or plaintext material into an exception message.
 */
package io.calsync.model.security;
