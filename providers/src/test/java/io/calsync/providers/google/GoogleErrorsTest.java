package io.calsync.providers.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import io.calsync.providers.google.GoogleErrors.Call;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Google's error answers as the engine's error kinds, as the task's table and Google's error guide have them. */
class GoogleErrorsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    private static GoogleJsonResponseException google(int status, String reason, String retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        if (retryAfter != null) {
            headers.setRetryAfter(retryAfter);
        }
        GoogleJsonError details = null;
        if (reason != null) {
            GoogleJsonError.ErrorInfo info = new GoogleJsonError.ErrorInfo();
            info.setReason(reason);
            info.setDomain("global");
            info.setMessage("Event 'Dinner with Ana' token ya29.secret is no good"); // never copied into ours
            details = new GoogleJsonError();
            details.setCode(status);
            details.setErrors(List.of(info));
            details.setMessage(info.getMessage());
        }
        return new GoogleJsonResponseException(
                new HttpResponseException.Builder(status, "status text", headers), details);
    }

    @ParameterizedTest(name = "{0} {1} on {2} -> {3}")
    @CsvSource(
            nullValues = "-",
            value = {
                "401, authError, LIST, UNAUTHORIZED",
                "403, rateLimitExceeded, LIST, RATE_LIMITED",
                "403, userRateLimitExceeded, INSERT, RATE_LIMITED",
                "403, quotaExceeded, SINGLE_EVENT, RATE_LIMITED",
                "429, rateLimitExceeded, LIST_INCREMENTAL, RATE_LIMITED",
                "429, -, OTHER, RATE_LIMITED",
                "403, forbidden, SINGLE_EVENT, PERMANENT",
                "403, requiredAccessLevel, INSERT, PERMANENT",
                "410, fullSyncRequired, LIST_INCREMENTAL, SYNC_STATE_INVALID",
                "410, updatedMinTooLongAgo, LIST, SYNC_STATE_INVALID",
                "410, -, LIST_INCREMENTAL, SYNC_STATE_INVALID",
                "410, deleted, SINGLE_EVENT, NOT_FOUND",
                "404, notFound, SINGLE_EVENT, NOT_FOUND",
                "404, notFound, LIST, PERMANENT",
                "404, notFound, CHANNEL, NOT_FOUND",
                "400, channelIdNotUnique, CHANNEL, PERMANENT",
                "403, rateLimitExceeded, CHANNEL, RATE_LIMITED",
                "412, conditionNotMet, SINGLE_EVENT, PRECONDITION_FAILED",
                "409, duplicate, INSERT, CONFLICT",
                "409, duplicate, SINGLE_EVENT, PERMANENT",
                "500, backendError, LIST, TRANSIENT",
                "503, -, INSERT, TRANSIENT",
                "400, badRequest, LIST, PERMANENT",
                "400, syncTokenWithRequestRestrictions, LIST_INCREMENTAL, PERMANENT"
            })
    void classifiesByStatusReasonAndCall(int status, String reason, Call call, Kind expected) {
        ProviderException e = GoogleErrors.translate("events.list", call, google(status, reason, null), CLOCK);

        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(reason != null ? reason : String.valueOf(status));
        assertThat(e.retryable()).isEqualTo(expected == Kind.RATE_LIMITED || expected == Kind.TRANSIENT);
    }

    @Test
    void messageNamesOperationStatusAndReasonButNotGooglesText() {
        ProviderException e =
                GoogleErrors.translate("events.update", Call.SINGLE_EVENT, google(412, "conditionNotMet", null), CLOCK);

        assertThat(e.getMessage())
                .isEqualTo("Google events.update answered 412 conditionNotMet")
                .doesNotContain("ya29")
                .doesNotContain("Dinner");
    }

    @Test
    void retryAfterInSecondsOrAsHttpDate() {
        assertThat(GoogleErrors.translate("events.list", Call.LIST, google(429, null, "17"), CLOCK)
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(17));
        assertThat(GoogleErrors.translate(
                                "events.list",
                                Call.LIST,
                                google(403, "rateLimitExceeded", "Tue, 24 Nov 2026 10:01:30 GMT"),
                                CLOCK)
                        .retryAfter())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(GoogleErrors.parseRetryAfter("Tue, 24 Nov 2026 09:00:00 GMT", CLOCK))
                .as("a date in the past means now")
                .isEqualTo(Duration.ZERO);
        assertThat(GoogleErrors.parseRetryAfter("soon", CLOCK)).isNull();
        assertThat(GoogleErrors.parseRetryAfter("", CLOCK)).isNull();
        assertThat(GoogleErrors.parseRetryAfter(null, CLOCK)).isNull();
        assertThat(GoogleErrors.translate("events.list", Call.LIST, google(429, null, null), CLOCK)
                        .retryAfter())
                .isNull();
    }

    @Test
    void noAnswerAtAllIsTransient() {
        ProviderException e = GoogleErrors.translate(
                "events.list",
                Call.LIST,
                new SocketTimeoutException(
                        "Read timed out for https://www.googleapis.com/...?syncToken=CPDAlvWDx70CEPDAlvWDx70CGAU="),
                CLOCK);

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.status()).isZero();
        assertThat(e.code()).isEqualTo("io");
        assertThat(e.getMessage()).contains("SocketTimeoutException").doesNotContain("syncToken");
    }

    @Test
    void aNonJsonErrorBodyStillClassifiesByStatus() {
        HttpResponseException plain = new HttpResponseException.Builder(502, "Bad Gateway", new HttpHeaders()).build();

        ProviderException e = GoogleErrors.translate("events.get", Call.SINGLE_EVENT, plain, CLOCK);

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.code()).isEqualTo("502");
    }
}
