package io.calsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

class PollerPropertiesTest {

    static final jakarta.validation.ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    /** The shipped application.yml: the defaults the service runs with. */
    static PollerProperties shippedDefaults() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yml"))
                .forEach(env.getPropertySources()::addLast);
        return Binder.get(env).bind("calsync.poller", PollerProperties.class).get();
    }

    @Test
    void theShippedDefaultsAreValidAndMatchTheDesign() throws Exception {
        PollerProperties p = shippedDefaults();

        assertThat(VALIDATOR.validate(p)).isEmpty();
        assertThat(p.icsInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.icsRefresh().jitter()).isEqualTo(0.1);
        assertThat(p.icsRefresh().maxBackoffExponent()).isEqualTo(5);
        assertThat(p.backstop().staleAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.backstop().degradedInterval()).isEqualTo(Duration.ofMinutes(4));
        assertThat(p.renewal().renewAhead()).isEqualTo(Duration.ofHours(12));
        assertThat(p.cleanup().every()).isEqualTo(Duration.ofHours(1));
        assertThat(p.cleanup().processedMessageRetention()).isEqualTo(Duration.ofDays(14));
        // Each lock outlasts most of its interval, so a second replica cannot run the job again in it.
        for (var job : new Duration[][] {
            {p.icsRefresh().every(), p.icsRefresh().lockAtLeastFor()},
            {p.backstop().every(), p.backstop().lockAtLeastFor()},
            {p.renewal().every(), p.renewal().lockAtLeastFor()},
            {p.cleanup().every(), p.cleanup().lockAtLeastFor()}
        }) {
            assertThat(job[1])
                    .isLessThan(job[0])
                    .isGreaterThanOrEqualTo(job[0].multipliedBy(8).dividedBy(10));
        }
        // Renewing 12 h ahead stays inside a Graph subscription's shortest lifetime (1,440 minutes with resource data).
        assertThat(p.renewal().renewAhead()).isLessThan(Duration.ofMinutes(1440));
    }

    @Test
    void aLockAsLongAsItsIntervalIsRefused() throws Exception {
        PollerProperties p = shippedDefaults();
        PollerProperties.IcsRefresh ics = p.icsRefresh();
        PollerProperties broken = new PollerProperties(
                p.icsInterval(),
                new PollerProperties.IcsRefresh(
                        ics.every(),
                        ics.every(),
                        ics.jitter(),
                        ics.maxBackoffExponent(),
                        ics.maxBackoff(),
                        ics.batchSize(),
                        ics.maxPerRun()),
                p.backstop(),
                p.renewal(),
                p.cleanup(),
                p.stuckWrites());

        Set<ConstraintViolation<PollerProperties>> violations = VALIDATOR.validate(broken);
        assertThat(violations)
                .extracting(v -> v.getPropertyPath().toString())
                .containsExactly("icsRefresh.lockShorterThanInterval");
    }

    @Test
    void outOfRangeValuesAreRefused() throws Exception {
        PollerProperties p = shippedDefaults();
        PollerProperties.IcsRefresh ics = p.icsRefresh();
        PollerProperties broken = new PollerProperties(
                Duration.ZERO,
                new PollerProperties.IcsRefresh(
                        ics.every(), ics.lockAtLeastFor(), 1.5, ics.maxBackoffExponent(), ics.maxBackoff(), 0, 1),
                p.backstop(),
                p.renewal(),
                new PollerProperties.Cleanup(
                        p.cleanup().every(),
                        p.cleanup().lockAtLeastFor(),
                        p.cleanup().subscriptionRetention(),
                        Duration.ofHours(12),
                        Duration.ofDays(7),
                        p.cleanup().batchSize()),
                new PollerProperties.StuckWrites(
                        p.stuckWrites().every(),
                        p.stuckWrites().lockAtLeastFor(),
                        Duration.ZERO,
                        21,
                        p.stuckWrites().batchSize(),
                        p.stuckWrites().maxPerRun()));

        assertThat(VALIDATOR.validate(broken))
                .extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder(
                        "icsInterval",
                        "icsRefresh.jitter",
                        "icsRefresh.batchSize",
                        "cleanup.changeLogRetention",
                        "cleanup.processedMessageRetention",
                        "stuckWrites.stuckAfter",
                        "stuckWrites.maxAttempts");
    }
}
