package io.calsync.gateway.persistence;

import io.calsync.model.persistence.CalendarUserRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The calendar user of an email, created on its first authenticated call. Race-free: concurrent first calls all run
 * an {@code INSERT ... ON CONFLICT DO NOTHING} on the unique lower(email) index and then read the one row. User ids
 * never change, so they are cached (bounded).
 */
@Component
public class UserDirectory {

    private static final int CACHE_SIZE = 10_000;
    private final CalendarUserRepository users;
    private final Map<String, UUID> cache =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, UUID> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    public UserDirectory(CalendarUserRepository users) {
        this.users = users;
    }

    public UUID idOf(String email) {
        UUID cached = cache.get(email);
        if (cached != null) {
            return cached;
        }
        UUID id = users.findByEmail(email).map(u -> u.getId()).orElseGet(() -> {
            users.insertIfAbsent(UUID.randomUUID(), email);
            return users.findByEmail(email).orElseThrow().getId();
        });
        cache.put(email, id);
        return id;
    }
}
