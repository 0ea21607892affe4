package io.calsync.ingest.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

    static final long SECOND = 1_000_000_000L;

    final AtomicLong now = new AtomicLong(123 * SECOND);
    final AtomicInteger loads = new AtomicInteger();
    /** Found values live 30 s, "not found" 2 s, as the ingest configures it. */
    final ExpiringCache<String, Optional<String>> cache =
            new ExpiringCache<>(v -> v.isPresent() ? 30 * SECOND : 2 * SECOND, 3, now::get);

    Optional<String> get(String key) {
        return cache.get(key, k -> {
            loads.incrementAndGet();
            return k.startsWith("known") ? Optional.of("row-" + k) : Optional.empty();
        });
    }

    @Test
    void aKnownKeyIsLoadedOnceUntilItExpires() {
        assertThat(get("known-1")).contains("row-known-1");
        now.addAndGet(29 * SECOND);
        assertThat(get("known-1")).contains("row-known-1");
        assertThat(loads).hasValue(1);

        now.addAndGet(SECOND);
        assertThat(get("known-1")).contains("row-known-1");
        assertThat(loads).hasValue(2);
    }

    @Test
    void anUnknownKeyIsAskedForAgainSoon() {
        assertThat(get("missing")).isEmpty();
        now.addAndGet(SECOND);
        assertThat(get("missing")).isEmpty();
        assertThat(loads).hasValue(1);

        now.addAndGet(SECOND);
        get("missing");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aFullCacheStartsOverInsteadOfGrowing() {
        get("known-1");
        get("known-2");
        get("known-3");
        assertThat(cache.size()).isEqualTo(3);

        get("known-4");
        assertThat(cache.size()).isEqualTo(1);
        get("known-1");
        assertThat(loads).hasValue(5);
    }

    @Test
    void aFailedLoadIsNotCached() {
        assertThatThrownBy(() -> cache.get("known-x", k -> {
                    throw new IllegalStateException("database down");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(get("known-x")).contains("row-known-x");
        assertThat(loads).hasValue(1);
    }
}
