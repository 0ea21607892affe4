package io.calsync.model.security;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the main app's access tokens: HS256 only, signed with {@code SECRET_KEY} used as its raw UTF-8 bytes,
 * {@code exp} required, a blacklisted {@code jti} refused. The user is the {@code email} claim, or {@code sub} when
 * that is an email. Unsigned tokens ({@code alg=none}) and every other algorithm are refused.
 */
public final class JwtVerifier {

    /** The minimum key length of HS256 (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final JwtParser parser;
    private final TokenBlacklist blacklist;

    public JwtVerifier(String secretKey, TokenBlacklist blacklist, Duration allowedClockSkew, Clock clock) {
        byte[] bytes = secretKey == null ? new byte[0] : secretKey.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("SECRET_KEY must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        SecretKey key = new SecretKeySpec(bytes, "HmacSHA256");
        this.parser = Jwts.parser()
                .keyLocator(header -> {
                    // Pin the algorithm: a token signed with HS384/HS512 under the same secret is still refused.
                    if (!"HS256".equals(header.getAlgorithm())) {
                        throw new UnsupportedJwtException("algorithm not allowed");
                    }
                    return key;
                })
                .clockSkewSeconds(allowedClockSkew.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
        this.blacklist = blacklist;
    }

    public JwtVerifier(String secretKey, TokenBlacklist blacklist) {
        this(secretKey, blacklist, Duration.ofSeconds(30), Clock.systemUTC());
    }

    /**
     * @throws InvalidTokenException for every token that must not be trusted
     */
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no token");
        }
        Claims claims;
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token.trim());
            claims = jws.getPayload();
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("token expired");
        } catch (SignatureException e) {
            throw new InvalidTokenException("bad signature");
        } catch (UnsupportedJwtException e) {
            throw new InvalidTokenException("unsupported token (unsigned or wrong algorithm)");
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token");
        }
        if (claims.getExpiration() == null) {
            throw new InvalidTokenException("token has no exp");
        }
        String email = identity(claims);
        if (email == null) {
            throw new InvalidTokenException("token names no email");
        }
        String jti = claims.getId();
        if (jti != null && blacklist.isRevoked(jti)) {
            throw new InvalidTokenException("token revoked");
        }
        return new VerifiedToken(
                email.toLowerCase(java.util.Locale.ROOT),
                claims.getSubject(),
                jti,
                claims.getExpiration().toInstant());
    }

    private static String identity(Claims claims) {
        Object email = claims.get("email");
        if (email instanceof String s && EMAIL.matcher(s).matches()) {
            return s;
        }
        String sub = claims.getSubject();
        if (sub != null && EMAIL.matcher(sub).matches()) {
            return sub;
        }
        return null;
    }
}
