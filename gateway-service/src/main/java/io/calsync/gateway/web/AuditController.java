package io.calsync.gateway.web;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.persistence.AuditLog;
import java.time.Instant;
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

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    AuditLog.Page list(@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) Instant before) {
        if (limit < 1 || limit > 200) {
            throw ApiException.invalid("limit", "must be between 1 and 200");
        }
        return audit.page(CurrentUser.get().id(), limit, before);
    }
}
