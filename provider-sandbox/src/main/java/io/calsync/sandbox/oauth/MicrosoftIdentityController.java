package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Provider;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Microsoft identity platform v2.0: {@code /microsoft/{tenant}/oauth2/v2.0/authorize} and {@code .../token}
 * (login.microsoftonline.com). Refresh tokens rotate; errors carry AADSTS codes.
 */
@RestController
@RequestMapping("/microsoft/{tenant}/oauth2/v2.0")
public class MicrosoftIdentityController {

    private final OAuthEngine engine;
    private final ConsentController consent;

    public MicrosoftIdentityController(OAuthEngine engine, ConsentController consent) {
        this.engine = engine;
        this.consent = consent;
    }

    @GetMapping("/authorize")
    ResponseEntity<?> authorize(
            @PathVariable String tenant,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "response_type", required = false) String responseType,
            @RequestParam(required = false) String scope,
            @RequestParam(required = false) String state,
            @RequestParam(name = "code_challenge", required = false) String codeChallenge,
            @RequestParam(name = "code_challenge_method", required = false) String codeChallengeMethod,
            @RequestParam(name = "login_hint", required = false) String loginHint) {
        if (clientId == null || !engine.knownClient(Provider.MICROSOFT, clientId)) {
            return page("AADSTS700016: Application with identifier '" + clientId + "' was not found in the directory.");
        }
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            return page(
                    "AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.");
        }
        if (!"code".equals(responseType) || scope == null || scope.isBlank()) {
            return page("AADSTS900144: The request body must contain the following parameter: '"
                    + (scope == null || scope.isBlank() ? "scope" : "response_type") + "'.");
        }
        return consent.consent(engine.begin(
                Provider.MICROSOFT,
                clientId,
                redirectUri,
                scope,
                state,
                codeChallenge,
                codeChallenge == null ? null : (codeChallengeMethod == null ? "plain" : codeChallengeMethod),
                scope.contains("offline_access"),
                loginHint));
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(
            @PathVariable String tenant,
            @RequestParam(name = "grant_type", required = false) String grantType,
            @RequestParam(required = false) String code,
            @RequestParam(name = "redirect_uri", required = false) String redirectUri,
            @RequestParam(name = "code_verifier", required = false) String codeVerifier,
            @RequestParam(name = "refresh_token", required = false) String refreshToken,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "client_secret", required = false) String clientSecret,
            @RequestParam(required = false) String scope,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String basic) {
        ClientCredentials creds = ClientCredentials.of(clientId, clientSecret, basic);
        try {
            return switch (grantType == null ? "" : grantType) {
                case "authorization_code" ->
                    OAuthErrors.grant(
                            engine.exchangeCode(
                                    Provider.MICROSOFT, creds.id(), creds.secret(), code, redirectUri, codeVerifier),
                            true);
                case "refresh_token" ->
                    OAuthErrors.grant(
                            engine.refresh(Provider.MICROSOFT, creds.id(), creds.secret(), refreshToken), false);
                default ->
                    OAuthErrors.of(
                            Provider.MICROSOFT,
                            400,
                            "unsupported_grant_type",
                            "AADSTS70003: The app requested an unsupported grant type '" + grantType + "'.",
                            70003);
            };
        } catch (OAuthEngine.OAuthError e) {
            return OAuthErrors.of(Provider.MICROSOFT, e);
        }
    }

    private static ResponseEntity<String> page(String message) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.TEXT_HTML)
                .body(
                        "<!doctype html><title>Sign in to your account</title><h1>Sorry, but we're having trouble signing you in.</h1><p>"
                                + org.springframework.web.util.HtmlUtils.htmlEscape(message) + "</p>");
    }
}
