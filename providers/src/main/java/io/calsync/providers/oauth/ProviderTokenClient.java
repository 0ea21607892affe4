package io.calsync.providers.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.oauth.ProviderTokenException.TokenRevokedException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OAuth 2.0 client of both providers, on the Nimbus OAuth 2.0 SDK: the authorization URL (PKCE S256, offline
 * access), the authorization-code exchange with the PKCE verifier, and the refresh grant. Errors are mapped: {@code
 * invalid_grant} and AADSTS refusals become a {@link TokenRevokedException} with a safe reason; 5xx, timeouts and
 * unreachable endpoints are transient; other refusals (a misconfigured client) are permanent.
 */
public class ProviderTokenClient {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{4,7})");
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final ProviderEndpoints endpoints;
    private final Clock clock;

    public ProviderTokenClient(ProviderEndpoints endpoints, Clock clock) {
        this.endpoints = endpoints;
        this.clock = clock;
    }

    public ProviderEndpoints endpoints() {
        return endpoints;
    }

    /** A fresh PKCE verifier (43 characters of base64url randomness). */
    public static String newCodeVerifier() {
        return new CodeVerifier().getValue();
    }

    /** The consent page URL: code flow, PKCE S256, offline access (Google: {@code prompt=consent}). */
    public URI authorizationUrl(CalendarProvider provider, String state, String codeVerifier) {
        ProviderEndpoints.Provider p = endpoints.provider(provider);
        AuthorizationRequest.Builder b = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(p.clientId()))
                .endpointURI(p.authorizationUri())
                .redirectionURI(p.redirectUri())
                .scope(new Scope(p.scopes().toArray(String[]::new)))
                .state(new State(state))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (provider == CalendarProvider.GOOGLE) {
            b.customParameter("access_type", "offline")
                    .customParameter("prompt", "consent")
                    .customParameter("include_granted_scopes", "true");
        } else {
            b.customParameter("response_mode", "query").customParameter("prompt", "select_account");
        }
        return b.build().toURI();
    }

    /** Exchanges an authorization code (with its PKCE verifier) for tokens. */
    public ProviderTokens exchange(CalendarProvider provider, String code, String codeVerifier) {
        ProviderEndpoints.Provider p = endpoints.provider(provider);
        return token(
                p,
                new AuthorizationCodeGrant(
                        new AuthorizationCode(code), p.redirectUri(), new CodeVerifier(codeVerifier)),
                provider == CalendarProvider.MICROSOFT ? scope(p) : null);
    }

    /** Uses a refresh token. Microsoft answers with a new refresh token (rotation); Google usually does not. */
    public ProviderTokens refresh(CalendarProvider provider, String refreshToken) {
        ProviderEndpoints.Provider p = endpoints.provider(provider);
        return token(
                p,
                new RefreshTokenGrant(new RefreshToken(refreshToken)),
                provider == CalendarProvider.MICROSOFT ? scope(p) : null);
    }

    private ProviderTokens token(ProviderEndpoints.Provider p, AuthorizationGrant grant, Scope scope) {
        if (!p.configured()) {
            throw new ProviderTokenException(p.provider() + " OAuth client is not configured", false);
        }
        TokenRequest request = new TokenRequest(
                p.tokenUri(),
                new ClientSecretPost(new ClientID(p.clientId()), new Secret(p.clientSecret())),
                grant,
                scope);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(CONNECT_TIMEOUT_MS);
        http.setReadTimeout(READ_TIMEOUT_MS);
        HTTPResponse response;
        try {
            response = http.send();
        } catch (IOException e) {
            throw new ProviderTokenException(
                    p.provider() + " token endpoint unreachable ("
                            + e.getClass().getSimpleName() + ")",
                    true);
        }
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            throw new ProviderTokenException(
                    p.provider() + " token endpoint answered HTTP " + response.getStatusCode() + " unreadably",
                    response.getStatusCode() >= 500);
        }
        if (!parsed.indicatesSuccess()) {
            throw map(p.provider(), parsed.toErrorResponse().getErrorObject(), response.getStatusCode());
        }
        AccessTokenResponse ok = parsed.toSuccessResponse();
        Tokens tokens = ok.getTokens();
        long lifetime = tokens.getAccessToken().getLifetime();
        Instant expiresAt = clock.instant().plusSeconds(lifetime > 0 ? lifetime : 3600);
        Scope granted = tokens.getAccessToken().getScope();
        return new ProviderTokens(
                tokens.getAccessToken().getValue(),
                tokens.getRefreshToken() == null
                        ? null
                        : tokens.getRefreshToken().getValue(),
                expiresAt,
                granted == null ? null : granted.toString());
    }

    /** The error mapping (public for tests): never echoes anything but the error code and the AADSTS number. */
    public static ProviderTokenException map(CalendarProvider provider, ErrorObject error, int httpStatus) {
        String code = error == null || error.getCode() == null ? "unknown_error" : error.getCode();
        String description = error == null ? null : error.getDescription();
        Matcher aadsts = description == null ? null : AADSTS.matcher(description);
        String aadstsCode = aadsts != null && aadsts.find() ? "AADSTS" + aadsts.group(1) : null;
        int status = httpStatus > 0 ? httpStatus : (error == null ? 0 : error.getHTTPStatusCode());
        if (status >= 500 || "temporarily_unavailable".equals(code) || "server_error".equals(code)) {
            return new ProviderTokenException(
                    provider + " token endpoint failed: " + code + " (HTTP " + status + ")", true);
        }
        if ("invalid_grant".equals(code) || (aadstsCode != null && !"invalid_client".equals(code))) {
            return new TokenRevokedException(
                    provider == CalendarProvider.MICROSOFT
                            ? "Microsoft refused the refresh token (" + code
                                    + (aadstsCode == null ? "" : ", " + aadstsCode) + "); reconnect the account"
                            : "Google refused the refresh token (" + code + "); reconnect the account");
        }
        return new ProviderTokenException(
                provider + " token endpoint refused the request: " + code
                        + (aadstsCode == null ? "" : " (" + aadstsCode + ")"),
                false);
    }

    private static Scope scope(ProviderEndpoints.Provider p) {
        return new Scope(p.scopes().toArray(String[]::new));
    }
}
