package io.calsync.bench.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A closed loop: {@code callers} threads, each with its own keep-alive connection, send requests back to back for a
 * fixed time, each caller going round the given requests from its own starting point. Throughput is what the server (and the machine) sustains at that concurrency; latency is each
 * call's own time. A call that does not answer 202 counts as failed, not accepted.
 */
final class ClosedLoop {

    /** What one slice measured. */
    record Result(String name, double seconds, long accepted, long failed, long[] latenciesNanos) {

        double acceptedPerSecond() {
            return accepted / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }

        static Result merge(String name, List<Result> parts) {
            double seconds = 0;
            long accepted = 0;
            long failed = 0;
            int n = 0;
            for (Result r : parts) {
                seconds += r.seconds();
                accepted += r.accepted();
                failed += r.failed();
                n += r.latenciesNanos().length;
            }
            long[] all = new long[n];
            int at = 0;
            for (Result r : parts) {
                System.arraycopy(r.latenciesNanos(), 0, all, at, r.latenciesNanos().length);
                at += r.latenciesNanos().length;
            }
            Arrays.sort(all);
            return new Result(name, seconds, accepted, failed, all);
        }
    }

    private ClosedLoop() {}

    static Result run(String name, String host, int port, byte[][] requests, int callers, Duration duration)
            throws InterruptedException {
        long[] accepted = new long[callers];
        long[] failed = new long[callers];
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                int next = me % requests.length;
                try (RawHttp http = new RawHttp(host, port)) {
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 - end >= 0) {
                            break;
                        }
                        int status;
                        try {
                            status = http.exchange(requests[next]);
                            next = next + 1 == requests.length ? 0 : next + 1;
                        } catch (Exception e) {
                            http.close();
                            status = -1;
                        }
                        long took = System.nanoTime() - t0;
                        if (status == 202) {
                            accepted[me]++;
                        } else {
                            failed[me]++;
                        }
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = took;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                latencies[me] = lat;
                counts[me] = n;
            }));
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        List<Result> parts = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            parts.add(new Result(name, 0, accepted[t], failed[t], Arrays.copyOf(latencies[t], counts[t])));
        }
        Result merged = Result.merge(name, parts);
        return new Result(name, seconds, merged.accepted(), merged.failed(), merged.latenciesNanos());
    }
}
