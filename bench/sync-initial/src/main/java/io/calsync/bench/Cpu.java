package io.calsync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

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

    private static final double TICK = 0.01; // USER_HZ = 100, the unit of /proc's times on Linux
    private static final boolean PROC = Files.isReadable(Path.of("/proc/stat"));

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
        String stat = stat(Path.of("/proc/" + pid + "/stat"));
        return stat == null ? 0 : Long.parseLong(fields(stat)[1]);
    }

    Reading read() {
        Map<Long, Long> pg = new HashMap<>();
        if (PROC && postmaster > 0) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .forEach(p -> {
                            String stat = stat(p.resolve("stat"));
                            if (stat == null) {
                                return;
                            }
                            long pid = Long.parseLong(p.getFileName().toString());
                            String[] f = fields(stat);
                            if (pid == postmaster) {
                                // utime + stime, plus cutime + cstime: what its children used before they ended.
                                pg.put(
                                        pid,
                                        Long.parseLong(f[11])
                                                + Long.parseLong(f[12])
                                                + Long.parseLong(f[13])
                                                + Long.parseLong(f[14]));
                            } else if (Long.parseLong(f[1]) == postmaster) {
                                pg.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                            }
                        });
            } catch (IOException e) {
                // no PostgreSQL figure then; the report shows 0
            }
        }
        return new Reading(os.getProcessCpuTime(), threads.getCurrentThreadCpuTime(), machine(), pg, System.nanoTime());
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
                Math.max(0, pg) * TICK,
                (b.machineTicks() - a.machineTicks()) * TICK);
    }

    /** Busy ticks of the whole machine: all but idle and iowait. */
    private static long machine() {
        if (!PROC) {
            return 0;
        }
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The fields after the command name in parentheses (which may hold spaces): state, ppid, ... */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static String stat(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
