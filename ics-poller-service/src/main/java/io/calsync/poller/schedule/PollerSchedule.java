package io.calsync.poller.schedule;

import io.calsync.poller.JobRunner;
import io.calsync.poller.backstop.BackstopSyncJob;
import io.calsync.poller.cleanup.CleanupJob;
import io.calsync.poller.ics.IcsRefreshJob;
import io.calsync.poller.renewal.SubscriptionRenewalJob;
import io.calsync.poller.stuck.StuckWritesJob;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * When each job runs: every replica ticks at {@code calsync.poller.<job>.every}, and the job's ShedLock lock lets
 * one of them run it per interval. The lock is held for the run and then until {@code lock-at-least-for} after its
 * start, so the other replicas' ticks in the same interval find it taken and skip; {@code lockAtMostFor} (one
 * interval) frees the job if the replica running it dies.
 *
 * <p>The lock is an economy, not what keeps work from being done twice: every job claims its rows with
 * {@code FOR UPDATE SKIP LOCKED} and marks them in the transaction that writes its messages, so two runs that did
 * overlap (a run longer than its interval, a lock freed by {@code lockAtMostFor}) still request each item once.
 */
public class PollerSchedule {

    private final JobRunner runner;
    private final IcsRefreshJob icsRefresh;
    private final BackstopSyncJob backstop;
    private final SubscriptionRenewalJob renewal;
    private final CleanupJob cleanup;
    private final io.calsync.poller.rotation.KeyRotationJob keyRotation;
    private final StuckWritesJob stuckWrites;

    public PollerSchedule(
            JobRunner runner,
            IcsRefreshJob icsRefresh,
            BackstopSyncJob backstop,
            SubscriptionRenewalJob renewal,
            CleanupJob cleanup,
            io.calsync.poller.rotation.KeyRotationJob keyRotation,
            StuckWritesJob stuckWrites) {
        this.runner = runner;
        this.icsRefresh = icsRefresh;
        this.backstop = backstop;
        this.renewal = renewal;
        this.cleanup = cleanup;
        this.keyRotation = keyRotation;
        this.stuckWrites = stuckWrites;
    }

    @Scheduled(fixedRateString = "${calsync.poller.stuck-writes.every}")
    @SchedulerLock(
            name = StuckWritesJob.NAME,
            lockAtMostFor = "${calsync.poller.stuck-writes.every}",
            lockAtLeastFor = "${calsync.poller.stuck-writes.lock-at-least-for}")
    public void stuckWrites() {
        runner.run(StuckWritesJob.NAME, stuckWrites::run);
    }

    @Scheduled(fixedRateString = "${calsync.poller.ics-refresh.every}")
    @SchedulerLock(
            name = IcsRefreshJob.NAME,
            lockAtMostFor = "${calsync.poller.ics-refresh.every}",
            lockAtLeastFor = "${calsync.poller.ics-refresh.lock-at-least-for}")
    public void icsRefresh() {
        runner.run(IcsRefreshJob.NAME, icsRefresh::run);
    }

    @Scheduled(fixedRateString = "${calsync.poller.backstop.every}")
    @SchedulerLock(
            name = BackstopSyncJob.NAME,
            lockAtMostFor = "${calsync.poller.backstop.every}",
            lockAtLeastFor = "${calsync.poller.backstop.lock-at-least-for}")
    public void backstopSync() {
        runner.run(BackstopSyncJob.NAME, backstop::run);
    }

    @Scheduled(fixedRateString = "${calsync.poller.renewal.every}")
    @SchedulerLock(
            name = SubscriptionRenewalJob.NAME,
            lockAtMostFor = "${calsync.poller.renewal.every}",
            lockAtLeastFor = "${calsync.poller.renewal.lock-at-least-for}")
    public void subscriptionRenewal() {
        runner.run(SubscriptionRenewalJob.NAME, renewal::run);
    }

    @Scheduled(fixedRateString = "${calsync.poller.cleanup.every}")
    @SchedulerLock(
            name = CleanupJob.NAME,
            lockAtMostFor = "${calsync.poller.cleanup.every}",
            lockAtLeastFor = "${calsync.poller.cleanup.lock-at-least-for}")
    public void cleanup() {
        runner.run(CleanupJob.NAME, cleanup::run);
    }

    @Scheduled(fixedRateString = "${calsync.poller.key-rotation.every}")
    @SchedulerLock(
            name = io.calsync.poller.rotation.KeyRotationJob.NAME,
            lockAtMostFor = "${calsync.poller.key-rotation.every}",
            lockAtLeastFor = "${calsync.poller.key-rotation.lock-at-least-for}")
    public void keyRotation() {
        runner.run(io.calsync.poller.rotation.KeyRotationJob.NAME, keyRotation::run);
    }
}
