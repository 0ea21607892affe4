package io.calsync.poller;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

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
