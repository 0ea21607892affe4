package io.calsync.sandbox.google;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sync and page tokens. Opaque to clients (URL-safe base64, like Google's), but inside they name what they are
 * valid for: a sync token carries its scope (a calendar, or an account's calendar list), the change sequence it
 * covers and the scope's epoch; a page token carries the snapshot sequence of the first page, the sequence an
 * incremental list started from (-1 for a full list) and the sort key of the last item returned.
 */
final class Tokens {

    private static final String SEP = "\n";

    private Tokens() {}

    record Sync(String scope, long seq, int epoch) {}

    record Page(long snapshot, long since, int epoch, long k1, String k2) {}

    static String sync(String scope, long seq, int epoch) {
        return encode("s1" + SEP + scope + SEP + seq + SEP + epoch);
    }

    /** Null when the token is not one of ours. */
    static Sync parseSync(String token) {
        String[] p = decode(token, 4);
        if (p == null || !p[0].equals("s1")) {
            return null;
        }
        try {
            return new Sync(p[1], Long.parseLong(p[2]), Integer.parseInt(p[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String page(Page page) {
        return encode("p1" + SEP + page.snapshot() + SEP + page.since() + SEP + page.epoch() + SEP + page.k1() + SEP
                + page.k2());
    }

    static Page parsePage(String token) {
        String[] p = decode(token, 6);
        if (p == null || !p[0].equals("p1")) {
            throw GoogleApiException.invalid("Invalid page token value.");
        }
        try {
            return new Page(
                    Long.parseLong(p[1]), Long.parseLong(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]), p[5]);
        } catch (NumberFormatException e) {
            throw GoogleApiException.invalid("Invalid page token value.");
        }
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String token, int parts) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            String[] p = s.split(SEP, parts);
            return p.length == parts ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
