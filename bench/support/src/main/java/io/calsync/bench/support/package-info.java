/**
 * What every benchmark under {@code bench/} needs, once: {@link io.calsync.bench.support.Db} (the server and
 * database of {@code DATABASE_URL}, fresh databases, replication slots), {@link io.calsync.bench.support.Stats},
 * {@link io.calsync.bench.support.Log} (progress to stderr, the report alone to stdout) and
 * {@link io.calsync.bench.support.ProcCpu} (a process's CPU time from {@code /proc}).
 */
package io.calsync.bench.support;
