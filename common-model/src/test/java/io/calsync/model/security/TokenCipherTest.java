package io.calsync.model.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.model.security.TokenCipher.TokenDecryptionException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCipherTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY =
            Base64.getEncoder().encodeToString("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".getBytes(StandardCharsets.UTF_8));
    private final TokenCipher cipher = TokenCipher.fromKeyStrings(KEY, List.of());

    @Test
    void decryptsWhatItEncrypted() {
        String token = "ya29.a0AfH6SMB-secret-access-token";
        String sealed = cipher.encrypt(token);
        assertThat(sealed).doesNotContain(token).startsWith("v1." + cipher.primaryKeyId() + ".");
        assertThat(cipher.decrypt(sealed)).isEqualTo(token);
    }

    @Test
    void sameTokenEncryptsDifferentlyEachTime() {
        assertThat(cipher.encrypt("t")).isNotEqualTo(cipher.encrypt("t"));
    }

    @Test
    void nullStaysNull() {
        assertThat(cipher.encrypt(null)).isNull();
        assertThat(cipher.decrypt(null)).isNull();
    }

    @Test
    void refusesAFlippedByteInTheBody() {
        String sealed = cipher.encrypt("refresh-token");
        String[] parts = sealed.split("\\.");
        byte[] body = Base64.getUrlDecoder().decode(parts[2]);
        body[body.length / 2] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
        assertThatThrownBy(() -> cipher.decrypt(tampered))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("authentication");
    }

    @Test
    void refusesATruncatedValue() {
        String sealed = cipher.encrypt("refresh-token");
        assertThatThrownBy(() -> cipher.decrypt(sealed.substring(0, sealed.length() - 4)))
                .isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed.substring(0, 20))).isInstanceOf(TokenDecryptionException.class);
    }

    @Test
    void refusesAChangedVersionOrKeyIdOrGarbage() {
        String sealed = cipher.encrypt("refresh-token");
        assertThatThrownBy(() -> cipher.decrypt("v2" + sealed.substring(2)))
                .isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed.replace("." + cipher.primaryKeyId() + ".", ".deadbeef.")))
                .isInstanceOf(TokenDecryptionException.class)
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> cipher.decrypt("plain-token-from-somewhere"))
                .isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1." + cipher.primaryKeyId() + ".!!!not-base64!!!"))
                .isInstanceOf(TokenDecryptionException.class);
    }

    @Test
    void anotherKeyCannotReadIt() {
        String sealed = cipher.encrypt("refresh-token");
        TokenCipher other = TokenCipher.fromKeyStrings(OTHER_KEY, List.of());
        assertThatThrownBy(() -> other.decrypt(sealed)).isInstanceOf(TokenDecryptionException.class);
    }

    @Test
    void rotationReadsOldValuesAndWritesWithTheNewKey() {
        String old = cipher.encrypt("refresh-token");
        TokenCipher rotated = TokenCipher.fromKeyStrings(OTHER_KEY, List.of(KEY));
        assertThat(rotated.decrypt(old)).isEqualTo("refresh-token");
        assertThat(rotated.needsReencryption(old)).isTrue();
        String fresh = rotated.encrypt("refresh-token");
        assertThat(rotated.needsReencryption(fresh)).isFalse();
        assertThat(fresh).startsWith("v1." + rotated.primaryKeyId() + ".");
        assertThat(rotated.primaryKeyId()).isNotEqualTo(cipher.primaryKeyId());
    }

    @Test
    void errorsNeverCarryKeyOrPlaintext() {
        String sealed = cipher.encrypt("super-secret-refresh-token");
        TokenCipher other = TokenCipher.fromKeyStrings(OTHER_KEY, List.of());
        assertThatThrownBy(() -> other.decrypt(sealed))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("super-secret", KEY, OTHER_KEY));
    }

    @Test
    void keysMustBe32Bytes() {
        assertThatThrownBy(() -> EncryptionKeys.parse("short")).hasMessageContaining("32");
        assertThatThrownBy(() -> EncryptionKeys.parse(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32");
        assertThatThrownBy(() -> EncryptionKeys.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(EncryptionKeys.parse(KEY)).hasSize(32);
        assertThat(EncryptionKeys.parse(Base64.getEncoder().encodeToString(new byte[32])))
                .hasSize(32);
    }
}
