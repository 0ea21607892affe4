package io.calsync.gateway.application;

import io.calsync.gateway.persistence.Idempotency;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /events} with an {@code Idempotency-Key}: the key is claimed, the event created and the answer stored,
 * all in one transaction, so a crash leaves neither an event without its key nor a key without its event.
 */
@Service
public class IdempotentCreates {

    private final EventService events;
    private final Idempotency keys;
    private final ObjectMapper json;

    public IdempotentCreates(EventService events, Idempotency keys, ObjectMapper json) {
        this.events = events;
        this.keys = keys;
        this.json = json;
    }

    /** The answer to the request: the first one's, when the key was used before. */
    @Transactional
    public Idempotency.Answer create(UUID userId, EventRequest request, String key, String requestId) {
        String hash = Idempotency.hash(json.writeValueAsString(request));
        return keys.claim(userId, key, hash).orElseGet(() -> {
            EventView created = events.create(userId, request, requestId);
            Idempotency.Answer answer = new Idempotency.Answer(201, json.writeValueAsString(created), created.etag());
            keys.answered(userId, key, answer.status(), answer.body(), answer.etag());
            return answer;
        });
    }
}
