package io.calsync.gateway.audit;

import io.calsync.model.persistence.AuditLogEntry;
import io.calsync.model.persistence.AuditLogEntryRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
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

    public AuditLog(AuditLogEntryRepository entries) {
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
