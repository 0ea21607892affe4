package io.calsync.model.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads {@code ENCRYPTION_KEY} values: exactly 32 characters (their bytes, as the old system used) or base64 of 32 bytes. */
public final class EncryptionKeys {

    private EncryptionKeys() {}

    /**
     * @throws IllegalArgumentException with a message that names the rule but never repeats the value
     */
    public static byte[] parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        if (value.length() == 32 && raw.length == 32) {
            return raw;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(value.trim());
            if (decoded.length == 32) {
                return decoded;
            }
        } catch (IllegalArgumentException ignored) {
            // not base64: fall through to the one error below
        }
        throw new IllegalArgumentException(
                "must be exactly 32 characters or base64 of 32 bytes (got " + value.length() + " characters)");
    }
}
