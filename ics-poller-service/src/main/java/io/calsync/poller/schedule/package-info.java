/**
 * When the jobs run: {@link io.calsync.poller.schedule.PollerSchedule} ticks each job on every replica and lets
 * ShedLock pick one per interval; {@link io.calsync.poller.schedule.PollerConfiguration} wires the jobs, the lock
 * provider (database time) and the replaceable {@link java.time.Clock}.
 */
package io.calsync.poller.schedule;
