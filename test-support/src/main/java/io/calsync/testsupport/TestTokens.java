package io.calsync.testsupport;

import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;

/** Main-app style access tokens for tests: HS256 over the raw UTF-8 bytes of the secret, as the main app signs them. */
public final class TestTokens {

    /** The SECRET_KEY the tests run with (at least 32 bytes). */
    public static final String SECRET = "test-secret-key-of-the-main-app-0123456789";
    /** The ENCRYPTION_KEY the tests run with (exactly 32 characters). */
    public static final String ENCRYPTION_KEY = "0123456789abcdef0123456789abcdef";

    private TestTokens() {}

    public static String forEmail(String email) {
        return forEmail(email, Duration.ofHours(1));
    }

    /** The main app's subject of an email in tests: stable, as the main app's user id is. */
    public static String subjectOf(String email) {
        return UUID.nameUUIDFromBytes(email.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public static String forEmail(String email, Duration validFor) {
        return forEmail(email, subjectOf(email), validFor);
    }

    /** A token of the email under another subject (an email the main app gave to someone else). */
    public static String forEmail(String email, String subject, Duration validFor) {
        return Jwts.builder()
                .subject(subject)
                .claim("email", email)
                .id(UUID.randomUUID().toString())
                .issuedAt(new Date())
                .expiration(Date.from(Instant.now().plus(validFor)))
                .signWith(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), Jwts.SIG.HS256)
                .compact();
    }
}
