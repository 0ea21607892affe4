package io.calsync.poller.schedule;

import io.calsync.model.persistence.ProcessedMessageRepository;
import io.calsync.platform.outbox.OutboxWriter;
import io.calsync.poller.JobRunner;
import io.calsync.poller.PollerProperties;
import io.calsync.poller.backstop.BackstopSyncJob;
import io.calsync.poller.cleanup.CleanupJob;
import io.calsync.poller.ics.IcsRefreshJob;
import io.calsync.poller.ics.RefreshPolicy;
import io.calsync.poller.renewal.SubscriptionRenewalJob;
import io.calsync.poller.stuck.StuckWritesJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clock's wiring: the jobs, their settings, the {@link Clock} they read "now" from, and ShedLock on the
 * {@code shedlock} table (common-model's V1).
 *
 * <p>The lock compares times on the database's clock ({@code usingDbTime()}), so replicas whose clocks drift still
 * agree on who holds it; the jobs decide what is due by the {@link Clock} bean, which a test may replace to move time.
 * (ShedLock stores {@code timezone('utc', CURRENT_TIMESTAMP)} in the table's {@code timestamptz} columns, which
 * PostgreSQL reads in the session's time zone, the JVM's: replicas of one service must run in the same zone.)
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
// Each @SchedulerLock names its own bounds; this default applies to none of them.
@EnableSchedulerLock(defaultLockAtMostFor = "10m")
@EnableConfigurationProperties(PollerProperties.class)
public class PollerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LockProvider lockProvider(JdbcTemplate jdbc) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withTableName("shedlock")
                .usingDbTime()
                .build());
    }

    @Bean
    JobRunner jobRunner(MeterRegistry registry, Clock clock) {
        return new JobRunner(registry, clock);
    }

    @Bean
    TransactionTemplate pollerTransactions(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    @Bean
    RefreshPolicy refreshPolicy(PollerProperties properties) {
        PollerProperties.IcsRefresh ics = properties.icsRefresh();
        return new RefreshPolicy(properties.icsInterval(), ics.jitter(), ics.maxBackoffExponent(), ics.maxBackoff());
    }

    @Bean
    IcsRefreshJob icsRefreshJob(
            JdbcTemplate jdbc,
            TransactionTemplate pollerTransactions,
            OutboxWriter outbox,
            RefreshPolicy refreshPolicy,
            PollerProperties properties,
            @org.springframework.beans.factory.annotation.Value("${CALDAV_POLL_INTERVAL:5m}")
                    java.time.Duration caldavInterval) {
        PollerProperties.IcsRefresh ics = properties.icsRefresh();
        // CalDAV calendars cannot push: polled every CALDAV_POLL_INTERVAL, with the feeds' jitter and backoff.
        RefreshPolicy caldav =
                new RefreshPolicy(caldavInterval, ics.jitter(), ics.maxBackoffExponent(), ics.maxBackoff());
        return new IcsRefreshJob(jdbc, pollerTransactions, outbox, refreshPolicy, caldav, ics);
    }

    @Bean
    BackstopSyncJob backstopSyncJob(
            JdbcTemplate jdbc,
            TransactionTemplate pollerTransactions,
            OutboxWriter outbox,
            PollerProperties properties) {
        return new BackstopSyncJob(jdbc, pollerTransactions, outbox, properties.backstop());
    }

    @Bean
    SubscriptionRenewalJob subscriptionRenewalJob(
            JdbcTemplate jdbc,
            TransactionTemplate pollerTransactions,
            OutboxWriter outbox,
            PollerProperties properties) {
        return new SubscriptionRenewalJob(jdbc, pollerTransactions, outbox, properties.renewal());
    }

    @Bean
    CleanupJob cleanupJob(
            JdbcTemplate jdbc, ProcessedMessageRepository processedMessages, PollerProperties properties) {
        return new CleanupJob(jdbc, processedMessages, properties.cleanup());
    }

    @Bean
    io.calsync.poller.rotation.KeyRotationJob keyRotationJob(
            JdbcTemplate jdbc,
            TransactionTemplate pollerTransactions,
            io.calsync.model.security.TokenCipher cipher,
            MeterRegistry meters,
            @org.springframework.beans.factory.annotation.Value("${calsync.poller.key-rotation.batch-size}")
                    int batchSize,
            @org.springframework.beans.factory.annotation.Value("${calsync.poller.key-rotation.max-per-run}")
                    int maxPerRun) {
        return new io.calsync.poller.rotation.KeyRotationJob(
                jdbc, pollerTransactions, cipher, meters, batchSize, maxPerRun);
    }

    @Bean
    StuckWritesJob stuckWritesJob(
            JdbcTemplate jdbc,
            TransactionTemplate pollerTransactions,
            OutboxWriter outbox,
            PollerProperties properties,
            MeterRegistry meters) {
        return new StuckWritesJob(jdbc, pollerTransactions, outbox, properties.stuckWrites(), meters);
    }

    @Bean
    PollerSchedule pollerSchedule(
            JobRunner runner,
            IcsRefreshJob icsRefresh,
            BackstopSyncJob backstop,
            SubscriptionRenewalJob renewal,
            CleanupJob cleanup,
            io.calsync.poller.rotation.KeyRotationJob keyRotation,
            StuckWritesJob stuckWrites) {
        return new PollerSchedule(runner, icsRefresh, backstop, renewal, cleanup, keyRotation, stuckWrites);
    }
}
