package io.calsync.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sandbox.core.SandboxSettings;
import io.calsync.sandbox.core.SandboxState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@code sandbox.latency} and {@code sandbox.latency-jitter}: every provider call waits, the control API never. */
class StandingLatencyTest {

    final Faults faults = new Faults(new SandboxState(new SandboxSettings(
            true,
            Duration.ofHours(1),
            Duration.ofMinutes(1),
            new SandboxSettings.Client("g", "g", null),
            new SandboxSettings.Client("m", "m", "common"))));

    long millis(FaultFilter filter, String path) throws Exception {
        long started = System.nanoTime();
        filter.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), new MockFilterChain());
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void providerCallsWaitTheLatencyWithinItsJitterAndControlCallsDoNot() throws Exception {
        FaultFilter filter = new FaultFilter(faults, Duration.ofMillis(150), Duration.ofMillis(50));
        for (String path : new String[] {
            "/google/calendar/v3/calendars/primary/events",
            "/graph/v1.0/me/events",
            "/microsoft/common/oauth2/v2.0/token"
        }) {
            assertThat(millis(filter, path)).as(path).isBetween(100L, 400L);
        }
        assertThat(millis(filter, "/control/accounts")).isLessThan(50L);
        assertThat(millis(new FaultFilter(faults, Duration.ZERO, Duration.ZERO), "/google/calendar/v3/x"))
                .as("none by default")
                .isLessThan(50L);
    }
}
