package io.calsync.bench.support;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Percentiles and medians of a run's samples. */
public final class Stats {

    private Stats() {}

    /** Nearest-rank percentile of samples (q in 0..1); -1 without samples. */
    public static long percentile(long[] samples, double q) {
        if (samples.length == 0) {
            return -1;
        }
        long[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** The median (the mean of the middle two for an even count); NaN without values. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    public static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        return median(items.stream().mapToDouble(value).toArray());
    }
}
