package io.calsync.gateway.persistence;

import io.calsync.gateway.application.RequestIds;
import io.calsync.model.persistence.AuditLogEntry;
import io.calsync.model.persistence.AuditLogEntryRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Audit rows of user actions: who, what, which target, outcome, request id and client address. Written in the
 * caller's transaction when there is one, so the row and the action commit together.
 */
@Component
public class AuditLog {

    private final AuditLogEntryRepository entries;
    private final JdbcTemplate jdbc;

    /** One entry as {@code GET /audit} answers it. */
    public record Entry(
            UUID id,
            String action,
            String targetType,
            String targetId,
            String outcome,
            String detail,
            String requestId,
            String clientAddress,
            Instant createdAt) {}

    /** A page of entries, newest first; {@code nextBefore} asks for the next one (keyset paging). */
    public record Page(List<Entry> entries, Instant nextBefore) {}

    /** The user's own entries older than {@code before} (all when null), newest first, at most {@code limit}. */
    public Page page(UUID userId, int limit, Instant before) {
        List<Entry> rows = jdbc.query(
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
                Timestamp.from(before == null ? Instant.parse("9999-01-01T00:00:00Z") : before),
                limit + 1);
        Instant next = rows.size() > limit ? rows.get(limit - 1).createdAt() : null;
        return new Page(rows.size() > limit ? rows.subList(0, limit) : rows, next);
    }

    public AuditLog(AuditLogEntryRepository entries, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.entries = entries;
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public void record(UUID userId, String action, String targetType, Object targetId, String outcome, String detail) {
        AuditLogEntry e = new AuditLogEntry(userId, action, outcome);
        e.setTargetType(targetType);
        e.setTargetId(targetId == null ? null : targetId.toString());
        e.setDetail(detail);
        HttpServletRequest request = currentRequest();
        if (request != null) {
            e.setRequestId(RequestIds.of(request));
            e.setClientAddress(request.getRemoteAddr());
        }
        entries.save(e);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
                ? a.getRequest()
                : null;
    }
}
