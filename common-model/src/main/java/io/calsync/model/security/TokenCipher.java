package io.calsync.model.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of OAuth tokens at rest.
 *
 * <p>Format: {@code v1.<keyId>.<base64url(iv || ciphertext || tag)>}. The key id (the first 8 hex digits of the
 * key's SHA-256) says which key encrypted a value, so keys can rotate: new values use the primary key, old ones are
 * still read with a previous key until re-encrypted. The version and key id are authenticated as associated data,
 * so changing any part of a value, or cutting it short, is refused rather than decrypted to garbage.
 */
public final class TokenCipher {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String primaryKeyId;
    private final Map<String, SecretKey> keys;

    /**
     * @param primaryKey the key new values are encrypted with (32 bytes)
     * @param previousKeys keys still accepted for decryption during a rotation
     */
    public TokenCipher(byte[] primaryKey, List<byte[]> previousKeys) {
        this.keys = new LinkedHashMap<>();
        this.primaryKeyId = register(primaryKey);
        previousKeys.forEach(this::register);
    }

    public TokenCipher(byte[] primaryKey) {
        this(primaryKey, List.of());
    }

    /** A cipher from {@code ENCRYPTION_KEY}-style values (32 characters, or base64 of 32 bytes). */
    public static TokenCipher fromKeyStrings(String primary, List<String> previous) {
        return new TokenCipher(
                EncryptionKeys.parse(primary),
                previous.stream().map(EncryptionKeys::parse).toList());
    }

    private String register(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes");
        }
        String id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key.clone(), "AES"));
        return id;
    }

    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String primaryKeyId() {
        return primaryKeyId;
    }

    /** Encrypts a value; {@code null} stays {@code null}. */
    public String encrypt(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primaryKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(primaryKeyId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
            return VERSION + "." + primaryKeyId + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt}; {@code null} stays {@code null}.
     *
     * @throws TokenDecryptionException when the value is malformed, tampered with, truncated, or of an unknown key
     */
    public String decrypt(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new TokenDecryptionException("not a calsync ciphertext");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new TokenDecryptionException("encrypted with an unknown key " + parts[1]);
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new TokenDecryptionException("ciphertext is not base64url");
        }
        if (data.length < IV_BYTES + TAG_BITS / 8) {
            throw new TokenDecryptionException("ciphertext is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(aad(parts[1]));
            byte[] plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new TokenDecryptionException("ciphertext failed authentication (tampered or wrong key)");
        } catch (GeneralSecurityException e) {
            throw new TokenDecryptionException("ciphertext could not be decrypted");
        }
    }

    /** Whether a value was encrypted with a key other than the primary one (and should be re-encrypted). */
    public boolean needsReencryption(String value) {
        return value != null && !value.startsWith(VERSION + "." + primaryKeyId + ".");
    }

    private static byte[] aad(String keyId) {
        return (VERSION + "." + keyId).getBytes(StandardCharsets.US_ASCII);
    }

    /** A value that must not be trusted; the message never contains key or plaintext material. */
    public static final class TokenDecryptionException extends RuntimeException {
        public TokenDecryptionException(String message) {
            super(message);
        }
    }
}
