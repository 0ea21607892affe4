/**
 * ics-poller-service, the system's clock. It owns no table and answers no request; on a schedule it writes requests
 * for work into the transactional outbox, which the platform's relay publishes to Kafka for sync-service:
 *
 * <ul>
 *   <li>{@link io.calsync.poller.ics} ({@code ics-refresh}): a {@code SyncRequested} (SCHEDULED) per ICS feed that is
 *       due, every 15 minutes by default, never more often than the feed's REFRESH-INTERVAL, jittered, and backed off
 *       after failures;
 *   <li>{@link io.calsync.poller.backstop} ({@code backstop-sync}): a {@code SyncRequested} (BACKSTOP) per Google or
 *       Microsoft connection that has not synced for 30 minutes, since push is not fully reliable;
 *   <li>{@link io.calsync.poller.renewal} ({@code subscription-renewal}): a {@code SubscriptionLifecycleRequested}
 *       (RENEW) per push subscription expiring within 12 hours;
 *   <li>{@link io.calsync.poller.cleanup} ({@code cleanup}): deletes expired OAuth states and sessions, long-expired
 *       subscriptions and old de-duplication records.
 * </ul>
 *
 * <p>{@link io.calsync.poller.schedule} runs each job once per interval however many replicas run (ShedLock on the
 * {@code shedlock} table); every job also claims its rows with {@code FOR UPDATE SKIP LOCKED} and marks them in the
 * transaction of its messages, so an item is requested once even when two runs overlap. {@link
 * io.calsync.poller.JobRunner} gives every run a metric ({@code calsync.poller.job.runs{job,outcome}},
 * {@code calsync.poller.job.items{job}}) and one log line. Settings: {@link io.calsync.poller.PollerProperties}
 * ({@code calsync.poller.*}).
 */
package io.calsync.poller;
