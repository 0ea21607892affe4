package io.calsync.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

final class Stats {

    private Stats() {}

    /** The median (the mean of the middle two for an even count); NaN without values. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        return median(items.stream().mapToDouble(value).toArray());
    }
}
