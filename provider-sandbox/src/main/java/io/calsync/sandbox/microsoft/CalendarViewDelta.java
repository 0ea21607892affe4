package io.calsync.sandbox.microsoft;

import io.calsync.sandbox.core.Account;
import io.calsync.sandbox.core.Ids;
import io.calsync.sandbox.core.SandboxState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * calendarView delta. A round starts with a time window (or a delta token) and pages through
 * {@code $skiptoken}s; its last page carries a {@code $deltatoken} that remembers, for each item in the window,
 * a fingerprint of how it looked. Following the delta link recomputes the window and reports what differs: new or
 * changed items in full, and items that were deleted, cancelled or moved out of the window as {@code @removed}.
 * Tokens of a calendar whose sync states were invalidated, or that are unknown, answer 410 SyncStateNotFound, the
 * way Exchange answers when it no longer has the sync state generation.
 */
@Component
public class CalendarViewDelta {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 1000;
    private static final int MAX_TOKENS = 5000;

    /** One entry of a delta page: an event, or the id of one to remove. */
    public record Item(EventView event, String removedId) {}

    /** A page and the token of the next page or, on the last page, the delta token. */
    public record Page(List<Item> items, String skipToken, String deltaToken, int pageSize) {}

    private record Checkpoint(
            String accountId,
            String calendarId,
            Instant from,
            Instant to,
            long generation,
            Map<String, String> fingerprints) {}

    private record Pending(Checkpoint next, List<Item> remaining, int pageSize) {}

    private final MicrosoftStore store;
    private final Map<String, Checkpoint> deltaTokens = bounded();
    private final Map<String, Pending> skipTokens = bounded();
    private final Map<String, Long> generations = new HashMap<>();

    public CalendarViewDelta(MicrosoftStore store, SandboxState state) {
        this.store = store;
        state.onReset(s -> clear());
    }

    private synchronized void clear() {
        deltaTokens.clear();
        skipTokens.clear();
        generations.clear();
    }

    /** The first request of a full sync: everything in the window. */
    public synchronized Page start(Account account, String calendarId, Instant from, Instant to, Integer pageSize) {
        String cal = store.calendar(account, calendarId).id();
        Map<String, String> now = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        for (EventView v : store.calendarView(account, cal, from, to)) {
            now.put(v.id(), fingerprint(v));
            items.add(new Item(v, null));
        }
        Checkpoint next = new Checkpoint(account.id(), cal, from, to, generation(cal), now);
        return page(next, items, size(pageSize, DEFAULT_PAGE_SIZE));
    }

    /** Following a {@code @odata.nextLink}. */
    public synchronized Page next(Account account, String skipToken, Integer pageSize) {
        Pending p = skipTokens.get(skipToken);
        if (p == null || !p.next().accountId().equals(account.id()) || stale(p.next())) {
            throw syncStateNotFound();
        }
        return page(p.next(), p.remaining(), size(pageSize, p.pageSize()));
    }

    /** Following a {@code @odata.deltaLink}: what changed in the window since that link was made. */
    public synchronized Page changes(Account account, String deltaToken, Integer pageSize) {
        Checkpoint last = deltaTokens.get(deltaToken);
        if (last == null || !last.accountId().equals(account.id()) || stale(last)) {
            throw syncStateNotFound();
        }
        Map<String, String> now = new LinkedHashMap<>();
        List<Item> changed = new ArrayList<>();
        for (EventView v : store.calendarView(account, last.calendarId(), last.from(), last.to())) {
            String f = fingerprint(v);
            now.put(v.id(), f);
            if (!f.equals(last.fingerprints().get(v.id()))) {
                changed.add(new Item(v, null));
            }
        }
        List<Item> items = new ArrayList<>();
        last.fingerprints().keySet().stream()
                .filter(id -> !now.containsKey(id))
                .forEach(id -> items.add(new Item(null, id)));
        changed.sort(Comparator.comparing((Item i) -> i.event().start()));
        items.addAll(changed);
        Checkpoint next =
                new Checkpoint(account.id(), last.calendarId(), last.from(), last.to(), last.generation(), now);
        return page(next, items, size(pageSize, DEFAULT_PAGE_SIZE));
    }

    /** Makes every delta and skip token of the calendar answer 410 from now on (control API). */
    public synchronized void invalidate(String calendarId) {
        generations.merge(calendarId, 1L, Long::sum);
    }

    private Page page(Checkpoint next, List<Item> items, int pageSize) {
        if (items.size() > pageSize) {
            String token = Ids.token(48);
            skipTokens.put(token, new Pending(next, List.copyOf(items.subList(pageSize, items.size())), pageSize));
            return new Page(List.copyOf(items.subList(0, pageSize)), token, null, pageSize);
        }
        String token = Ids.token(48);
        deltaTokens.put(token, next);
        return new Page(List.copyOf(items), null, token, pageSize);
    }

    private boolean stale(Checkpoint c) {
        return c.generation() != generation(c.calendarId());
    }

    private long generation(String calendarId) {
        return generations.getOrDefault(calendarId, 0L);
    }

    private static int size(Integer requested, int fallback) {
        return requested == null ? fallback : Math.min(requested, MAX_PAGE_SIZE);
    }

    private static GraphException syncStateNotFound() {
        return new GraphException(
                410,
                "SyncStateNotFound",
                "The sync state generation is not found. The delta token"
                        + " is expired and data must be synchronized again.");
    }

    private static String fingerprint(EventView v) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256").digest(v.fingerprint().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TOKENS;
            }
        };
    }
}
