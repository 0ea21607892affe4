package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.orm.jpa.JpaSystemException;

/**
 * A database that goes away under a transaction whose rollback fails too surfaces as the rollback's failure, not the
 * outage: found by GatewayOutageIT (one 500 among the 503s while PostgreSQL stopped under writes).
 */
class ApiExceptionHandlerTest {

    final ApiExceptionHandler handler = new ApiExceptionHandler();
    final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/calendar/events");

    @Test
    void aFailedRollbackOnALostConnectionIs503NotAn500() {
        // As GatewayOutageIT saw it: Hikari's closed proxy answers the rollback with no SQL state.
        var e = new JpaSystemException(new RuntimeException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")));
        var answer = handler.unexpected(e, request);
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("2");
        assertThat(answer.getBody().getProperties()).containsEntry("code", "SERVICE_UNAVAILABLE");
    }

    @Test
    void aServerShuttingDownIs503AndAnythingElseStays500() {
        var shutdown = new RuntimeException(new SQLException("terminating connection", "57P01"));
        assertThat(handler.unexpected(shutdown, request).getStatusCode().value())
                .isEqualTo(503);
        var bug = new IllegalStateException("a bug", new SQLException("syntax error", "42601"));
        assertThat(handler.unexpected(bug, request).getStatusCode().value()).isEqualTo(500);
    }
}
