package io.calsync.providers.port;

/**
 * The connection's provider access token. {@link #current()} is valid for a couple of minutes at least;
 * {@link #refreshed()} forces a refresh (after a 401) and answers the new one. Both may throw
 * {@link io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException} when the grant is gone, which ends
 * the sync: the connection has been marked disconnected.
 */
public interface AccessTokenSource {

    String current();

    String refreshed();
}
