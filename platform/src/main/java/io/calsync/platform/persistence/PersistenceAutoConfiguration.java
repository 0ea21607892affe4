package io.calsync.platform.persistence;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * Entities and repositories are found under {@code io.calsync}: the shared ones of common-model and any a service
 * adds in its own packages.
 */
@AutoConfiguration
@EntityScan("io.calsync")
@EnableJpaRepositories("io.calsync")
public class PersistenceAutoConfiguration {}
