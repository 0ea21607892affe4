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
 * {@code exp} required, {@code iat} not in the future, a blacklisted {@code jti} refused. The user is the {@code email}
 * claim, or {@code sub} when that is an email. Unsigned tokens ({@code alg=none}) and every other algorithm are
 * refused. A {@link Policy} adds what a deployment requires on top: a {@code jti} (outside dev, so that every token can
 * be revoked) and claims with fixed values ({@code JWT_REQUIRED_CLAIMS}, e.g. {@code type=access}, so that a refresh
 * or reset token of the main app signed with the same key is not taken for an access token).
 */
public final class JwtVerifier {

    /** The minimum key length of HS256 (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final JwtParser parser;
    private final TokenBlacklist blacklist;
    private final Policy policy;
    private final Duration allowedClockSkew;
    private final Clock clock;

    /**
     * What a deployment requires of an access token beyond the signature and {@code exp}.
     *
     * @param requireJti tokens without {@code jti} cannot be revoked: refused when true
     * @param requiredClaims claim name to the value it must have (a string, or one of the values of an array claim)
     */
    public record Policy(boolean requireJti, java.util.Map<String, String> requiredClaims) {

        /** The contract's minimum, as the old system checked: nothing beyond signature, exp and identity. */
        public static final Policy LENIENT = new Policy(false, java.util.Map.of());

        public Policy {
            requiredClaims = java.util.Map.copyOf(requiredClaims);
        }

        /**
         * @param spec {@code name=value} pairs separated by commas ({@code JWT_REQUIRED_CLAIMS}); blank for none
         * @throws IllegalArgumentException for a pair without a name or a value
         */
        public static Policy of(boolean requireJti, String spec) {
            java.util.Map<String, String> claims = new java.util.LinkedHashMap<>();
            for (String pair : spec == null ? new String[0] : spec.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException(
                            "JWT_REQUIRED_CLAIMS wants name=value pairs, not '" + pair + "'");
                }
                claims.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return new Policy(requireJti, claims);
        }
    }

    public JwtVerifier(String secretKey, TokenBlacklist blacklist, Duration allowedClockSkew, Clock clock) {
        this(secretKey, blacklist, allowedClockSkew, clock, Policy.LENIENT);
    }

    public JwtVerifier(String secretKey, TokenBlacklist blacklist, Policy policy) {
        this(secretKey, blacklist, Duration.ofSeconds(30), Clock.systemUTC(), policy);
    }

    public JwtVerifier(
            String secretKey, TokenBlacklist blacklist, Duration allowedClockSkew, Clock clock, Policy policy) {
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
        this.policy = policy;
        this.allowedClockSkew = allowedClockSkew;
        this.clock = clock;
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
        if (claims.getIssuedAt() != null
                && claims.getIssuedAt().toInstant().isAfter(clock.instant().plus(allowedClockSkew))) {
            throw new InvalidTokenException("token issued in the future");
        }
        for (java.util.Map.Entry<String, String> required :
                policy.requiredClaims().entrySet()) {
            Object value = claims.get(required.getKey());
            boolean matches = value instanceof java.util.Collection<?> values
                    ? values.contains(required.getValue())
                    : required.getValue().equals(value);
            if (!matches) {
                throw new InvalidTokenException("token is not an access token (" + required.getKey() + ")");
            }
        }
        String jti = claims.getId();
        if (jti == null && policy.requireJti()) {
            throw new InvalidTokenException("token has no jti, so it could never be revoked");
        }
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
