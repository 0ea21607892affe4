package io.calsync.model.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final String SECRET = "a-very-secret-key-of-the-main-app-0123456789-0123456789-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final Set<String> revoked = new java.util.HashSet<>();
    private final JwtVerifier verifier =
            new JwtVerifier(SECRET, revoked::contains, Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

    private static SecretKeySpec key(String alg) {
        return new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), alg);
    }

    private static io.jsonwebtoken.JwtBuilder valid() {
        return Jwts.builder()
                .subject("user-123")
                .claim("email", "Ada@Example.com")
                .id("jti-1")
                .expiration(Date.from(NOW.plusSeconds(600)));
    }

    @Test
    void acceptsAnHs256TokenAndReadsTheEmail() {
        VerifiedToken t = verifier.verify(
                valid().signWith(key("HmacSHA256"), Jwts.SIG.HS256).compact());
        assertThat(t.email()).isEqualTo("ada@example.com");
        assertThat(t.jti()).isEqualTo("jti-1");
        assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void takesTheSubjectWhenItIsAnEmail() {
        String token = Jwts.builder()
                .subject("grace@example.com")
                .expiration(Date.from(NOW.plusSeconds(60)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThat(verifier.verify(token).email()).isEqualTo("grace@example.com");
    }

    @Test
    void refusesATokenWithoutAnEmail() {
        String token = Jwts.builder()
                .subject("user-123")
                .expiration(Date.from(NOW.plusSeconds(60)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAlgNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String body = b64(
                "{\"email\":\"ada@example.com\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}");
        assertThatThrownBy(() -> verifier.verify(header + "." + body + ".")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAnotherHmacAlgorithmUnderTheSameSecret() {
        String token = valid().signWith(key("HmacSHA512"), Jwts.SIG.HS512).compact();
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("algorithm");
    }

    @Test
    void refusesAnRsaSignedToken() {
        KeyPair pair = Jwts.SIG.RS256.keyPair().build();
        String token = valid().signWith(pair.getPrivate(), Jwts.SIG.RS256).compact();
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesABadSignature() {
        String token = valid().signWith(
                        new SecretKeySpec(
                                "another-secret-key-0123456789-0123456789".getBytes(StandardCharsets.UTF_8),
                                "HmacSHA256"),
                        Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void refusesATokenWithoutExp() {
        String token = Jwts.builder()
                .claim("email", "ada@example.com")
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void refusesAnExpiredTokenBeyondTheSkew() {
        String token = valid().expiration(Date.from(NOW.minusSeconds(31)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("expired");
        String justExpired = valid().expiration(Date.from(NOW.minusSeconds(5)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThat(verifier.verify(justExpired).email()).isEqualTo("ada@example.com");
    }

    @Test
    void refusesABlacklistedJti() {
        revoked.add("jti-1");
        String token = valid().signWith(key("HmacSHA256"), Jwts.SIG.HS256).compact();
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("revoked");
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify("")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(null)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new JwtVerifier("too-short", TokenBlacklist.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32");
    }

    @Test
    void errorMessagesNeverContainTheToken() {
        String token = valid().signWith(key("HmacSHA512"), Jwts.SIG.HS512).compact();
        assertThatThrownBy(() -> verifier.verify(token))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token).doesNotContain("Ada"));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        String ahead = valid().issuedAt(Date.from(NOW.plusSeconds(120)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> verifier.verify(ahead))
                .isInstanceOfSatisfying(
                        InvalidTokenException.class, e -> assertThat(e.reason()).contains("future"));
        String skewed = valid().issuedAt(Date.from(NOW.plusSeconds(20)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThat(verifier.verify(skewed).email()).as("inside the clock skew").isEqualTo("ada@example.com");
    }

    @Test
    void aPolicyRequiresAJtiAndTheClaimsOfAnAccessToken() {
        JwtVerifier strict = new JwtVerifier(
                SECRET,
                revoked::contains,
                Duration.ofSeconds(30),
                Clock.fixed(NOW, ZoneOffset.UTC),
                JwtVerifier.Policy.of(true, "type=access, aud=calendar"));
        String access = valid().claim("type", "access")
                .audience()
                .add("calendar")
                .add("mail")
                .and()
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThat(strict.verify(access).email()).isEqualTo("ada@example.com");

        String refresh = valid().claim("type", "refresh")
                .audience()
                .add("calendar")
                .and()
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> strict.verify(refresh)).isInstanceOf(InvalidTokenException.class);
        String noType = valid().audience()
                .add("calendar")
                .and()
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> strict.verify(noType)).isInstanceOf(InvalidTokenException.class);
        String noJti = Jwts.builder()
                .claim("email", "ada@example.com")
                .claim("type", "access")
                .audience()
                .add("calendar")
                .and()
                .expiration(Date.from(NOW.plusSeconds(600)))
                .signWith(key("HmacSHA256"), Jwts.SIG.HS256)
                .compact();
        assertThatThrownBy(() -> strict.verify(noJti))
                .isInstanceOfSatisfying(
                        InvalidTokenException.class, e -> assertThat(e.reason()).contains("jti"));
        // The lenient default (the contract's minimum, and the dev profile's) takes a token without jti:
        assertThat(verifier.verify(noJti).email()).isEqualTo("ada@example.com");
        assertThatThrownBy(() -> JwtVerifier.Policy.of(false, "type")).isInstanceOf(IllegalArgumentException.class);
    }
}
