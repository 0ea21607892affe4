package io.calsync.sandbox.oauth;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An OpenID id_token for the {@code openid} scope. The sandbox cannot sign as Google or Microsoft, so the token is
 * signed with nothing a client could verify: clients read the email from the userinfo endpoint or Graph {@code /me},
 * as calsync does.
 */
final class UnsignedIdToken {

    private UnsignedIdToken() {}

    static String of(Account account) {
        long now = Instant.now().getEpochSecond();
        String iss = account.provider() == Provider.GOOGLE
                ? "https://accounts.google.com"
                : "https://login.microsoftonline.com/sandbox/v2.0";
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + iss + "\",\"sub\":\"" + account.id() + "\",\"email\":\"" + account.email()
                + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
