package io.calsync.platform.outbox;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code calsync.outbox.relay.*}; defaults in {@code calsync-defaults.properties}.
 *
 * @param enabled whether this service runs a relay at all: services that never write to the outbox turn it off, so
 *     that they hold no replication slot
 * @param pollInterval how long Debezium waits for new changes before handing over a batch ({@code poll.interval.ms});
 *     it bounds the latency from commit to publish
 * @param lockRetryInterval how often a replica that is not the leader tries to take the relay's lock
 * @param heartbeatInterval how often the relay confirms its position to the replication slot while no outbox row
 *     arrives, so that the slot lets go of the WAL other tables write
 * @param reconcileInterval how often the slot's health is read into the gauges and, on the leader, unconfirmed rows
 *     are looked for
 * @param reconcileAfter how old an outbox row must be before the reconciler republishes it: well above the relay's
 *     normal lag, so that it acts only when the WAL position was lost (or Kafka refused for that long)
 * @param slotName the replication slot and publication name; unset means {@code calsync_<spring.application.name>}.
 *     Slots are per server, not per database: two databases on one server (tests) need different names
 */
@Validated
@ConfigurationProperties("calsync.outbox.relay")
public record OutboxRelayProperties(
        boolean enabled,

        @NotNull @DurationMin(millis = 1) @DurationMax(seconds = 10)
        Duration pollInterval,

        @NotNull @DurationMin(millis = 100) Duration lockRetryInterval,
        @NotNull @DurationMin(millis = 100) Duration heartbeatInterval,

        @NotNull @DurationMin(millis = 100) Duration reconcileInterval,
        @NotNull @DurationMin(millis = 100) Duration reconcileAfter,

        @Pattern(regexp = "[a-z0-9_]{1,63}", message = "must be 1 to 63 characters of [a-z0-9_]")
        String slotName) {}
