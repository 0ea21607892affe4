package io.calsync.poller;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One run of one job: the instant the run treats as now (from the service's {@link java.time.Clock}, so that tests
 * can move it), the request id every message of the run carries, and what the run did so far. A job reports its
 * work after each committed batch, so a run that fails half way still reports what it committed.
 */
public final class JobRun {

    private final String job;
    private final Instant now;
    private final String requestId;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long items;

    public JobRun(String job, Instant now) {
        this.job = job;
        this.now = now;
        // One id per run: the sync-service's logs and audit rows of the requested work lead back to this run's line.
        this.requestId = "poller:" + job + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String job() {
        return job;
    }

    public Instant now() {
        return now;
    }

    public String requestId() {
        return requestId;
    }

    /**
     * The loop every claiming job shares: {@code batch} claims and handles at most {@code limit} items in a
     * transaction of its own and answers how many it handled; batches go on until one comes back short (nothing more
     * is due) or {@code maxPerRun} items are done (the rest waits for the next run). Each committed batch is counted.
     */
    public void inBatches(TransactionTemplate transactions, int batchSize, int maxPerRun, IntUnaryOperator batch) {
        int done = 0;
        while (done < maxPerRun) {
            int limit = Math.min(batchSize, maxPerRun - done);
            Integer n = transactions.execute(status -> batch.applyAsInt(limit));
            int handled = n == null ? 0 : n;
            done += handled;
            items(handled);
            if (handled < limit) {
                return;
            }
        }
    }

    /** Items the run emitted (messages) or removed (rows), counted in {@code calsync.poller.job.items}. */
    public void items(long n) {
        items += n;
    }

    public long items() {
        return items;
    }

    /** A detail of the run for its log line only, e.g. rows deleted per table. */
    public void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    public Map<String, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }
}
