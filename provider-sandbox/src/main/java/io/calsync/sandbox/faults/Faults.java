package io.calsync.sandbox.faults;

import io.calsync.sandbox.core.Ids;
import io.calsync.sandbox.core.Provider;
import io.calsync.sandbox.core.SandboxState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** The active fault rules, in the order they were added; the first match fires. */
@Component
public class Faults {

    private record Active(FaultRule rule, Pattern path, AtomicInteger left) {}

    private final List<Active> rules = new ArrayList<>();

    public Faults(SandboxState state) {
        state.onReset(s -> clear());
    }

    public synchronized FaultRule add(FaultRule rule) {
        FaultRule withId = new FaultRule(
                rule.id() == null ? Ids.token(6) : rule.id(),
                rule.provider(),
                rule.method(),
                rule.pathPattern(),
                rule.kind(),
                rule.status(),
                rule.latencyMs(),
                rule.retryAfterSeconds(),
                rule.times() == 0 ? 1 : rule.times());
        rules.add(new Active(
                withId,
                Pattern.compile(withId.pathPattern() == null ? ".*" : withId.pathPattern()),
                new AtomicInteger(withId.times())));
        return withId;
    }

    public synchronized void clear() {
        rules.clear();
    }

    public synchronized List<FaultRule> list() {
        return rules.stream().map(Active::rule).toList();
    }

    /** The HTTP fault for this request, if one matches; each match uses up one of its times. */
    public synchronized Optional<FaultRule> matchRequest(Provider provider, String method, String path) {
        for (Active a : new ArrayList<>(rules)) {
            FaultRule r = a.rule();
            if (r.isNotificationFault() || (r.provider() != null && r.provider() != provider)) {
                continue;
            }
            if (r.method() != null && !r.method().equalsIgnoreCase(method)) {
                continue;
            }
            if (!a.path().matcher(path).find()) {
                continue;
            }
            use(a);
            return Optional.of(r);
        }
        return Optional.empty();
    }

    /** The notification fault for the next delivery of a provider, if any. */
    public synchronized Optional<FaultRule.Kind> matchNotification(Provider provider) {
        for (Active a : new ArrayList<>(rules)) {
            FaultRule r = a.rule();
            if (r.isNotificationFault() && (r.provider() == null || r.provider() == provider)) {
                use(a);
                return Optional.of(r.kind());
            }
        }
        return Optional.empty();
    }

    private void use(Active a) {
        if (a.left().get() > 0 && a.left().decrementAndGet() == 0) {
            rules.remove(a);
        }
    }
}
