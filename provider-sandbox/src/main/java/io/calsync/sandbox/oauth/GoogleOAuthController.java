package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Google's OAuth 2.0 for web server apps: {@code /google/o/oauth2/v2/auth} (accounts.google.com), {@code /google/token}
 * (oauth2.googleapis.com/token), {@code /google/v1/userinfo} (openidconnect.googleapis.com) and {@code /google/revoke}.
 */
@RestController
@RequestMapping("/google")
public class GoogleOAuthController {

    private final OAuthEngine engine;
    private final ConsentController consent;

    public GoogleOAuthController(OAuthEngine engine, ConsentController consent) {
        this.engine = engine;
        this.consent = consent;
    }

    @GetMapping("/o/oauth2/v2/auth")
    ResponseEntity<String> authorize(
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "response_type", required = false) String responseType,
            @RequestParam(required = false) String scope,
            @RequestParam(required = false) String state,
            @RequestParam(name = "code_challenge", required = false) String codeChallenge,
            @RequestParam(name = "code_challenge_method", required = false) String codeChallengeMethod,
            @RequestParam(name = "access_type", required = false) String accessType,
            @RequestParam(name = "login_hint", required = false) String loginHint) {
        if (clientId == null || !engine.knownClient(Provider.GOOGLE, clientId)) {
            return errorPage("401. That's an error.", "Error 401: invalid_client. The OAuth client was not found.");
        }
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            return errorPage("400. That's an error.", "Error 400: redirect_uri_mismatch.");
        }
        if (!"code".equals(responseType) || scope == null || scope.isBlank()) {
            return errorPage(
                    "400. That's an error.",
                    "Error 400: invalid_request. Missing required parameter: "
                            + (scope == null || scope.isBlank() ? "scope" : "response_type"));
        }
        if (codeChallenge != null
                && codeChallengeMethod != null
                && !codeChallengeMethod.equals("S256")
                && !codeChallengeMethod.equals("plain")) {
            return errorPage("400. That's an error.", "Error 400: invalid_request. Invalid code_challenge_method");
        }
        return consent.consent(engine.begin(
                Provider.GOOGLE,
                clientId,
                redirectUri,
                scope,
                state,
                codeChallenge,
                codeChallenge == null ? null : (codeChallengeMethod == null ? "plain" : codeChallengeMethod),
                "offline".equals(accessType),
                loginHint));
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(
            @RequestParam(name = "grant_type", required = false) String grantType,
            @RequestParam(required = false) String code,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "code_verifier", required = false) String codeVerifier,
            @RequestParam(name = "refresh_token", required = false) String refreshToken,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "client_secret", required = false) String clientSecret,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String basic) {
        ClientCredentials creds = ClientCredentials.of(clientId, clientSecret, basic);
        try {
            return switch (grantType == null ? "" : grantType) {
                case "authorization_code" ->
                    OAuthErrors.grant(
                            engine.exchangeCode(
                                    Provider.GOOGLE, creds.id(), creds.secret(), code, redirectUri, codeVerifier),
                            true);
                case "refresh_token" ->
                    OAuthErrors.grant(engine.refresh(Provider.GOOGLE, creds.id(), creds.secret(), refreshToken), false);
                default ->
                    OAuthErrors.of(
                            Provider.GOOGLE, 400, "unsupported_grant_type", "Invalid grant_type: " + grantType, 0);
            };
        } catch (OAuthEngine.OAuthError e) {
            return OAuthErrors.of(Provider.GOOGLE, e);
        }
    }

    @GetMapping({"/v1/userinfo", "/oauth2/v3/userinfo"})
    ResponseEntity<Map<String, Object>> userinfo(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return engine.authenticate(Provider.GOOGLE, authorization)
                .map(t -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("sub", t.account().id());
                    body.put("name", t.account().displayName());
                    body.put("email", t.account().email());
                    body.put("email_verified", true);
                    return ResponseEntity.ok(body);
                })
                .orElseGet(() -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                        .body(Map.of("error", "invalid_token", "error_description", "Invalid Credentials")));
    }

    @PostMapping("/revoke")
    ResponseEntity<Map<String, Object>> revoke(@RequestParam String token) {
        return engine.revokeToken(token)
                ? ResponseEntity.ok(Map.of())
                : OAuthErrors.of(Provider.GOOGLE, 400, "invalid_token", "Token expired or revoked", 0);
    }

    private static ResponseEntity<String> errorPage(String title, String text) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.TEXT_HTML)
                .body("<!doctype html><title>Error</title><h1>" + title + "</h1><p>"
                        + org.springframework.web.util.HtmlUtils.htmlEscape(text) + "</p>");
    }
}
