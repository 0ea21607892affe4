package io.calsync.poller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Runs one job once and accounts for it: a timer per run ({@value #RUNS}{@code {job,outcome}}), a counter of the items
 * the run emitted or removed ({@value #ITEMS}{@code {job}}) and one structured log line per run.
 *
 * <p>A failing run is classified, never rethrown: the next tick tries again, and an exception escaping a
 * {@code @Scheduled} method would only add a second, unstructured log entry. The line names the exception's class
 * and SQL state, never its message, which for database errors quotes SQL text.
 */
public class JobRunner {

    public static final String RUNS = "calsync.poller.job.runs";
    public static final String ITEMS = "calsync.poller.job.items";

    /** Outcome tag values. */
    public static final String SUCCESS = "success";

    public static final String TRANSIENT_ERROR = "transient-error";
    public static final String ERROR = "error";

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final MeterRegistry registry;
    private final Clock clock;

    public JobRunner(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public JobRun run(String job, Consumer<JobRun> work) {
        JobRun run = new JobRun(job, clock.instant());
        long started = System.nanoTime();
        RuntimeException failure = null;
        try {
            work.accept(run);
        } catch (RuntimeException e) {
            failure = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String outcome = failure == null ? SUCCESS : classify(failure);
        Timer.builder(RUNS)
                .description("Runs of a poller job that this replica held the lock for")
                .tag("job", job)
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
        Counter.builder(ITEMS)
                .description("Messages a poller job emitted, or rows it removed")
                .tag("job", job)
                .register(registry)
                .increment(run.items());

        LoggingEventBuilder line = (failure == null ? log.atInfo() : log.atWarn())
                .setMessage(failure == null ? "poller job ran" : "poller job failed; the next run tries again")
                .addKeyValue("job", job)
                .addKeyValue("outcome", outcome)
                .addKeyValue("items", run.items())
                .addKeyValue("durationMs", took.toMillis())
                .addKeyValue("requestId", run.requestId());
        run.counts().forEach(line::addKeyValue);
        if (failure != null) {
            line = line.addKeyValue("error", failure.getClass().getSimpleName());
            String sqlState = sqlState(failure);
            if (sqlState != null) {
                line = line.addKeyValue("sqlState", sqlState);
            }
        }
        line.log();
        return run;
    }

    /** Transient: the database is unreachable, overloaded or chose this run as a deadlock victim; retrying helps. */
    static String classify(Throwable e) {
        if (e instanceof TransientDataAccessException
                || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException
                || e instanceof CannotCreateTransactionException) {
            return TRANSIENT_ERROR;
        }
        return ERROR;
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
