package io.calsync.gateway.web;

import io.calsync.gateway.application.IcsService;
import io.calsync.gateway.application.IcsValidation;
import io.calsync.gateway.application.RequestIds;
import io.calsync.model.api.CalendarView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/calendar/ics}: checking, connecting and editing ICS feeds. Every route is in the CONNECTION rate
 * class (10 a minute). Fields are checked by the service, after the ownership check of {@code PUT}: an unknown
 * calendar is 404 before any 422.
 */
@RestController
@RequestMapping(path = "/api/v1/calendar/ics", produces = "application/json")
class IcsController {

    private final IcsService ics;

    IcsController(IcsService ics) {
        this.ics = ics;
    }

    record ValidateRequest(String url) {}

    record ConnectRequest(String url, String displayName) {}

    record UpdateRequest(String url, String displayName) {}

    @PostMapping(path = "/validate", consumes = "application/json")
    IcsValidation validate(@RequestBody ValidateRequest body) {
        return ics.validate(body.url());
    }

    @PostMapping(path = "/connect", consumes = "application/json")
    ResponseEntity<CalendarView> connect(@RequestBody ConnectRequest body) {
        CalendarView created = ics.connect(CurrentUser.get().id(), body.url(), body.displayName());
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/api/v1/calendar/calendars/" + created.id())
                .body(created);
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    CalendarView update(@PathVariable UUID id, @RequestBody UpdateRequest body, HttpServletRequest request) {
        return ics.update(CurrentUser.get().id(), id, body.url(), body.displayName(), RequestIds.of(request));
    }
}
