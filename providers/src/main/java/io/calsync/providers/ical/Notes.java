package io.calsync.providers.ical;

import java.util.ArrayList;
import java.util.List;

/**
 * What the repair pass and the parser changed or dropped, for logs and diagnostics. Bounded: a broken feed of ten
 * thousand events must not carry ten thousand notes around; past the limit only the count grows.
 */
final class Notes {

    static final int LIMIT = 50;

    private final List<String> kept = new ArrayList<>();
    private int total;

    void add(String note) {
        total++;
        if (kept.size() < LIMIT) {
            kept.add(note);
        }
    }

    void addAll(Notes other) {
        other.kept.forEach(this::add);
        total += other.total - other.kept.size();
    }

    /** The notes, and a last one saying how many more there were. */
    List<String> list() {
        List<String> all = new ArrayList<>(kept);
        if (total > kept.size()) {
            all.add((total - kept.size()) + " more");
        }
        return List.copyOf(all);
    }
}
