/**
 * Infrastructure for {@code ./run} on a machine without Docker: the PostgreSQL launcher
 * ({@link io.calsync.localinfra.EmbeddedPostgresMain}) and the repair of its binaries cache
 * ({@link io.calsync.localinfra.PostgresBinaryCache}), also used by the tests' PostgreSQL.
 */
package io.calsync.localinfra;
