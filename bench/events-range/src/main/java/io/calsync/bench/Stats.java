package io.calsync.bench;

/** How the events-range report prints a latency. */
final class Stats {
    private Stats() {}

    /** Milliseconds with one decimal; "fail" for a failed call, "n/a" without samples. */
    static String ms(long nanos) {
        return nanos == OpenLoad.FAILED
                ? "fail"
                : nanos < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
