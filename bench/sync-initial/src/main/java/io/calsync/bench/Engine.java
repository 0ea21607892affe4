package io.calsync.bench;

import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.AuditLogEntryRepository;
import io.calsync.model.security.TokenCipher;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.providers.google.GoogleCalendarSync;
import io.calsync.providers.oauth.AccessTokens;
import io.calsync.providers.oauth.ProviderEndpoints;
import io.calsync.providers.oauth.ProviderTokenClient;
import io.calsync.providers.port.PageSink;
import io.calsync.providers.port.ProviderCalls;
import io.calsync.providers.port.ProviderSync;
import io.calsync.providers.port.SyncResult;
import io.calsync.providers.port.SyncTarget;
import io.calsync.sync.application.SyncEngine;
import io.calsync.sync.application.SyncProperties;
import io.calsync.sync.persistence.Audit;
import io.calsync.sync.persistence.Connections;
import io.calsync.sync.persistence.EventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * sync-service's engine assembled by hand, the way its Spring configuration (SyncConfiguration and the components)
 * assembles it, minus Kafka and the write-back: a JdbcTemplate and a DataSourceTransactionManager over the pool,
 * {@link EventStore}, {@link Connections}, {@link Audit}, the outbox writer, {@link AccessTokens} with the provider
 * token client, the shared retry policy, {@link SyncProperties} at their defaults, and the Google adapter.
 *
 * <p>The adapter is wrapped in {@link Timed}, which only reads the clock around the adapter and around each page the
 * engine stores (a few calls of {@code System.nanoTime()} per page): that is how the report splits a round into the
 * provider's pages, the page upserts and the rest.
 */
final class Engine {

    final SyncEngine engine;
    final Timed timed;
    final SyncProperties properties;
    private final SimpleMeterRegistry meters;

    Engine(DataSource pool, TokenCipher cipher, ProviderEndpoints endpoints) {
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(pool);
        Clock clock = Clock.systemUTC();
        meters = new SimpleMeterRegistry();
        // The defaults exactly as Spring binds them for an empty calsync.sync.* (its @DefaultValue annotations).
        properties = new Binder().bindOrCreate("calsync.sync", SyncProperties.class);
        AccessTokens tokens = new AccessTokens(
                jdbc,
                transactions,
                cipher,
                new ProviderTokenClient(endpoints, clock),
                refusingAuditRepository(),
                clock);
        ProviderCalls calls = new ProviderCalls(
                meters,
                properties.providerMaxAttempts(),
                properties.providerBaseDelay(),
                properties.providerMaxDelay(),
                d -> Thread.sleep(d.toMillis()));
        timed = new Timed(new GoogleCalendarSync(endpoints, calls));
        engine = new SyncEngine(
                new Connections(jdbc),
                new EventStore(jdbc),
                new Audit(jdbc),
                new OutboxWriter(jdbc, "bench"),
                tokens,
                transactions,
                meters,
                properties,
                clock,
                List.of(timed),
                List.of());
    }

    /** Failed provider calls so far (each one retried with backoff, which would lengthen its round). */
    double providerErrors() {
        return meters.find("calsync.sync.provider.errors").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /**
     * AccessTokens writes its audit row through a JPA repository, and only when the provider refuses the refresh
     * token. The bench has no JPA (the engine's own audit rows go through JdbcTemplate) and its sandbox grant is never
     * revoked; should that happen anyway, this says so instead of a NullPointerException.
     */
    private static AuditLogEntryRepository refusingAuditRepository() {
        return (AuditLogEntryRepository) Proxy.newProxyInstance(
                Engine.class.getClassLoader(),
                new Class<?>[] {AuditLogEntryRepository.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "refusingAuditRepository";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                    throw new IllegalStateException("the sandbox refused the bench connection's refresh token ("
                            + method.getName() + " of the audit log was called): the run is invalid");
                });
    }

    /** The Google adapter with a stopwatch around it and around the engine's handling of each page. */
    static final class Timed implements ProviderSync {
        private final ProviderSync delegate;
        long adapterNanos;
        long sinkNanos;
        int pages;

        Timed(ProviderSync delegate) {
            this.delegate = delegate;
        }

        void reset() {
            adapterNanos = 0;
            sinkNanos = 0;
            pages = 0;
        }

        @Override
        public CalendarProvider provider() {
            return delegate.provider();
        }

        @Override
        public SyncResult sync(SyncTarget target, PageSink sink) {
            long t0 = System.nanoTime();
            try {
                return delegate.sync(target, (upserts, removed) -> {
                    long s = System.nanoTime();
                    try {
                        sink.accept(upserts, removed);
                    } finally {
                        sinkNanos += System.nanoTime() - s;
                        pages++;
                    }
                });
            } finally {
                adapterNanos += System.nanoTime() - t0;
            }
        }
    }
}
