package io.calsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.calsync.gateway.application.ApiException;
import io.calsync.gateway.application.EventService;
import io.calsync.gateway.application.EventView;
import io.calsync.gateway.application.IdempotentCreates;
import io.calsync.gateway.persistence.EventReader;
import io.calsync.gateway.persistence.RateLimiter;
import io.calsync.gateway.persistence.RedisAvailability;
import io.calsync.gateway.persistence.UserDirectory;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.domain.EventStatus;
import io.calsync.model.domain.SyncStatus;
import io.calsync.model.security.JwtVerifier;
import io.calsync.model.security.VerifiedToken;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The event routes' web layer alone (services mocked): parameters, status codes, problem shapes and the JSON shape of
 * an event. The same routes run end to end in GatewayApiIT.
 */
@WebMvcTest(controllers = EventController.class)
@org.springframework.context.annotation.Import(SecurityConfiguration.class)
@TestPropertySource(properties = "spring.mvc.problemdetails.enabled=false")
class EventControllerSliceTest {

    static final UUID USER = UUID.randomUUID();
    static final UUID CALENDAR = UUID.randomUUID();

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    EventService events;

    @MockitoBean
    EventReader reader;

    @MockitoBean
    IdempotentCreates idempotent;

    @MockitoBean
    io.calsync.gateway.persistence.ChangeLog changes;

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
        when(verifier.verify("bad")).thenThrow(new io.calsync.model.security.InvalidTokenException("bad signature"));
        when(verifier.verify(org.mockito.ArgumentMatchers.isNull()))
                .thenThrow(new io.calsync.model.security.InvalidTokenException("no token"));
        when(users.idOf(org.mockito.ArgumentMatchers.eq("ada@example.com"), org.mockito.ArgumentMatchers.any()))
                .thenReturn(USER);
        when(limiter.acquire(any(), any())).thenReturn(new RateLimiter.Decision(true, 0));
    }

    static EventView event(String id) {
        return new EventView(
                id,
                CALENDAR,
                CalendarProvider.GOOGLE,
                null,
                null,
                "Review",
                null,
                null,
                Instant.parse("2026-11-24T10:00:00Z"),
                Instant.parse("2026-11-24T11:00:00Z"),
                false,
                null,
                null,
                "Europe/Berlin",
                EventStatus.CONFIRMED,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                SyncStatus.PENDING,
                null,
                Instant.now(),
                Instant.now(),
                3);
    }

    MvcTestResult get(String uri, String token) {
        return mvc.get().uri(uri).header("Authorization", "Bearer " + token).exchange();
    }

    @Test
    void theRangeNeedsAValidWindowOfAtMost366Days() {
        assertThat(get("/api/v1/calendar/events", "good"))
                .hasStatus(422)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .containsExactlyInAnyOrder("start", "end");
        assertThat(get("/api/v1/calendar/events?start=2026-01-01T00:00:00Z&end=2025-01-01T00:00:00Z", "good"))
                .hasStatus(422)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("VALIDATION_FAILED");
        assertThat(get("/api/v1/calendar/events?start=2026-01-01T00:00:00Z&end=2027-01-03T00:00:00Z", "good"))
                .hasStatus(422);
        assertThat(get("/api/v1/calendar/events?start=2026-01-01&end=2026-02-01T00:00:00Z", "good"))
                .hasStatus(422);
        // The contract's bounds: no year before 1900 or after 2200 reaches the reader (or PostgreSQL).
        assertThat(get("/api/v1/calendar/events?start=1899-12-31T00:00:00Z&end=1900-01-02T00:00:00Z", "good"))
                .hasStatus(422)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("start");
        assertThat(get("/api/v1/calendar/events?start=2200-12-31T00:00:00Z&end=2201-01-02T00:00:00Z", "good"))
                .hasStatus(422)
                .bodyJson()
                .extractingPath("$.errors[0].field")
                .isEqualTo("end");
        assertThat(get("/api/v1/calendar/events?start=+99999-01-01T00:00:00Z&end=+99999-01-02T00:00:00Z", "good"))
                .hasStatus(422);
        verify(reader, never()).range(any(), any(), any(), any(), anyBoolean());
    }

    @Test
    void theRangeAnswersEventsInTheContractShape() {
        when(reader.range(eq(USER), eq(null), any(), any(), eq(true)))
                .thenReturn(
                        new EventReader.Range(List.of(event(UUID.randomUUID().toString())), false));
        MvcTestResult r = get("/api/v1/calendar/events?start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z", "good");
        assertThat(r).hasStatusOk().hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        assertThat(r).bodyJson().extractingPath("$.events[0].isAllDay").isEqualTo(false);
        assertThat(r).bodyJson().extractingPath("$.events[0].startTime").isEqualTo("2026-11-24T10:00:00Z");
        assertThat(r).bodyJson().extractingPath("$.events[0].startDate").isNull();
        assertThat(r).bodyJson().extractingPath("$.events[0].syncStatus").isEqualTo("PENDING");
        assertThat(r).bodyJson().extractingPath("$.truncated").isEqualTo(false);
    }

    @Test
    void expandFalseAndACalendarFilterReachTheReader() {
        UUID calendar = UUID.randomUUID();
        when(reader.range(any(), any(), any(), any(), anyBoolean()))
                .thenReturn(new EventReader.Range(List.of(), false));
        assertThat(get(
                        "/api/v1/calendar/events?start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z&expand=false&calendarId="
                                + calendar,
                        "good"))
                .hasStatusOk();
        verify(reader)
                .range(
                        eq(USER),
                        eq(calendar),
                        eq(Instant.parse("2026-11-01T00:00:00Z")),
                        eq(Instant.parse("2026-12-01T00:00:00Z")),
                        eq(false));
        assertThat(get(
                        "/api/v1/calendar/events?start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z&calendarId=nope",
                        "good"))
                .hasStatus(422);
    }

    @Test
    void upcomingTakesALimitFrom1To100() {
        when(reader.upcoming(any(), anyInt(), any())).thenReturn(List.of());
        assertThat(get("/api/v1/calendar/events/upcoming", "good")).hasStatusOk();
        verify(reader).upcoming(eq(USER), eq(10), any());
        assertThat(get("/api/v1/calendar/events/upcoming?limit=100", "good")).hasStatusOk();
        for (String bad : List.of("0", "101", "-3", "ten")) {
            assertThat(get("/api/v1/calendar/events/upcoming?limit=" + bad, "good"))
                    .hasStatus(422);
        }
    }

    @Test
    void createAnswers201WithALocation() {
        when(events.create(eq(USER), any(), anyString())).thenReturn(event("e1"));
        MvcTestResult r = mvc.post()
                .uri("/api/v1/calendar/events")
                .header("Authorization", "Bearer good")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"calendarId\":\"" + CALENDAR + "\",\"title\":\"Review\"}")
                .exchange();
        assertThat(r).hasStatus(201).hasHeader("Location", "/api/v1/calendar/events/e1");
    }

    @Test
    void serviceErrorsBecomeProblems() {
        when(reader.get(USER, "missing")).thenThrow(ApiException.notFound("event"));
        MvcTestResult r = get("/api/v1/calendar/events/missing", "good");
        assertThat(r).hasStatus(404).hasContentTypeCompatibleWith("application/problem+json");
        assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("NOT_FOUND");
        when(events.update(eq(USER), eq("e1"), any(), anyString(), any(), any()))
                .thenThrow(ApiException.conflict("the calendar is read-only"));
        assertThat(mvc.put()
                        .uri("/api/v1/calendar/events/e1")
                        .header("Authorization", "Bearer good")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{}")
                        .exchange())
                .hasStatus(409)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("CONFLICT");
    }

    @Test
    void anOverloadedDatabaseIs503WithRetryAfterNot500() {
        when(reader.upcoming(any(), anyInt(), any()))
                .thenThrow(new org.springframework.transaction.CannotCreateTransactionException("pool exhausted"));
        MvcTestResult r = get("/api/v1/calendar/events/upcoming", "good");
        assertThat(r).hasStatus(503).hasHeader("Retry-After", "2");
        assertThat(r).bodyJson().extractingPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
    }

    @Test
    void noTokenOrABadOneIs401AndNothingIsRead() {
        assertThat(mvc.get().uri("/api/v1/calendar/events/upcoming").exchange())
                .hasStatus(401)
                .bodyJson()
                .extractingPath("$.code")
                .isEqualTo("UNAUTHENTICATED");
        assertThat(get("/api/v1/calendar/events/upcoming", "bad")).hasStatus(401);
        verify(reader, never()).upcoming(any(), anyInt(), any());
    }

    @Test
    void deleteAnswers204AndRetryAnswers202() {
        assertThat(mvc.delete()
                        .uri("/api/v1/calendar/events/e1")
                        .header("Authorization", "Bearer good")
                        .exchange())
                .hasStatus(204);
        verify(events).delete(eq(USER), eq("e1"), anyString(), any(), any());
        assertThat(mvc.post()
                        .uri("/api/v1/calendar/events/e1/retry-sync")
                        .header("Authorization", "Bearer good")
                        .exchange())
                .hasStatus(202);
    }
}
