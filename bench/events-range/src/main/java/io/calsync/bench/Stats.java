package io.calsync.bench;

import java.util.Arrays;

final class Stats {
    private Stats() {}

    /** Nearest-rank percentile of nanosecond samples (q in 0..1); -1 without samples. */
    static long percentile(long[] samples, double q) {
        if (samples.length == 0) {
            return -1;
        }
        long[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** Milliseconds with one decimal; "fail" for a failed call, "n/a" without samples. */
    static String ms(long nanos) {
        return nanos == OpenLoad.FAILED ? "fail" : nanos < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
