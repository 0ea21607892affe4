package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Ids;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxSettings;
import io.calsync.sandbox.core.SandboxState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The authorization server of both providers: pending consent requests, single-use authorization codes bound to
 * client, redirect URI and PKCE challenge (RFC 7636), access tokens with an expiry, and refresh tokens. Google keeps
 * a refresh token until it is revoked and issues one only for {@code access_type=offline}; Microsoft issues one for
 * the {@code offline_access} scope and rotates it on every use, the used one working for a short grace only.
 */
@Component
public class OAuthEngine {

    static final Duration CODE_TTL = Duration.ofMinutes(10);

    private final SandboxState state;
    private final SandboxSettings settings;
    private final Map<String, AuthorizationRequest> pending = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refreshGrants = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> codeGrants = new ConcurrentHashMap<>();

    public OAuthEngine(SandboxState state, SandboxSettings settings) {
        this.state = state;
        this.settings = settings;
        state.onReset(s -> {
            pending.clear();
            codes.clear();
            accessTokens.clear();
            refreshTokens.clear();
            refreshGrants.clear();
            codeGrants.clear();
        });
    }

    /** What a client asked for on the authorize endpoint. */
    public record AuthorizationRequest(
            String id,
            Provider provider,
            String clientId,
            String redirectUri,
            String scope,
            String state,
            String codeChallenge,
            String codeChallengeMethod,
            boolean offline,
            String loginHint,
            Instant createdAt) {}

    record Code(String code, AuthorizationRequest request, Account account, Instant expiresAt) {}

    /** A valid access token's meaning. */
    public record AccessToken(String token, Account account, String scope, Instant expiresAt) {}

    record RefreshToken(String token, Account account, String clientId, String scope, Instant usableUntil) {}

    /** What the token endpoint answers on success. */
    public record TokenGrant(String accessToken, long expiresIn, String refreshToken, String scope, Account account) {}

    /** An OAuth error as the token endpoint reports it ({@code invalid_grant}, {@code invalid_client}, ...). */
    public static final class OAuthError extends RuntimeException {
        private final String error;
        private final int status;
        private final int aadstsCode;

        public OAuthError(String error, String description, int status, int aadstsCode) {
            super(description, null, false, false);
            this.error = error;
            this.status = status;
            this.aadstsCode = aadstsCode;
        }

        public String error() {
            return error;
        }

        public int status() {
            return status;
        }

        /** The AADSTS number Microsoft would put in the description and {@code error_codes}. */
        public int aadstsCode() {
            return aadstsCode;
        }
    }

    public SandboxSettings.Client client(Provider provider) {
        return provider == Provider.GOOGLE ? settings.google() : settings.microsoft();
    }

    public boolean knownClient(Provider provider, String clientId) {
        return client(provider).clientId().equals(clientId);
    }

    public AuthorizationRequest begin(
            Provider provider,
            String clientId,
            String redirectUri,
            String scope,
            String stateParam,
            String codeChallenge,
            String codeChallengeMethod,
            boolean offline,
            String loginHint) {
        AuthorizationRequest r = new AuthorizationRequest(
                Ids.token(16),
                provider,
                clientId,
                redirectUri,
                scope,
                stateParam,
                codeChallenge,
                codeChallengeMethod,
                offline,
                loginHint,
                Instant.now(state.clock()));
        pending.put(r.id(), r);
        return r;
    }

    public Optional<AuthorizationRequest> pending(String id) {
        return Optional.ofNullable(pending.get(id));
    }

    /** The person approved: a single-use code for the client's redirect. */
    public String approve(String requestId, Account account) {
        AuthorizationRequest r = pending.remove(requestId);
        if (r == null) {
            throw new IllegalArgumentException("unknown or finished authorization request");
        }
        String code = (r.provider() == Provider.GOOGLE ? "4/0A" : "M.C5") + Ids.token(32);
        codes.put(code, new Code(code, r, account, Instant.now(state.clock()).plus(CODE_TTL)));
        return code;
    }

    /** The person declined. */
    public AuthorizationRequest deny(String requestId) {
        AuthorizationRequest r = pending.remove(requestId);
        if (r == null) {
            throw new IllegalArgumentException("unknown or finished authorization request");
        }
        return r;
    }

    public TokenGrant exchangeCode(
            Provider provider, String clientId, String clientSecret, String code, String redirectUri, String verifier) {
        checkClient(provider, clientId, clientSecret);
        Code c = code == null ? null : codes.remove(code); // single use, whatever happens next
        if (c == null || c.request().provider() != provider) {
            throw new OAuthError(
                    "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Malformed auth code."
                            : "AADSTS70000: The provided value for the 'code' parameter is not valid.",
                    400,
                    70000);
        }
        if (Instant.now(state.clock()).isAfter(c.expiresAt())) {
            throw new OAuthError(
                    "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Bad Request"
                            : "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
                    400,
                    70008);
        }
        if (!c.request().clientId().equals(clientId)) {
            throw new OAuthError("invalid_grant", "code was issued to another client", 400, 70000);
        }
        if (redirectUri == null || !redirectUri.equals(c.request().redirectUri())) {
            throw new OAuthError(
                    provider == Provider.GOOGLE ? "redirect_uri_mismatch" : "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Bad Request"
                            : "AADSTS50148: The redirect_uri does not match the one of the authorization request.",
                    400,
                    50148);
        }
        verifyPkce(provider, c.request(), verifier);
        codeGrants.computeIfAbsent(c.account().id(), k -> new AtomicInteger()).incrementAndGet();
        boolean offline = provider == Provider.GOOGLE
                ? c.request().offline()
                : c.request().scope() != null && c.request().scope().contains("offline_access");
        return issue(c.account(), clientId, c.request().scope(), offline);
    }

    public TokenGrant refresh(Provider provider, String clientId, String clientSecret, String refreshToken) {
        checkClient(provider, clientId, clientSecret);
        RefreshToken r = refreshToken == null ? null : refreshTokens.get(refreshToken);
        Instant now = Instant.now(state.clock());
        if (r == null || r.account().provider() != provider) {
            throw new OAuthError(
                    "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Token has been expired or revoked."
                            : "AADSTS70000: The provided value for the 'refresh_token' is not valid.",
                    400,
                    70000);
        }
        if (r.usableUntil() != null && now.isAfter(r.usableUntil())) {
            refreshTokens.remove(refreshToken);
            throw new OAuthError(
                    "invalid_grant",
                    "AADSTS70008: The refresh token has expired due to inactivity. "
                            + "The token was issued and was inactive for too long.",
                    400,
                    70008);
        }
        refreshGrants
                .computeIfAbsent(r.account().id(), k -> new AtomicInteger())
                .incrementAndGet();
        if (provider == Provider.GOOGLE) {
            AccessToken at = newAccessToken(r.account(), r.scope());
            return new TokenGrant(at.token(), state.accessTokenTtl().toSeconds(), null, r.scope(), r.account());
        }
        // Microsoft: a new refresh token every time; the used one keeps working for the grace period only.
        if (r.usableUntil() == null) {
            refreshTokens.put(
                    refreshToken,
                    new RefreshToken(
                            r.token(), r.account(), r.clientId(), r.scope(), now.plus(state.microsoftRefreshGrace())));
        }
        return issue(r.account(), clientId, r.scope(), true);
    }

    private TokenGrant issue(Account account, String clientId, String scope, boolean withRefreshToken) {
        AccessToken at = newAccessToken(account, scope);
        String refresh = null;
        if (withRefreshToken) {
            refresh = (account.provider() == Provider.GOOGLE ? "1//0g" : "M.R3_BAY.") + Ids.token(48);
            refreshTokens.put(refresh, new RefreshToken(refresh, account, clientId, scope, null));
        }
        return new TokenGrant(at.token(), state.accessTokenTtl().toSeconds(), refresh, scope, account);
    }

    private AccessToken newAccessToken(Account account, String scope) {
        String token = (account.provider() == Provider.GOOGLE ? "ya29.a0" : "EwB4A8l6BAAU") + Ids.token(48);
        AccessToken at = new AccessToken(
                token, account, scope, Instant.now(state.clock()).plus(state.accessTokenTtl()));
        accessTokens.put(token, at);
        return at;
    }

    /** Issues tokens without a consent round trip: for seeding demos and tests of the API endpoints. */
    public TokenGrant issueDirectly(Account account, String scope) {
        return issue(account, client(account.provider()).clientId(), scope, true);
    }

    private void checkClient(Provider provider, String clientId, String clientSecret) {
        SandboxSettings.Client c = client(provider);
        if (!c.clientId().equals(clientId) || !c.clientSecret().equals(clientSecret)) {
            throw new OAuthError(
                    provider == Provider.GOOGLE ? "invalid_client" : "invalid_client",
                    provider == Provider.GOOGLE
                            ? "The OAuth client was not found."
                            : "AADSTS7000215: Invalid client secret provided.",
                    401,
                    7000215);
        }
    }

    private static void verifyPkce(Provider provider, AuthorizationRequest r, String verifier) {
        if (r.codeChallenge() == null) {
            if (verifier != null && provider == Provider.MICROSOFT) {
                throw new OAuthError(
                        "invalid_grant",
                        "AADSTS501481: The Code_Verifier does not match the code_challenge.",
                        400,
                        501481);
            }
            return;
        }
        if (verifier == null || verifier.length() < 43 || verifier.length() > 128) {
            throw new OAuthError(
                    "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Missing code verifier."
                            : "AADSTS501491: Invalid size of Code_Verifier.",
                    400,
                    501491);
        }
        String expected = "plain".equals(r.codeChallengeMethod()) ? verifier : s256(verifier);
        if (!expected.equals(r.codeChallenge())) {
            throw new OAuthError(
                    "invalid_grant",
                    provider == Provider.GOOGLE
                            ? "Invalid code verifier."
                            : "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                    400,
                    501481);
        }
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The account of a bearer token, if the token is known, unexpired and of that provider. */
    public Optional<AccessToken> authenticate(Provider provider, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        AccessToken at = accessTokens.get(authorizationHeader.substring(7).trim());
        if (at == null
                || at.account().provider() != provider
                || Instant.now(state.clock()).isAfter(at.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(at);
    }

    /** Revokes every token of an account: refresh grants then answer invalid_grant, API calls 401. */
    public int revoke(String accountId) {
        int before = accessTokens.size() + refreshTokens.size();
        accessTokens.values().removeIf(t -> t.account().id().equals(accountId));
        refreshTokens.values().removeIf(t -> t.account().id().equals(accountId));
        return before - accessTokens.size() - refreshTokens.size();
    }

    /** Revokes one token (Google's revoke endpoint): a refresh token, or an access token. */
    public boolean revokeToken(String token) {
        return refreshTokens.remove(token) != null | accessTokens.remove(token) != null;
    }

    /** Makes every access token of an account expire now, so the next API call gets 401. */
    public int expireAccessTokens(String accountId) {
        Instant past = Instant.now(state.clock()).minusSeconds(1);
        int[] n = {0};
        accessTokens.replaceAll((k, t) -> {
            if (t.account().id().equals(accountId)) {
                n[0]++;
                return new AccessToken(t.token(), t.account(), t.scope(), past);
            }
            return t;
        });
        return n[0];
    }

    public int refreshGrants(String accountId) {
        AtomicInteger n = refreshGrants.get(accountId);
        return n == null ? 0 : n.get();
    }

    public int codeGrants(String accountId) {
        AtomicInteger n = codeGrants.get(accountId);
        return n == null ? 0 : n.get();
    }
}
