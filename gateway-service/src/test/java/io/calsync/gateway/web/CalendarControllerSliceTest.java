package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.CalendarService;
import io.calsync.gateway.persistence.RateLimiter;
import io.calsync.gateway.persistence.RedisAvailability;
import io.calsync.gateway.persistence.UserDirectory;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.VerifiedToken;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The calendar routes' web layer alone: statuses, bodies and problem shapes (end to end in GatewayApiIT). */
@WebMvcTest(controllers = CalendarController.class)
@org.springframework.context.annotation.Import(SecurityConfiguration.class)
@TestPropertySource(properties = "spring.mvc.problemdetails.enabled=false")
class CalendarControllerSliceTest {

    static final UUID USER = UUID.randomUUID();

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    CalendarService calendars;

    @MockitoBean
    JwtVerifier verifier;

    @MockitoBean
    UserDirectory users;

    @MockitoBean
    RateLimiter limiter;

    @MockitoBean
    RedisAvailability redis;

    @BeforeEach
    void authenticated() {
        when(verifier.verify("good"))
                .thenReturn(new VerifiedToken(
                        "ada@example.com", "sub", "jti", Instant.now().plusSeconds(60)));
        when(users.idOf(org.mockito.ArgumentMatchers.eq("ada@example.com"), org.mockito.ArgumentMatchers.any()))
                .thenReturn(USER);
        when(limiter.acquire(any(), any())).thenReturn(new RateLimiter.Decision(true, 0));
    }

    MvcTestResult call(String method, String uri) {
        return mvc.method(org.springframework.http.HttpMethod.valueOf(method))
                .uri(uri)
                .header("Authorization", "Bearer good")
                .exchange();
    }

    @Test
    void statsListEveryProvider() {
        Map<CalendarProvider, Long> byProvider = new EnumMap<>(CalendarProvider.class);
        for (CalendarProvider p : CalendarProvider.values()) {
            byProvider.put(p, p == CalendarProvider.GOOGLE ? 2L : 0L);
        }
        when(calendars.stats(USER)).thenReturn(new CalendarService.Stats(2, byProvider, 10, 4, 1, null));
        MvcTestResult r = call("GET", "/api/v1/calendar/calendars/stats");
        assertThat(r).hasStatusOk();
        assertThat(r).bodyJson().extractingPath("$.byProvider.GOOGLE").isEqualTo(2);
        assertThat(r).bodyJson().extractingPath("$.byProvider.APPLE").isEqualTo(0);
        assertThat(r).bodyJson().extractingPath("$.lastSyncedAt").isNull();
        assertThat(r).bodyJson().extractingPath("$.failedSyncs").isEqualTo(1);
    }

    @Test
    void syncIsQueuedWithTheRequestId() {
        UUID id = UUID.randomUUID();
        when(calendars.requestSync(eq(USER), eq(id), anyString())).thenAnswer(a -> a.getArgument(2));
        MvcTestResult r = mvc.post()
                .uri("/api/v1/calendar/calendars/" + id + "/sync")
                .header("Authorization", "Bearer good")
                .header("X-Request-Id", "req-42")
                .exchange();
        assertThat(r).hasStatus(202);
        assertThat(r).bodyJson().extractingPath("$.status").isEqualTo("QUEUED");
        assertThat(r).bodyJson().extractingPath("$.requestId").isEqualTo("req-42");
        when(calendars.requestSyncAll(eq(USER), anyString())).thenReturn(3);
        assertThat(call("POST", "/api/v1/calendar/calendars/sync-all"))
                .hasStatus(202)
                .bodyJson()
                .extractingPath("$.queued")
                .isEqualTo(3);
    }

    @Test
    void unknownOrForeignCalendarsAndIdsThatCannotBeIdsAre404() {
        UUID id = UUID.randomUUID();
        when(calendars.get(USER, id)).thenThrow(ApiException.notFound("calendar"));
        assertThat(call("GET", "/api/v1/calendar/calendars/" + id))
                .hasStatus(404)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("NOT_FOUND");
        assertThat(call("GET", "/api/v1/calendar/calendars/42"))
                .hasStatus(404)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("NOT_FOUND");
        assertThat(call("PUT", "/api/v1/calendar/calendars"))
                .hasStatus(405)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void deleteAnswers204() {
        assertThat(call("DELETE", "/api/v1/calendar/calendars/" + UUID.randomUUID()))
                .hasStatus(204);
    }
}
