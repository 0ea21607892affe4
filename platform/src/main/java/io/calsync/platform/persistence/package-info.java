/** JPA entity and repository scanning under {@code io.calsync}: the shared tables and any a service adds. */
package io.calsync.platform.persistence;
