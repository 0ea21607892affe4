package io.calsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;

class JobRunnerTest {

    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final JobRunner runner = new JobRunner(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRunSeesTheClocksNowAndCountsItsItemsUnderItsJob() {
        JobRun run = runner.run("ics-refresh", r -> {
            assertThat(r.now()).isEqualTo(NOW);
            r.items(3);
            r.items(2);
        });

        assertThat(run.requestId()).startsWith("poller:ics-refresh:");
        assertThat(runs("ics-refresh", JobRunner.SUCCESS)).isEqualTo(1);
        assertThat(registry.get(JobRunner.ITEMS)
                        .tag("job", "ics-refresh")
                        .counter()
                        .count())
                .isEqualTo(5);
    }

    @Test
    void everyRunGetsItsOwnRequestId() {
        JobRun first = runner.run("cleanup", r -> {});
        JobRun second = runner.run("cleanup", r -> {});
        assertThat(first.requestId()).isNotEqualTo(second.requestId());
        assertThat(runs("cleanup", JobRunner.SUCCESS)).isEqualTo(2);
    }

    @Test
    void aFailedRunIsRecordedWithItsClassAndKeepsWhatItCommitted() {
        JobRun run = runner.run("backstop-sync", r -> {
            r.items(4); // one batch committed before the database went away
            throw new DataAccessResourceFailureException("connection refused");
        });

        assertThat(run.items()).isEqualTo(4);
        assertThat(runs("backstop-sync", JobRunner.TRANSIENT_ERROR)).isEqualTo(1);
        assertThat(registry.find(JobRunner.RUNS)
                        .tags("job", "backstop-sync", "outcome", JobRunner.SUCCESS)
                        .timer())
                .isNull();
        assertThat(registry.get(JobRunner.ITEMS)
                        .tag("job", "backstop-sync")
                        .counter()
                        .count())
                .isEqualTo(4);
    }

    @Test
    void failuresAreClassifiedAsTransientOnlyWhenRetryingCanHelp() {
        assertThat(JobRunner.classify(new DataAccessResourceFailureException("down")))
                .isEqualTo(JobRunner.TRANSIENT_ERROR);
        assertThat(JobRunner.classify(new PessimisticLockingFailureException("deadlock")))
                .isEqualTo(JobRunner.TRANSIENT_ERROR);
        assertThat(JobRunner.classify(new CannotCreateTransactionException("no connection")))
                .isEqualTo(JobRunner.TRANSIENT_ERROR);
        assertThat(JobRunner.classify(
                        new BadSqlGrammarException("select", "SELECT nope", new SQLException("bad", "42703"))))
                .isEqualTo(JobRunner.ERROR);
        assertThat(JobRunner.classify(new DataIntegrityViolationException("constraint")))
                .isEqualTo(JobRunner.ERROR);
        assertThat(JobRunner.classify(new IllegalStateException("bug"))).isEqualTo(JobRunner.ERROR);
    }

    @Test
    void anUnexpectedExceptionDoesNotEscapeTheRun() {
        runner.run("subscription-renewal", r -> {
            throw new IllegalStateException("bug");
        });
        assertThat(runs("subscription-renewal", JobRunner.ERROR)).isEqualTo(1);
    }

    private long runs(String job, String outcome) {
        return registry.get(JobRunner.RUNS)
                .tags("job", job, "outcome", outcome)
                .timer()
                .count();
    }
}
