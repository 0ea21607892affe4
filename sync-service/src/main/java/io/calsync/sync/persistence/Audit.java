package io.calsync.sync.persistence;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Audit rows the engine writes on the user's behalf ({@code actor = sync-service}), in the caller's transaction. */
@Component
public class Audit {

    private final JdbcTemplate jdbc;

    public Audit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(
            UUID userId,
            String action,
            String targetType,
            UUID targetId,
            String outcome,
            String detail,
            String requestId) {
        jdbc.update(
                "INSERT INTO calendar_audit_logs (user_id, action, target_type, target_id, outcome, detail, request_id,"
                        + " actor) VALUES (?, ?, ?, ?, ?, ?, ?, 'sync-service')",
                userId,
                action,
                targetType,
                targetId == null ? null : targetId.toString(),
                outcome,
                detail == null ? null : (detail.length() > 2000 ? detail.substring(0, 2000) : detail),
                requestId == null ? null : (requestId.length() > 64 ? requestId.substring(0, 64) : requestId));
    }
}
