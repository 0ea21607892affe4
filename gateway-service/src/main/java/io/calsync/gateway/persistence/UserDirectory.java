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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserDirectory.class);
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public UserDirectory(CalendarUserRepository users) {
        this(users, null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public UserDirectory(CalendarUserRepository users, io.micrometer.core.instrument.MeterRegistry meters) {
        this.users = users;
        this.meters = meters;
    }

    public UUID idOf(String email) {
        return idOf(email, null);
    }

    /**
     * The user of an email, with the main app's subject of the token: recorded on the first call that carries one; a
     * different one later means the main app gave the email to someone else (or changed its subjects), which is
     * logged (the user id, never the email) and counted, since users are identified by email (the contract).
     */
    public UUID idOf(String email, String subject) {
        String key = subject == null ? email : email + "\n" + subject;
        UUID cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        UUID id = users.findByEmail(email).map(u -> u.getId()).orElseGet(() -> {
            users.insertIfAbsent(UUID.randomUUID(), email);
            return users.findByEmail(email).orElseThrow().getId();
        });
        if (subject != null && !subject.isBlank() && users.recordSubject(id, subject) == 0) {
            String known = users.subjectOf(id);
            if (known != null && !known.equals(subject)) {
                log.warn("the main app's subject of a calendar user's email changed userId={}", id);
                if (meters != null) {
                    meters.counter("calsync.identity.subject.changed").increment();
                }
            }
        }
        cache.put(key, id);
        return id;
    }
}
