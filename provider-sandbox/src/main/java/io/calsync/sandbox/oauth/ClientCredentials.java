package io.calsync.sandbox.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Client id and secret from the form body or from HTTP Basic (both are allowed by RFC 6749 §2.3.1). */
record ClientCredentials(String id, String secret) {

    static ClientCredentials of(String formId, String formSecret, String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new ClientCredentials(
                            java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException ignored) {
                // not Basic credentials after all: fall back to the form
            }
        }
        return new ClientCredentials(formId, formSecret);
    }
}
