package io.calsync.sandbox.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Accounts and run-time settings, shared by both providers. Everything is in memory; {@link #reset()} (and the
 * control API's {@code POST /control/reset}) empties the sandbox, telling every registered store to drop its data.
 */
@Component
public class SandboxState {

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final List<Consumer<SandboxState>> resetListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private volatile boolean autoApprove;
    private volatile Duration accessTokenTtl;
    private volatile Duration microsoftRefreshGrace;

    public SandboxState(SandboxSettings settings) {
        this.clock = Clock.systemUTC();
        this.autoApprove = settings.autoApprove();
        this.accessTokenTtl = settings.accessTokenTtl();
        this.microsoftRefreshGrace = settings.microsoftRefreshGrace();
    }

    public Clock clock() {
        return clock;
    }

    public Account createAccount(Provider provider, String email, String displayName) {
        String id = provider == Provider.GOOGLE
                ? String.valueOf(
                        100_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999_999_999L))
                : java.util.UUID.randomUUID().toString();
        Account account = new Account(id, provider, email.toLowerCase(Locale.ROOT), displayName);
        if (findByEmail(provider, account.email()).isPresent()) {
            throw new IllegalArgumentException("an account " + account.email() + " exists already at " + provider);
        }
        accounts.put(id, account);
        return account;
    }

    public Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    public Optional<Account> findByEmail(Provider provider, String email) {
        return accounts.values().stream()
                .filter(a -> a.provider() == provider && a.email().equalsIgnoreCase(email))
                .findFirst();
    }

    public List<Account> accounts(Provider provider) {
        List<Account> list = new ArrayList<>(
                accounts.values().stream().filter(a -> a.provider() == provider).toList());
        list.sort(java.util.Comparator.comparing(Account::email));
        return list;
    }

    public List<Account> accounts() {
        return List.copyOf(accounts.values());
    }

    /** Stores of provider data register here so that a reset clears them too. */
    public void onReset(Consumer<SandboxState> listener) {
        resetListeners.add(listener);
    }

    public void reset() {
        accounts.clear();
        resetListeners.forEach(l -> l.accept(this));
    }

    public boolean autoApprove() {
        return autoApprove;
    }

    public void setAutoApprove(boolean autoApprove) {
        this.autoApprove = autoApprove;
    }

    public Duration accessTokenTtl() {
        return accessTokenTtl;
    }

    public void setAccessTokenTtl(Duration ttl) {
        this.accessTokenTtl = ttl;
    }

    public Duration microsoftRefreshGrace() {
        return microsoftRefreshGrace;
    }

    public void setMicrosoftRefreshGrace(Duration grace) {
        this.microsoftRefreshGrace = grace;
    }
}
