package io.calsync.bench;

import io.calsync.bench.support.ProcStat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent during one round, in seconds: this JVM (engine, HTTP client, the in-process sandbox, JIT and GC),
 * the calling thread alone (the engine's own thread: HTTP client, JSON, mapping, JDBC), the PostgreSQL server the
 * benchmark uses (its postmaster, its children, and the children it reaped meanwhile), and the whole machine. What
 * the machine spent beyond this JVM and that server is "other": a round measured while something else ran says so.
 */
final class Cpu {

    /** One reading; {@code postgres} per pid, so that processes that came and went are counted right. */
    record Reading(long jvmNanos, long threadNanos, long machineTicks, Map<Long, Long> postgres, long wallNanos) {}

    /** What a round used, in CPU seconds. */
    record Usage(double wall, double jvm, double thread, double postgres, double machine) {
        double other() {
            return Math.max(0, machine - jvm - postgres);
        }
    }

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long postmaster;

    /** @param postmaster the pid of the benchmark's PostgreSQL server, 0 when it is not on this machine */
    Cpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /** The parent of a process (the postmaster of a backend), or 0. */
    static long parentOf(long pid) {
        return ProcStat.parentOf(pid);
    }

    Reading read() {
        Map<Long, Long> pg = new HashMap<>();
        if (postmaster > 0) {
            for (long pid : ProcStat.pids()) {
                String[] f = ProcStat.fields(pid);
                if (f == null) {
                    continue;
                }
                if (pid == postmaster) {
                    // its own time plus what its children used before they ended
                    pg.put(pid, ProcStat.own(f) + ProcStat.reaped(f));
                } else if (Long.parseLong(f[1]) == postmaster) {
                    pg.put(pid, ProcStat.own(f));
                }
            }
        }
        return new Reading(
                os.getProcessCpuTime(),
                threads.getCurrentThreadCpuTime(),
                ProcStat.machineBusy(),
                pg,
                System.nanoTime());
    }

    Usage since(Reading a) {
        Reading b = read();
        long pg = 0;
        for (Map.Entry<Long, Long> e : b.postgres().entrySet()) {
            pg += e.getValue() - a.postgres().getOrDefault(e.getKey(), 0L);
        }
        for (Map.Entry<Long, Long> e : a.postgres().entrySet()) {
            if (!b.postgres().containsKey(e.getKey())) {
                pg -= e.getValue(); // ended meanwhile: the postmaster's cutime now holds all of it
            }
        }
        return new Usage(
                (b.wallNanos() - a.wallNanos()) / 1e9,
                (b.jvmNanos() - a.jvmNanos()) / 1e9,
                (b.threadNanos() - a.threadNanos()) / 1e9,
                Math.max(0, pg) * ProcStat.TICK,
                (b.machineTicks() - a.machineTicks()) * ProcStat.TICK);
    }
}
