package io.calsync.gateway.application;

import io.calsync.gateway.kafka.StreamWakeups;
import io.calsync.gateway.persistence.ChangeLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE streams this replica holds open, by user. A stream is woken when its user's changes may have moved (a
 * {@code calendar.events-changed} message from any replica or service, see {@link StreamWakeups}, and a tick every
 * {@code tick} as a safety net for what sends no message, such as a calendar's sync state); it then reads the change
 * log after its own position and sends what it finds, so a lost wake-up delays a message but never loses it. A
 * comment line goes out when the stream was quiet for {@code heartbeat}, so proxies keep it open.
 *
 * <p>At most {@code max-per-user} streams per user and {@code max-per-replica} in all: beyond, 429. The streams are
 * completed when the replica stops (this bean stops before the web server's graceful shutdown), and the browser's
 * EventSource reconnects to another replica with its Last-Event-ID.
 */
@Component
public class StreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    private static final int PAGE = 500;

    private final ChangeLog changes;
    private final Cursors cursors;
    private final int maxPerUser;
    private final int maxPerReplica;
    private final Duration heartbeat;
    private final Duration tick;
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stream-tick").factory());
    private final Counter messages;
    private final Counter resumes;
    private volatile boolean running;

    public StreamHub(
            ChangeLog changes,
            Cursors cursors,
            MeterRegistry meters,
            @Value("${calsync.gateway.stream.max-per-user:5}") int maxPerUser,
            @Value("${calsync.gateway.stream.max-per-replica:2000}") int maxPerReplica,
            @Value("${calsync.gateway.stream.heartbeat:20s}") Duration heartbeat,
            @Value("${calsync.gateway.stream.tick:2s}") Duration tick) {
        this.changes = changes;
        this.cursors = cursors;
        this.maxPerUser = maxPerUser;
        this.maxPerReplica = maxPerReplica;
        this.heartbeat = heartbeat;
        this.tick = tick;
        meters.gauge("calsync.stream.open", open);
        this.messages = meters.counter("calsync.stream.messages");
        this.resumes = meters.counter("calsync.stream.resumes");
    }

    /** One open stream: its user, where it stands in the log, and whether a flush is due. */
    final class Stream {
        final UUID userId;
        final SseEmitter emitter;
        volatile ChangeLog.Position position;
        volatile Instant lastSent;
        final AtomicBoolean scheduled = new AtomicBoolean();
        final AtomicBoolean dirty = new AtomicBoolean();
        volatile boolean closed;

        Stream(UUID userId, SseEmitter emitter, ChangeLog.Position position) {
            this.userId = userId;
            this.emitter = emitter;
            this.position = position;
            this.lastSent = clock.instant();
        }
    }

    /**
     * Opens a stream for the user from {@code from} (a resume) or from now; 429 when the user or the replica holds
     * too many.
     */
    public SseEmitter open(UUID userId, ChangeLog.Position from, Duration timeout) {
        if (!running) {
            throw unavailable("the stream is closing on this replica; reconnect");
        }
        Set<Stream> mine = streams.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet());
        synchronized (mine) {
            if (mine.size() >= maxPerUser) {
                throw tooMany("at most " + maxPerUser + " open streams per user; close one first");
            }
            if (open.get() >= maxPerReplica) {
                throw tooMany("this replica holds as many streams as it may; retry shortly");
            }
            SseEmitter emitter = new SseEmitter(timeout.toMillis());
            Stream s = new Stream(userId, emitter, from != null ? from : changes.now());
            mine.add(s);
            open.incrementAndGet();
            emitter.onCompletion(() -> close(s));
            emitter.onTimeout(() -> close(s));
            emitter.onError(e -> close(s));
            if (from != null) {
                resumes.increment();
            }
            // The first line tells EventSource how soon to come back after a drop; a resume sends what it missed.
            send(s, SseEmitter.event().reconnectTime(2000).comment("calsync stream"));
            wake(s);
            return emitter;
        }
    }

    /** The user's changes may have moved: every stream of the user reads the log. */
    public void wake(UUID userId) {
        Set<Stream> mine = streams.get(userId);
        if (mine != null) {
            mine.forEach(this::wake);
        }
    }

    /** How many streams this replica holds open. */
    public int openStreams() {
        return open.get();
    }

    private void wake(Stream s) {
        s.dirty.set(true);
        if (s.scheduled.compareAndSet(false, true)) {
            senders.execute(() -> drain(s));
        }
    }

    /** Flushes until no wake-up arrived meanwhile; one flush at a time per stream. */
    private void drain(Stream s) {
        try {
            while (s.dirty.getAndSet(false) && !s.closed) {
                flush(s);
            }
        } finally {
            s.scheduled.set(false);
            if (s.dirty.get() && !s.closed) {
                wake(s);
            }
        }
    }

    private void flush(Stream s) {
        try {
            ChangeLog.Page page;
            do {
                page = changes.read(s.userId, s.position, PAGE);
                if (!page.changes().isEmpty()) {
                    sendPage(s, page);
                }
                s.position = page.next();
            } while (page.hasMore() && !s.closed);
        } catch (RuntimeException e) {
            // The database is away: the stream stays, and the next tick tries again.
            log.warn(
                    "stream flush failed userId={} error={}",
                    s.userId,
                    e.getClass().getSimpleName());
        }
    }

    /**
     * One page as at most two messages: {@code changes} with the calendars and events it touched, and {@code calendar}
     * for each calendar whose state changed. Each carries the cursor after the page as its id, so Last-Event-ID
     * resumes after it.
     */
    private void sendPage(Stream s, ChangeLog.Page page) {
        Instant at = page.hasMore() ? page.changes().getLast().changedAt() : clock.instant();
        String cursor = cursors.encode(s.userId, page.next(), at);
        Set<UUID> calendarIds = new LinkedHashSet<>();
        Set<UUID> eventIds = new LinkedHashSet<>();
        Set<UUID> calendarStates = new LinkedHashSet<>();
        for (ChangeLog.Change c : page.changes()) {
            if (c.ofCalendar()) {
                calendarStates.add(c.calendarId());
            } else {
                calendarIds.add(c.calendarId());
                eventIds.add(c.eventId());
            }
        }
        if (!eventIds.isEmpty()) {
            send(
                    s,
                    SseEmitter.event()
                            .id(cursor)
                            .name("changes")
                            .data(
                                    Map.of(
                                            "cursor",
                                            cursor,
                                            "calendarIds",
                                            List.copyOf(calendarIds),
                                            "eventIds",
                                            List.copyOf(eventIds)),
                                    MediaType.APPLICATION_JSON));
        }
        for (UUID calendarId : calendarStates) {
            send(
                    s,
                    SseEmitter.event()
                            .id(cursor)
                            .name("calendar")
                            .data(Map.of("calendarId", calendarId), MediaType.APPLICATION_JSON));
        }
    }

    private void send(Stream s, SseEmitter.SseEventBuilder event) {
        if (s.closed) {
            return;
        }
        try {
            synchronized (s) {
                s.emitter.send(event);
            }
            s.lastSent = clock.instant();
            messages.increment();
        } catch (IOException | IllegalStateException e) {
            // The client went away: the stream ends here, the client resumes with its Last-Event-ID.
            close(s);
        }
    }

    private void close(Stream s) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        Set<Stream> mine = streams.get(s.userId);
        if (mine != null && mine.remove(s)) {
            open.decrementAndGet();
            if (mine.isEmpty()) {
                streams.remove(s.userId, mine);
            }
        }
        try {
            s.emitter.complete();
        } catch (RuntimeException ignored) {
            // already completed
        }
    }

    /** Every tick: every stream reads its log; a quiet one gets a heartbeat comment. */
    private void tick() {
        Instant quietSince = clock.instant().minus(heartbeat);
        streams.values()
                .forEach(set -> set.forEach(s -> {
                    if (s.lastSent.isBefore(quietSince)) {
                        senders.execute(() -> send(s, SseEmitter.event().comment("keep-alive")));
                    }
                    wake(s);
                }));
    }

    private static ApiException tooMany(String detail) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", detail, null);
    }

    private static ApiException unavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", detail, null);
    }

    @Override
    public void start() {
        running = true;
        timer.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes every stream, so that the graceful shutdown does not wait for them. */
    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
        streams.values().forEach(set -> set.forEach(this::close));
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, before the web server's graceful shutdown waits for open requests. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
