package io.calsync.ingest.persistence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A read-through cache whose entries expire after a time that depends on the value (found or not). Bounded by
 * starting over when full: simpler than an eviction order, and a refill costs one query per live key. Concurrent
 * misses of one key may each load it; the loads are cheap and idempotent.
 */
final class ExpiringCache<K, V> {

    private record Entry<V>(V value, long expiresAtNanos) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Function<V, Long> ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    /**
     * @param ttlNanos how long a loaded value stays, by value
     * @param clock monotonic nanoseconds ({@code System::nanoTime} outside tests)
     */
    ExpiringCache(Function<V, Long> ttlNanos, int maxEntries, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    V get(K key, Function<K, V> loader) {
        long now = clock.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.expiresAtNanos() < 0) {
            return e.value();
        }
        V value = loader.apply(key); // a failing load caches nothing: the next request asks again
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now + ttlNanos.apply(value)));
        return value;
    }

    int size() {
        return entries.size();
    }
}
