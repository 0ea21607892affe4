package io.calsync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sandbox.control.DemoSeeder;
import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import io.calsync.sandbox.google.GoogleCalendarStore;
import io.calsync.sandbox.microsoft.MicrosoftStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./run --sandbox} seeds one demo account per provider with calendars and upcoming events. */
class DemoSeedTest {

    @Test
    void bothDemoAccountsHaveCalendarsAndUpcomingEvents() {
        try (SandboxServer sandbox = SandboxServer.start(Map.of("sandbox.seed-demo", "true"))) {
            SandboxState state = sandbox.bean(SandboxState.class);
            Account google =
                    state.findByEmail(Provider.GOOGLE, DemoSeeder.GOOGLE_DEMO).orElseThrow();
            Account outlook = state.findByEmail(Provider.MICROSOFT, DemoSeeder.MICROSOFT_DEMO)
                    .orElseThrow();

            assertThat(sandbox.bean(GoogleCalendarStore.class).calendarEntries(google.id()))
                    .hasSizeGreaterThanOrEqualTo(3);

            MicrosoftStore graph = sandbox.bean(MicrosoftStore.class);
            assertThat(graph.calendars(outlook)).hasSize(2);
            Instant now = Instant.now();
            var view = graph.calendarView(outlook, null, now.minus(Duration.ofDays(7)), now.plus(Duration.ofDays(30)));
            assertThat(view).hasSizeGreaterThanOrEqualTo(5);
            assertThat(view.stream().map(v -> v.json().get("type").asString()))
                    .contains("occurrence", "exception", "singleInstance");
        }
    }
}
