package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Provider;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Token-endpoint error bodies in each provider's format (Google's RFC 6749 JSON; Microsoft's AADSTS JSON). */
final class OAuthErrors {

    private OAuthErrors() {}

    static ResponseEntity<Map<String, Object>> of(Provider provider, OAuthEngine.OAuthError e) {
        return of(provider, e.status(), e.error(), e.getMessage(), e.aadstsCode());
    }

    static ResponseEntity<Map<String, Object>> of(
            Provider provider, int status, String error, String description, int aadsts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (provider == Provider.MICROSOFT) {
            body.put("error_codes", List.of(aadsts));
            body.put("timestamp", Instant.now().toString().replace('T', ' ').replace("Z", "Z"));
            body.put("trace_id", UUID.randomUUID().toString());
            body.put("correlation_id", UUID.randomUUID().toString());
            body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore())
                .body(body);
    }

    static ResponseEntity<Map<String, Object>> grant(OAuthEngine.TokenGrant grant, boolean idToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", grant.scope());
        body.put("expires_in", grant.expiresIn());
        if (grant.account().provider() == Provider.MICROSOFT) {
            body.put("ext_expires_in", grant.expiresIn());
        }
        body.put("access_token", grant.accessToken());
        if (grant.refreshToken() != null) {
            body.put("refresh_token", grant.refreshToken());
        }
        if (idToken) {
            body.put("id_token", UnsignedIdToken.of(grant.account()));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore())
                .header("Pragma", "no-cache")
                .body(body);
    }
}
