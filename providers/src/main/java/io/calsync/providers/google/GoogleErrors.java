package io.calsync.providers.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import io.calsync.providers.port.ProviderException;
import io.calsync.providers.port.ProviderException.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Google's answers as {@link ProviderException}s, so that {@link io.calsync.providers.port.ProviderCalls} can decide
 * between backing off, refreshing the token and giving up. The classification depends on what was asked: a 410 is a
 * dead sync token on an incremental list, a deleted event on a single-event call.
 *
 * <p>Messages name the operation, the status and Google's reason only: never a token (access or sync), a URL (its
 * query holds the sync token) or Google's free-text message (it may quote the event's content).
 */
final class GoogleErrors {

    /** What the failed call was, as far as the classification cares. */
    enum Call {
        /** events.list without a sync token (a full pass). */
        LIST,
        /** events.list with a sync token. */
        LIST_INCREMENTAL,
        /** events.insert: 409 means our client-chosen id is taken. */
        INSERT,
        /** get, update, patch, delete of one event: 404/410 mean it is gone. */
        SINGLE_EVENT,
        /**
         * events.watch and channels.stop: 404 means the calendar (watch) or the channel (stop) is unknown, which a
         * stop takes as "already gone".
         */
        CHANNEL,
        /** Anything else (calendarList.get). */
        OTHER
    }

    /** Reasons of a 403 that mean "slow down", not "forbidden" (Google's "Handle API errors" guide). */
    private static final Set<String> RATE_LIMIT_REASONS =
            Set.of("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded");

    private static final Set<String> SYNC_STATE_REASONS = Set.of("fullSyncRequired", "updatedMinTooLongAgo");

    private GoogleErrors() {}

    /** Translates what the Google client threw. */
    static ProviderException translate(String operation, Call call, IOException e) {
        return translate(operation, call, e, Clock.systemUTC());
    }

    static ProviderException translate(String operation, Call call, IOException e, Clock clock) {
        if (!(e instanceof HttpResponseException http)) {
            // No answer at all (timeout, reset, refused): worth another try. The class name is safe to log, the
            // message may carry the URL.
            return new ProviderException(
                    Kind.TRANSIENT,
                    0,
                    "io",
                    "Google " + operation + " failed without an answer: "
                            + e.getClass().getSimpleName());
        }
        int status = http.getStatusCode();
        String reason = reason(http);
        String code = reason != null ? reason : String.valueOf(status);
        Duration retryAfter = retryAfter(http.getHeaders(), clock);
        Kind kind = classify(status, reason, call);
        String message = "Google " + operation + " answered " + status + (reason == null ? "" : " " + reason);
        return new ProviderException(kind, status, code, message, retryAfter);
    }

    static Kind classify(int status, String reason, Call call) {
        if (status == 401) {
            return Kind.UNAUTHORIZED;
        }
        if (status == 429 || (status == 403 && reason != null && RATE_LIMIT_REASONS.contains(reason))) {
            return Kind.RATE_LIMITED;
        }
        if (status >= 500) {
            return Kind.TRANSIENT;
        }
        if (status == 410) {
            if (call == Call.LIST_INCREMENTAL || (reason != null && SYNC_STATE_REASONS.contains(reason))) {
                return Kind.SYNC_STATE_INVALID;
            }
            if (call == Call.SINGLE_EVENT) {
                return Kind.NOT_FOUND;
            }
            return Kind.PERMANENT;
        }
        if (status == 404 && (call == Call.SINGLE_EVENT || call == Call.CHANNEL)) {
            return Kind.NOT_FOUND;
        }
        if (status == 412) {
            return Kind.PRECONDITION_FAILED;
        }
        if (status == 409 && call == Call.INSERT) {
            return Kind.CONFLICT;
        }
        return Kind.PERMANENT;
    }

    /** Google's first error reason ({@code rateLimitExceeded}, {@code fullSyncRequired}), or null. */
    private static String reason(HttpResponseException e) {
        if (e instanceof GoogleJsonResponseException json) {
            GoogleJsonError details = json.getDetails();
            if (details != null
                    && details.getErrors() != null
                    && !details.getErrors().isEmpty()) {
                String reason = details.getErrors().get(0).getReason();
                if (reason != null && !reason.isBlank()) {
                    return reason;
                }
            }
        }
        return null;
    }

    private static Duration retryAfter(HttpHeaders headers, Clock clock) {
        return headers == null ? null : parseRetryAfter(headers.getRetryAfter(), clock);
    }

    /**
     * {@code Retry-After} as RFC 9110 allows it: delay-seconds or an HTTP-date (then the time until it, never
     * negative). Anything else is ignored rather than failing the call over a header.
     */
    static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Instant at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}
