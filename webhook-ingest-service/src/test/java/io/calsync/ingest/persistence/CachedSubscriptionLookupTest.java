package io.calsync.ingest.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.ingest.IngestProperties;
import io.calsync.ingest.application.VerificationUnavailableException;
import io.calsync.model.domain.CalendarProvider;
import io.calsync.model.persistence.WebhookSubscription;
import io.calsync.model.persistence.WebhookSubscriptionRepository;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.util.unit.DataSize;

/**
 * The lookup's cache against a table that knows the ids starting with {@code known}: one query per request's batch,
 * per-value expiry, and a full cache that evicts entries one at a time, so a flood of unknown ids cannot empty it.
 */
class CachedSubscriptionLookupTest {

    final AtomicLong nanos = new AtomicLong();
    final List<Collection<String>> queries = new ArrayList<>();
    boolean down;

    final WebhookSubscriptionRepository table = (WebhookSubscriptionRepository) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {WebhookSubscriptionRepository.class}, (proxy, m, args) -> {
                if (!m.getName().equals("findByProviderAndSubscriptionIdIn")) {
                    throw new UnsupportedOperationException(m.getName());
                }
                if (down) {
                    throw new DataAccessResourceFailureException("down");
                }
                @SuppressWarnings("unchecked")
                Collection<String> ids = List.copyOf((Collection<String>) args[1]);
                queries.add(ids);
                return ids.stream()
                        .filter(id -> id.startsWith("known"))
                        .map(id -> {
                            WebhookSubscription s = new WebhookSubscription(
                                    UUID.randomUUID(),
                                    CalendarProvider.MICROSOFT,
                                    id,
                                    Instant.parse("2030-01-01T00:00:00Z"));
                            s.setClientState("secret-" + id);
                            return s;
                        })
                        .toList();
            });

    CachedSubscriptionLookup lookup(int size) {
        IngestProperties p = new IngestProperties(
                DataSize.ofMegabytes(1),
                Duration.ofMillis(2500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                size);
        return new CachedSubscriptionLookup(table, p, nanos::get);
    }

    @Test
    void aRequestsIdsAreLookedUpInOneQueryAndThenCached() {
        CachedSubscriptionLookup lookup = lookup(100);
        var found = lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-1", "known-2", "nope-1", "known-1"));
        assertThat(found).containsOnlyKeys("known-1", "known-2");
        assertThat(found.get("known-2").secret()).isEqualTo("secret-known-2");
        assertThat(queries).hasSize(1);
        assertThat(queries.getFirst()).contains("known-1", "known-2", "nope-1");

        assertThat(lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-1", "nope-1")))
                .containsOnlyKeys("known-1");
        assertThat(queries).as("both answers cached, the unknown one too").hasSize(1);
    }

    @Test
    void anUnknownIdIsAskedForAgainSoonAKnownOneLater() {
        CachedSubscriptionLookup lookup = lookup(100);
        lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-1", "nope-1"));
        nanos.addAndGet(Duration.ofSeconds(3).toNanos()); // past the unknown TTL (2 s), inside the known one (30 s)
        lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-1", "nope-1"));
        assertThat(queries).hasSize(2);
        assertThat(queries.get(1)).containsExactly("nope-1");
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-1"));
        assertThat(queries.get(2)).containsExactly("known-1");
    }

    @Test
    void aFloodOfUnknownIdsEvictsEntriesOneByOneInsteadOfEmptyingTheCache() {
        CachedSubscriptionLookup lookup = lookup(50);
        lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-hot"));
        for (int i = 0; i < 500; i++) {
            lookup.findAll(CalendarProvider.MICROSOFT, List.of("nope-" + i));
            if (i % 10 == 0) {
                // the real subscription keeps sending while the stranger floods
                lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-hot"));
            }
            assertThat(lookup.cachedEntries())
                    .as("never emptied, never over its size")
                    .isBetween(1L, 50L);
        }
        assertThat(lookup.cachedEntries()).isGreaterThan(25L);
        assertThat(queries.stream().filter(q -> q.contains("known-hot")))
                .as("the subscription in steady use was loaded once, and never evicted by the flood")
                .hasSize(1);
    }

    @Test
    void aFailedLookupIsNotCached() {
        CachedSubscriptionLookup lookup = lookup(100);
        down = true;
        assertThatThrownBy(() -> lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-x")))
                .isInstanceOf(VerificationUnavailableException.class);
        down = false;
        assertThat(lookup.findAll(CalendarProvider.MICROSOFT, List.of("known-x")))
                .containsOnlyKeys("known-x");
        assertThat(queries).hasSize(1);
    }
}
