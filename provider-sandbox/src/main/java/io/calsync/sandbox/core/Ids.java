package io.calsync.sandbox.core;

import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers in the alphabets the providers use. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

    private Ids() {}

    /** Google event ids: lowercase base32hex (a-v, 0-9). */
    public static String base32hex(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = BASE32HEX[RANDOM.nextInt(32)];
        }
        return new String(c);
    }

    /** An opaque URL-safe token of {@code bytes} random bytes. */
    public static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Graph-style ids: long URL-safe base64 strings ending in '='. */
    public static String graphId() {
        byte[] b = new byte[70];
        RANDOM.nextBytes(b);
        return "AAMkA"
                + Base64.getUrlEncoder().encodeToString(b).replace('-', '_').substring(0, 90) + "=";
    }
}
