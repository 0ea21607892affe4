package io.calsync.gateway.persistence;

import io.calsync.gateway.application.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} of {@code POST /events} (contract: "Safe writes from the frontend"), in PostgreSQL so that
 * every replica answers alike. {@link #claim} runs in the create's transaction: the first request inserts the key and
 * goes on; a concurrent repeat waits on that row until the first commits, then finds its answer. A key older than 24
 * hours is claimed afresh.
 */
@Component
public class Idempotency {

    /** An answer given before for the key: replayed as it was. */
    public record Answer(int status, String body, String etag) {}

    private final JdbcTemplate jdbc;

    public Idempotency(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** 1 to 255 printable ASCII characters, else 422 naming the header. */
    public static String validKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 255 printable ASCII characters");
        }
        return key;
    }

    /** The SHA-256 of the request as parsed (so spacing and field order do not count as another body). */
    public static String hash(String canonicalRequest) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims the key for this request, or answers what the first request with it answered; 422
     * {@code IDEMPOTENCY_KEY_REUSED} when that one had another body. Must run inside the create's transaction.
     */
    public Optional<Answer> claim(UUID userId, String key, String requestHash) {
        for (int attempt = 0; attempt < 2; attempt++) {
            int inserted = jdbc.update(
                    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash) VALUES (?, ?, ?)"
                            + " ON CONFLICT (user_id, idem_key) DO NOTHING",
                    userId,
                    key,
                    requestHash);
            if (inserted == 1) {
                return Optional.empty();
            }
            List<Object[]> found = jdbc.query(
                    "SELECT request_hash, status, response, etag, created_at < now() - interval '24 hours'"
                            + " FROM idempotency_keys WHERE user_id = ? AND idem_key = ?",
                    (rs, n) -> new Object[] {
                        rs.getString(1), rs.getObject(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)
                    },
                    userId,
                    key);
            if (found.isEmpty()) {
                continue; // deleted meanwhile (expired): claim again
            }
            Object[] row = found.getFirst();
            if ((Boolean) row[4]) {
                jdbc.update("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?", userId, key);
                continue;
            }
            if (!requestHash.equals(row[0])) {
                throw new ApiException(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "IDEMPOTENCY_KEY_REUSED",
                        "this Idempotency-Key was used with another request body; use a new key for a new event",
                        List.of(new ApiException.FieldProblem("Idempotency-Key", "already used with another body")));
            }
            return Optional.of(new Answer(((Number) row[1]).intValue(), (String) row[2], (String) row[3]));
        }
        throw new IllegalStateException("the Idempotency-Key could not be claimed");
    }

    /** The answer the claimed key gives from now on. */
    public void answered(UUID userId, String key, int status, String body, String etag) {
        jdbc.update(
                "UPDATE idempotency_keys SET status = ?, response = ?, etag = ? WHERE user_id = ? AND idem_key = ?",
                status,
                body,
                etag,
                userId,
                key);
    }
}
