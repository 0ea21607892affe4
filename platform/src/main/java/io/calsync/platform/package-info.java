/**
 * How every calsync service runs, and nothing else. {@link io.calsync.platform.CalsyncApplication} checks the
 * environment before Spring starts; {@link io.calsync.platform.CalsyncEnvironmentPostProcessor} maps the contract's
 * variable names onto Spring properties and adds the shared defaults; the auto-configurations wire Kafka ({@code kafka}:
 * topics, broker health, publishing, the listener failure policy), the transactional outbox and its Debezium relay
 * ({@code outbox}), trace ids in logs and over HTTP and Kafka ({@code tracing}), the token cipher ({@code security})
 * and entity scanning ({@code persistence}). Provider clients live in the {@code providers} module.
 */
package io.calsync.platform;
