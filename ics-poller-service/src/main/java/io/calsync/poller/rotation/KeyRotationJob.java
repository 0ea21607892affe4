package io.calsync.poller.rotation;

import io.calsync.model.security.TokenCipher;
import io.calsync.poller.JobRun;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@value #NAME}: re-encrypts, with the current {@code ENCRYPTION_KEY}, every OAuth token still encrypted with a key of
 * {@code ENCRYPTION_KEY_PREVIOUS}: the access and refresh tokens of connections (Google never rotates its refresh
 * tokens, so without this they would keep the old key for ever) and of OAuth sessions not yet selected.
 *
 * <p>Rows are claimed in batches with {@code FOR UPDATE SKIP LOCKED}, so a token refresh of sync-service (which writes
 * with the current key anyway) waits for the batch or is skipped by it, never overwritten with an older value; the
 * plaintext does not change, so nothing else about the row does. Idempotent: a value already under the current key is
 * not selected again. A value whose key is configured nowhere cannot be read: it is counted ({@code unreadable}) and
 * left alone (its connection fails its next sync and must be reconnected).
 *
 * <p>After every run the gauge {@code calsync_encryption_previous_key_values} says how many values still use another
 * key than the current one (unreadable ones included): a previous key may be removed once it is 0.
 */
public class KeyRotationJob {

    public static final String NAME = "key-rotation";
    private static final Logger log = LoggerFactory.getLogger(KeyRotationJob.class);

    /** The tables whose {@code access_token} and {@code refresh_token} hold encrypted values; constants, never input. */
    static final List<String> TABLES = List.of("calendar_connections", "calendar_sessions");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TokenCipher cipher;
    private final int batchSize;
    private final int maxPerRun;
    private final AtomicLong remaining = new AtomicLong(-1);

    public KeyRotationJob(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            TokenCipher cipher,
            MeterRegistry meters,
            int batchSize,
            int maxPerRun) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cipher = cipher;
        this.batchSize = batchSize;
        this.maxPerRun = maxPerRun;
        meters.gauge("calsync.encryption.previous.key.values", remaining);
    }

    public void run(JobRun run) {
        String kid = cipher.primaryKeyId();
        for (String table : TABLES) {
            java.util.Set<UUID> unreadable = new java.util.HashSet<>();
            run.inBatches(transactions, batchSize, maxPerRun, limit -> batch(run, table, kid, limit, unreadable));
        }
        long left = 0;
        for (String table : TABLES) {
            Long n = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + stale(), Long.class, kid, kid);
            left += n == null ? 0 : n;
        }
        remaining.set(left);
        run.count("remaining", left);
        if (left > 0) {
            log.info("values still under a previous encryption key table=all remaining={}", left);
        }
    }

    /** A row with a value under another key than the current one. */
    private static String stale() {
        return "(access_token IS NOT NULL AND split_part(access_token, '.', 2) <> ?)"
                + " OR (refresh_token IS NOT NULL AND split_part(refresh_token, '.', 2) <> ?)";
    }

    private int batch(JobRun run, String table, String kid, int limit, java.util.Set<UUID> unreadable) {
        // Rows found unreadable earlier in this run are skipped, so the batches move on past them.
        List<Object[]> rows = jdbc.query(
                "SELECT id, access_token, refresh_token FROM " + table + " WHERE (" + stale() + ")"
                        + (unreadable.isEmpty() ? "" : " AND NOT (id = ANY(?))")
                        + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)},
                unreadable.isEmpty()
                        ? new Object[] {kid, kid, limit}
                        : new Object[] {kid, kid, unreadable.toArray(UUID[]::new), limit});
        int done = 0;
        for (Object[] row : rows) {
            UUID id = (UUID) row[0];
            try {
                String access = reencrypt((String) row[1]);
                String refresh = reencrypt((String) row[2]);
                jdbc.update(
                        "UPDATE " + table + " SET access_token = ?, refresh_token = ? WHERE id = ?",
                        access,
                        refresh,
                        id);
                done++;
            } catch (TokenCipher.TokenDecryptionException e) {
                unreadable.add(id);
                run.count("unreadable", 1);
                log.warn("a token under an unknown key was left alone table={} id={}", table, id);
            }
        }
        run.count(table, done);
        run.items(done);
        return rows.size();
    }

    private String reencrypt(String value) {
        return value == null || !cipher.needsReencryption(value) ? value : cipher.encrypt(cipher.decrypt(value));
    }
}
