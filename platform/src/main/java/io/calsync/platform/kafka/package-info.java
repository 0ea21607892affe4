/**
 * Kafka for every service: the topics and their dead-letter twins, broker health, the publisher, and the failure
 * policy every listener states (bounded retries with backoff, then {@code <topic>-dlt}).
 */
package io.calsync.platform.kafka;
