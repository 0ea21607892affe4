package io.calsync.gateway.audit;

import io.calsync.gateway.identity.CurrentUser;
import io.calsync.gateway.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/calendar/audit?limit&before}: the user's own audit entries, newest first, paged by keyset
 * ({@code before} = the {@code nextBefore} of the previous page).
 */
@RestController
@RequestMapping(path = "/api/v1/calendar/audit", produces = "application/json")
class AuditController {

    private final JdbcTemplate jdbc;

    AuditController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Entry(
            UUID id,
            String action,
            String targetType,
            String targetId,
            String outcome,
            String detail,
            String requestId,
            String clientAddress,
            Instant createdAt) {}

    record Page(List<Entry> entries, Instant nextBefore) {}

    @GetMapping
    Page list(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) Instant before) {
        if (limit < 1 || limit > 200) {
            throw ApiException.invalid("limit", "must be between 1 and 200");
        }
        UUID userId = CurrentUser.get().id();
        List<Entry> entries = jdbc.query(
                "SELECT id, action, target_type, target_id, outcome, detail, request_id, client_address, created_at"
                        + " FROM calendar_audit_logs WHERE user_id = ? AND created_at < ?"
                        + " ORDER BY created_at DESC, id DESC LIMIT ?",
                (rs, i) -> new Entry(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getTimestamp(9).toInstant()),
                userId,
                java.sql.Timestamp.from(before == null ? Instant.parse("9999-01-01T00:00:00Z") : before),
                limit + 1);
        Instant next = entries.size() > limit ? entries.get(limit - 1).createdAt() : null;
        return new Page(entries.size() > limit ? entries.subList(0, limit) : entries, next);
    }
}
