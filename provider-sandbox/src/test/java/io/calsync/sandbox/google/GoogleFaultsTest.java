package io.calsync.sandbox.google;

import static io.calsync.sandbox.google.GoogleApiTestSupport.googleError;
import static io.calsync.sandbox.google.GoogleApiTestSupport.newUser;
import static io.calsync.sandbox.google.GoogleApiTestSupport.reason;
import static io.calsync.sandbox.google.GoogleApiTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.faults.FaultRule;
import io.calsync.sandbox.faults.Faults;
import io.calsync.sandbox.google.GoogleApiTestSupport.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults injected through the generic fault API reach the client as Google's errors. */
class GoogleFaultsTest {

    private final Faults faults = sandbox().bean(Faults.class);

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void rateLimitAs429() throws Exception {
        User user = newUser();
        faults.add(new FaultRule(null, Provider.GOOGLE, "GET", "/events", FaultRule.Kind.RATE_LIMIT, 429, 0, 7, 1));

        GoogleJsonResponseException e =
                googleError(() -> user.client().events().list("primary").execute());

        assertThat(e.getStatusCode()).isEqualTo(429);
        assertThat(reason(e)).isEqualTo("rateLimitExceeded");
        assertThat(e.getHeaders().getFirstHeaderStringValue("Retry-After")).isEqualTo("7");
        // The rule fired once; the next call goes through.
        assertThat(user.client().events().list("primary").execute().getItems()).isEmpty();
    }

    @Test
    void rateLimitAs403() throws Exception {
        User user = newUser();
        faults.add(new FaultRule(null, Provider.GOOGLE, "GET", "/events", FaultRule.Kind.RATE_LIMIT, 403, 0, 0, 1));

        GoogleJsonResponseException e =
                googleError(() -> user.client().events().list("primary").execute());

        assertThat(e.getStatusCode()).isEqualTo(403);
        assertThat(reason(e)).isEqualTo("rateLimitExceeded");
        assertThat(e.getDetails().getErrors().get(0).getDomain()).isEqualTo("usageLimits");
    }

    @Test
    void patchFaultsMatchTheOverriddenMethod() throws Exception {
        User user = newUser();
        var event = GoogleEventsSyncTest.insert(user.client(), "x", "2026-03-01T10:00:00Z");
        // The client tunnels PATCH through POST + X-HTTP-Method-Override; faults still see PATCH.
        faults.add(new FaultRule(null, Provider.GOOGLE, "PATCH", "/events/", FaultRule.Kind.ERROR, 503, 0, 0, 1));

        GoogleJsonResponseException e = googleError(() -> user.client()
                .events()
                .patch("primary", event.getId(), new com.google.api.services.calendar.model.Event().setSummary("y"))
                .execute());

        assertThat(e.getStatusCode()).isEqualTo(503);
        assertThat(reason(e)).isEqualTo("backendError");
    }
}
