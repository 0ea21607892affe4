/**
 * The benchmark of the initial sync (bench/sync-initial.sh): sync-service's engine, assembled without Spring,
 * pulls N events of a Google calendar from the in-process sandbox into a fresh PostgreSQL database, and a raw JDBC
 * batch upsert of the very same rows is measured beside it in the same run. {@link io.calsync.bench.SyncInitialBench}
 * runs it and prints the report; bench/README.md explains how to read it.
 *
 * <p>A measurement, not a test: it exits 0 whether the target is met or missed, and non-zero only when something
 * broke (a row count that does not match, a sync that did not succeed).
 */
package io.calsync.bench;
