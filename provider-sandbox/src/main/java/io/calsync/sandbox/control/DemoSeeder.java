package io.calsync.sandbox.control;

import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code sandbox.seed-demo=true} ({@code ./run --sandbox}), creates one demo account per provider at start, and
 * lets each provider's store fill it with calendars and events ({@link DemoData} beans).
 */
@Component
@ConditionalOnProperty(name = "sandbox.seed-demo", havingValue = "true")
public class DemoSeeder implements ApplicationRunner {

    public static final String GOOGLE_DEMO = "demo@gmail.sandbox.test";
    public static final String MICROSOFT_DEMO = "demo@outlook.sandbox.test";
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private final SandboxState state;
    private final ObjectProvider<DemoData> demoData;

    public DemoSeeder(SandboxState state, ObjectProvider<DemoData> demoData) {
        this.state = state;
        this.demoData = demoData;
    }

    /** A provider's contribution to the demo: calendars and events for its demo account. */
    public interface DemoData {
        void seed(io.calsync.sandbox.core.Account account);

        Provider provider();
    }

    @Override
    public void run(ApplicationArguments args) {
        var google = state.findByEmail(Provider.GOOGLE, GOOGLE_DEMO)
                .orElseGet(() -> state.createAccount(Provider.GOOGLE, GOOGLE_DEMO, "Demo Google User"));
        var microsoft = state.findByEmail(Provider.MICROSOFT, MICROSOFT_DEMO)
                .orElseGet(() -> state.createAccount(Provider.MICROSOFT, MICROSOFT_DEMO, "Demo Outlook User"));
        List<DemoData> seeders = demoData.orderedStream().toList();
        for (DemoData d : seeders) {
            d.seed(d.provider() == Provider.GOOGLE ? google : microsoft);
        }
        log.info(
                "demo accounts ready: {} (Google), {} (Microsoft); {} provider seeders ran",
                GOOGLE_DEMO,
                MICROSOFT_DEMO,
                seeders.size());
    }
}
