/**
 * oauth-service: the provider consent behind the gateway's OAuth routes. {@code web} (in: the internal routes and the
 * caller's JWT check) → {@code application} (the flow: state and PKCE, code exchange, the session of offered
 * calendars, select; the accounts read through {@code providers}) → {@code persistence} (out: the sessions).
 */
package io.calsync.oauth;
