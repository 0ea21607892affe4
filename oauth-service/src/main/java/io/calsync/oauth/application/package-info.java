/**
 * The OAuth flow ({@link io.calsync.oauth.application.OAuthFlow}): login with state and PKCE S256, the callback's code
 * exchange and encrypted tokens, the session of offered calendars, select with the ConnectionCreated message in the
 * outbox transaction.
 */
package io.calsync.oauth.application;
