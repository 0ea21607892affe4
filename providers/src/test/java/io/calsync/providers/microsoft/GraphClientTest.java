package io.calsync.providers.microsoft;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.providers.microsoft.GraphClient.Scope;
import io.calsync.providers.port.AccessTokenSource;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import io.calsync.providers.port.SyncTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How {@link GraphClient} reads Graph's answers: the error classification the retry policy acts on. */
class GraphClientTest {

    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");

    private static String error(String code) {
        return """
                {"error":{"code":"%s","message":"Mailbox of someone@contoso.test is busy","innerError":{}}}""".formatted(code);
    }

    private static ProviderException classify(int status, String retryAfter, String body, Scope scope) {
        return GraphClient.classify("op", status, retryAfter, body, scope, NOW);
    }

    @Test
    void unauthorizedIsUnauthorizedWhateverTheCall() {
        for (Scope scope : Scope.values()) {
            ProviderException e = classify(401, null, error("InvalidAuthenticationToken"), scope);
            assertThat(e.kind()).as(scope.name()).isEqualTo(Kind.UNAUTHORIZED);
            assertThat(e.code()).isEqualTo("InvalidAuthenticationToken");
        }
    }

    @Test
    void throttlingIsRateLimitedWithGraphsRetryAfter() {
        ProviderException tooMany = classify(429, "7", error("TooManyRequests"), Scope.DELTA);
        assertThat(tooMany.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(tooMany.retryable()).isTrue();

        ProviderException unavailable = classify(503, "12", error("ServiceNotAvailable"), Scope.EVENT);
        assertThat(unavailable.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(12));

        ProviderException gateway = classify(504, "Mon, 04 May 2026 10:00:30 GMT", null, Scope.OTHER);
        assertThat(gateway.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(gateway.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void otherServerErrorsAreTransient() {
        assertThat(classify(503, null, error("ServiceNotAvailable"), Scope.DELTA)
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(classify(504, null, null, Scope.EVENT).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(classify(500, null, "<html>oops</html>", Scope.CREATE).kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(classify(500, null, "<html>oops</html>", Scope.CREATE).code())
                .as("no Graph code: the status")
                .isEqualTo("500");
    }

    @Test
    void aDeadDeltaLinkIsSyncStateInvalid() {
        assertThat(classify(410, null, error("SyncStateNotFound"), Scope.DELTA).kind())
                .isEqualTo(Kind.SYNC_STATE_INVALID);
        assertThat(classify(410, null, null, Scope.DELTA).kind()).isEqualTo(Kind.SYNC_STATE_INVALID);
        for (String code : List.of("syncStateNotFound", "resyncRequired", "fullSyncRequired")) {
            ProviderException e = classify(400, null, error(code), Scope.DELTA);
            assertThat(e.kind()).as(code).isEqualTo(Kind.SYNC_STATE_INVALID);
            assertThat(e.code()).isEqualTo(code);
        }
        assertThat(classify(400, null, error("resyncRequired"), Scope.EVENT).kind())
                .as("only a delta has a sync state")
                .isEqualTo(Kind.PERMANENT);
    }

    @Test
    void oneEventGoneIsNotFoundButAMissingCalendarIsPermanent() {
        assertThat(classify(404, null, error("ErrorItemNotFound"), Scope.EVENT).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(classify(410, null, null, Scope.EVENT).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(classify(404, null, error("ErrorItemNotFound"), Scope.DELTA).kind())
                .isEqualTo(Kind.PERMANENT);
    }

    @Test
    void preconditionConflictAndOtherClientErrors() {
        assertThat(classify(412, null, error("ErrorIrresolvableConflict"), Scope.EVENT)
                        .kind())
                .isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(classify(409, null, error("ErrorDuplicateTransactionId"), Scope.CREATE)
                        .kind())
                .isEqualTo(Kind.CONFLICT);
        assertThat(classify(409, null, null, Scope.EVENT).kind()).isEqualTo(Kind.PERMANENT);
        ProviderException bad = classify(400, null, error("ErrorInvalidRequest"), Scope.CREATE);
        assertThat(bad.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(bad.retryable()).isFalse();
        assertThat(classify(403, null, error("ErrorAccessDenied"), Scope.DELTA).kind())
                .isEqualTo(Kind.PERMANENT);
    }

    @Test
    void messagesNameTheCallNotGraphsText() {
        ProviderException e = classify(400, null, error("ErrorInvalidRequest"), Scope.CREATE);

        assertThat(e.getMessage()).isEqualTo("Graph op answered 400 ErrorInvalidRequest");
        assertThat(e.getMessage()).doesNotContain("someone@contoso.test");
    }

    @Test
    void retryAfterInEitherForm() {
        assertThat(GraphClient.retryAfter("0", NOW)).isEqualTo(Duration.ZERO);
        assertThat(GraphClient.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(GraphClient.retryAfter("Mon, 04 May 2026 09:00:00 GMT", NOW))
                .as("a date already past")
                .isEqualTo(Duration.ZERO);
        assertThat(GraphClient.retryAfter("soon", NOW)).isNull();
        assertThat(GraphClient.retryAfter(null, NOW)).isNull();
    }

    @Test
    void changeKeysGoOutAsWeakEtags() {
        assertThat(GraphClient.etag("ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw=="))
                .isEqualTo("W/\"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==\"");
        assertThat(GraphClient.etag("W/\"abc\"")).isEqualTo("W/\"abc\"");
        assertThat(GraphClient.etag("*")).isEqualTo("*");
    }

    @Test
    void onlyLinksToTheConfiguredGraphAreFollowed() {
        GraphClient c =
                new GraphClient("https://graph.microsoft.com/v1.0/", new ProviderCalls(new SimpleMeterRegistry()));

        assertThat(c.link("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x"))
                .hasToString("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x");
        assertThat(c.link("https://graph.microsoft.com:443/v1.0/me/events?$skiptoken=y"))
                .isNotNull();
        assertThat(c.link("https://graph.microsoft.com.evil.test/v1.0/me/events"))
                .isNull();
        assertThat(c.link("http://graph.microsoft.com/v1.0/me/events")).isNull();
        assertThat(c.link("https://graph.microsoft.com/beta/me/events")).isNull();
        assertThat(c.link("not a url")).isNull();
        assertThat(c.link(null)).isNull();
    }

    @Test
    void aConnectionFailureIsTransientAndRetriedWithoutTheTokenInTheMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<Duration> sleeps = new ArrayList<>();
        ProviderCalls calls = new ProviderCalls(
                new SimpleMeterRegistry(), 3, Duration.ofMillis(1), Duration.ofMillis(5), sleeps::add);
        GraphClient c = new GraphClient("http://127.0.0.1:" + port + "/v1.0", calls);
        AccessTokenSource tokens = new AccessTokenSource() {
            @Override
            public String current() {
                return "secret-token-value";
            }

            @Override
            public String refreshed() {
                return "secret-token-value";
            }
        };
        SyncTarget target = new SyncTarget(
                UUID.randomUUID(), CalendarProvider.MICROSOFT, "cal", null, null, null, null, null, null, null, tokens);

        ProviderException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                ProviderException.class,
                () -> c.call(target, "events.get", "GET", c.url("/me/events/x"), null, null, null, Scope.EVENT));

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).doesNotContain("secret-token-value").doesNotContain("127.0.0.1");
        assertThat(sleeps).hasSize(2);
    }
}
