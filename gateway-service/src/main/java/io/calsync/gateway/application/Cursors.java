package io.calsync.gateway.application;

import io.calsync.gateway.persistence.ChangeLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Change cursors: a position in the change log and the time it stands for, signed with a key derived from
 * {@code SECRET_KEY} together with the user's id, so a cursor means nothing to another user (and cannot be forged or
 * moved). A cursor older than {@link #VALID_FOR} or not issued to this user is 410 {@code CURSOR_EXPIRED}: the
 * frontend starts over with a range read, as after Google's 410. The log keeps changes longer than that (the
 * poller's {@code change-log-retention}, 8 days), so a valid cursor never points into deleted changes.
 *
 * <p>Format: base64url of {@code tx (8 bytes) | seq (8) | epoch second (8) | HMAC-SHA256 truncated to 16 bytes}.
 */
@Component
public class Cursors {

    static final Duration VALID_FOR = Duration.ofDays(7);
    private static final int BODY = 24;
    private static final int TAG = 16;

    private final SecretKeySpec key;
    private final MeterRegistry meters;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public Cursors(@Value("${SECRET_KEY}") String secret, MeterRegistry meters) {
        this(secret, meters, Clock.systemUTC());
    }

    Cursors(String secret, MeterRegistry meters, Clock clock) {
        this.key = new SecretKeySpec(
                hmac(secret.getBytes(StandardCharsets.UTF_8), "calsync change cursor v1"), "HmacSHA256");
        this.meters = meters;
        this.clock = clock;
    }

    /** The cursor of a position for this user, standing for the given time. */
    public String encode(UUID userId, ChangeLog.Position p, Instant at) {
        ByteBuffer b = ByteBuffer.allocate(BODY + TAG);
        b.putLong(p.tx()).putLong(p.seq()).putLong(at.getEpochSecond());
        byte[] tag = tag(userId, Arrays.copyOf(b.array(), BODY));
        b.put(tag, 0, TAG);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The position of a cursor, or 410 CURSOR_EXPIRED when it is not this user's, is malformed or too old. */
    public ChangeLog.Position decode(UUID userId, String cursor) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor == null ? "" : cursor.strip());
        } catch (IllegalArgumentException e) {
            throw expired();
        }
        if (raw.length != BODY + TAG) {
            throw expired();
        }
        byte[] body = Arrays.copyOf(raw, BODY);
        byte[] expected = Arrays.copyOf(tag(userId, body), TAG);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, BODY, BODY + TAG))) {
            throw expired();
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        long tx = b.getLong();
        long seq = b.getLong();
        Instant at = Instant.ofEpochSecond(b.getLong());
        if (at.isBefore(clock.instant().minus(VALID_FOR))) {
            throw expired();
        }
        return new ChangeLog.Position(tx, seq);
    }

    private ApiException expired() {
        meters.counter("calsync.changes.cursor.expired").increment();
        return new ApiException(
                HttpStatus.GONE,
                "CURSOR_EXPIRED",
                "the cursor is expired or not yours; start over with a range read of GET /events",
                null);
    }

    private byte[] tag(UUID userId, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(userId.toString().getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
