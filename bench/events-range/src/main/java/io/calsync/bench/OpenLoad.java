package io.calsync.bench;

import io.calsync.bench.support.Log;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate, open-model load: call {@code i} is due at {@code t0 + i/rate} whatever happened to the ones before it
 * (each runs on its own virtual thread), and its latency is measured from that due time, so a stall of the server
 * shows in the percentiles instead of silently lowering the rate (no coordinated omission). A call that fails, or that
 * is not sent because {@code maxInFlight} calls are still running (an overloaded server), counts as infinitely slow.
 */
final class OpenLoad {
    private OpenLoad() {}

    /** Latency of a call that failed or was not sent. */
    static final long FAILED = Long.MAX_VALUE;

    /** One request or query; returns how many items (events, rows) it got. */
    interface Task {
        long run(int i) throws Exception;
    }

    /** What one run measured: latencies in nanoseconds from the due time, {@link #FAILED} for failures. */
    record Result(
            String name,
            int count,
            long[] latencies,
            long items,
            int errors,
            int notSent,
            String firstError,
            long maxDispatchLagNanos) {

        long percentile(double q) {
            return io.calsync.bench.support.Stats.percentile(latencies, q);
        }

        double meanItems() {
            int ok = count - errors - notSent;
            return ok == 0 ? 0 : (double) items / ok;
        }
    }

    static Result run(String name, int rate, int count, int maxInFlight, Task task) throws InterruptedException {
        long period = 1_000_000_000L / rate;
        long[] latencies = new long[count];
        Arrays.fill(latencies, FAILED);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        int notSent = 0;
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong items = new AtomicLong();
        CountDownLatch done = new CountDownLatch(count);
        long maxLag = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long t0 = System.nanoTime() + 20_000_000L;
            for (int n = 0; n < count; n++) {
                final int i = n;
                final long due = t0 + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                maxLag = Math.max(maxLag, System.nanoTime() - due);
                if (inFlight.get() >= maxInFlight) {
                    notSent++;
                    done.countDown();
                    continue;
                }
                inFlight.incrementAndGet();
                threads.execute(() -> {
                    try {
                        long got = task.run(i);
                        latencies[i] = System.nanoTime() - due;
                        items.addAndGet(got);
                    } catch (Exception | Error e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    } finally {
                        inFlight.decrementAndGet();
                        done.countDown();
                    }
                });
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                firstError.compareAndSet(null, done.getCount() + " calls still running 30 s after the last was due");
            }
            threads.shutdownNow();
        }
        return new Result(name, count, latencies, items.get(), errors.get(), notSent, firstError.get(), maxLag);
    }

    /**
     * Closed-loop warm-up: {@code workers} callers back to back until {@code count} calls or {@code maxSeconds};
     * returns the latencies of the calls that succeeded (their service time, no queueing beyond the callers').
     */
    static long[] warm(int workers, int count, double maxSeconds, Task task) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[] latencies = new long[count];
        Arrays.fill(latencies, -1);
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        Thread[] ts = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            ts[w] = Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    try {
                        task.run(i);
                        latencies[i] = System.nanoTime() - t;
                    } catch (Exception e) {
                        if (failed.incrementAndGet() == 1) {
                            Log.say("warm-up call failed: " + e);
                        }
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failed.get() > 0) {
            Log.say("warm-up: " + failed.get() + " calls failed");
        }
        return Arrays.stream(latencies).filter(l -> l >= 0).toArray();
    }
}
