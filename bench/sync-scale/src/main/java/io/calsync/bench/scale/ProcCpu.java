package io.calsync.bench.scale;

import io.calsync.bench.support.ProcStat;

/**
 * Where the machine's CPU went during a round, from /proc, in CPU seconds: the sync-service instances (every child
 * process of this JVM but the sandbox, including those that ended meanwhile: a reaped child's time moves into its
 * parent's cutime/cstime), the sandbox, PostgreSQL (its postmaster, its backends, and the backends it reaped), the
 * Kafka broker when its pid is known, this driver, and whatever else ran ("other": when that is not near 0, something
 * outside the benchmark used the machine).
 */
final class ProcCpu {

    record Reading(long sync, long sandbox, long postgres, long kafka, long driver, long machine, long wallNanos) {}

    record Usage(
            double wall, double sync, double sandbox, double postgres, double kafka, double driver, double machine) {
        double other() {
            return Math.max(0, machine - sync - sandbox - postgres - kafka - driver);
        }
    }

    private static final double TICK = ProcStat.TICK;

    private final long self = ProcessHandle.current().pid();
    private final long postmaster;
    private final long kafka;
    private volatile long sandbox;

    /** @param postmaster the local PostgreSQL server's pid, 0 if unknown; {@code kafka} likewise */
    ProcCpu(long postmaster, long kafka) {
        this.postmaster = postmaster;
        this.kafka = kafka;
    }

    void sandbox(long pid) {
        this.sandbox = pid;
    }

    static boolean available() {
        return ProcStat.available();
    }

    /** The parent of a process (the postmaster of a backend), or 0. */
    static long parentOf(long pid) {
        return ProcStat.parentOf(pid);
    }

    Reading read() {
        long children = 0;
        long pgChildren = 0;
        for (long pid : ProcStat.pids()) {
            String[] f = ProcStat.fields(pid);
            if (f == null) {
                continue;
            }
            long parent = Long.parseLong(f[1]);
            if (parent == self && pid != sandbox) {
                children += ProcStat.own(f) + ProcStat.reaped(f);
            } else if (postmaster > 0 && parent == postmaster) {
                pgChildren += ProcStat.own(f) + ProcStat.reaped(f);
            }
        }
        String[] me = ProcStat.fields(self);
        // The sandbox lives through every round, so its time never moves into this JVM's cutime while measuring.
        long sync = children + (me == null ? 0 : ProcStat.reaped(me));
        return new Reading(
                sync,
                ProcStat.total(sandbox),
                postmaster > 0 ? ProcStat.total(postmaster) + pgChildren : 0,
                ProcStat.total(kafka),
                me == null ? 0 : ProcStat.own(me),
                ProcStat.machineBusy(),
                System.nanoTime());
    }

    Usage since(Reading a) {
        Reading b = read();
        return new Usage(
                (b.wallNanos() - a.wallNanos()) / 1e9,
                (b.sync() - a.sync()) * TICK,
                (b.sandbox() - a.sandbox()) * TICK,
                (b.postgres() - a.postgres()) * TICK,
                (b.kafka() - a.kafka()) * TICK,
                (b.driver() - a.driver()) * TICK,
                (b.machine() - a.machine()) * TICK);
    }
}
