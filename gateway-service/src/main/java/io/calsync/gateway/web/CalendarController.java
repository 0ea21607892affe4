package io.calsync.gateway.web;

import io.calsync.gateway.application.CalendarService;
import io.calsync.gateway.application.RequestIds;
import io.calsync.gateway.application.SyncState;
import io.calsync.model.api.CalendarView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/calendar/calendars}: the user's connected calendars. */
@RestController
@RequestMapping(path = "/api/v1/calendar/calendars", produces = "application/json")
class CalendarController {

    private final CalendarService calendars;

    CalendarController(CalendarService calendars) {
        this.calendars = calendars;
    }

    record CalendarList(List<CalendarView> calendars) {}

    @GetMapping
    CalendarList list() {
        return new CalendarList(calendars.list(CurrentUser.get().id()));
    }

    @GetMapping("/stats")
    CalendarService.Stats stats() {
        return calendars.stats(CurrentUser.get().id());
    }

    @GetMapping("/{id}")
    CalendarView get(@PathVariable UUID id) {
        return calendars.get(CurrentUser.get().id(), id);
    }

    @GetMapping("/{id}/sync-state")
    SyncState syncState(@PathVariable UUID id) {
        return calendars.syncState(CurrentUser.get().id(), id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        calendars.delete(CurrentUser.get().id(), id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/sync")
    ResponseEntity<ApiDocs.SyncQueued> sync(@PathVariable UUID id, HttpServletRequest request) {
        String requestId = calendars.requestSync(CurrentUser.get().id(), id, RequestIds.of(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new ApiDocs.SyncQueued("QUEUED", requestId));
    }

    @PostMapping("/sync-all")
    ResponseEntity<ApiDocs.SyncAllQueued> syncAll(HttpServletRequest request) {
        int n = calendars.requestSyncAll(CurrentUser.get().id(), RequestIds.of(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new ApiDocs.SyncAllQueued(n));
    }
}
