package io.calsync.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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

    private static final double TICK = 0.01; // USER_HZ = 100, the unit of /proc's times on Linux
    private static final boolean PROC = Files.isReadable(Path.of("/proc/stat"));

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
        return PROC;
    }

    /** The parent of a process (the postmaster of a backend), or 0. */
    static long parentOf(long pid) {
        String[] f = fields(pid);
        return f == null ? 0 : Long.parseLong(f[1]);
    }

    Reading read() {
        long children = 0;
        long pgChildren = 0;
        if (PROC) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    String[] f = fields(pid);
                    if (f == null) {
                        continue;
                    }
                    long parent = Long.parseLong(f[1]);
                    if (parent == self && pid != sandbox) {
                        children += own(f) + reaped(f);
                    } else if (postmaster > 0 && parent == postmaster) {
                        pgChildren += own(f) + reaped(f);
                    }
                }
            } catch (IOException e) {
                // no figures then; the report shows 0
            }
        }
        String[] me = fields(self);
        // The sandbox lives through every round, so its time never moves into this JVM's cutime while measuring.
        long sync = children + (me == null ? 0 : reaped(me));
        return new Reading(
                sync,
                total(sandbox),
                postmaster > 0 ? total(postmaster) + pgChildren : 0,
                total(kafka),
                me == null ? 0 : own(me),
                machine(),
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

    private static long total(long pid) {
        if (pid <= 0) {
            return 0;
        }
        String[] f = fields(pid);
        return f == null ? 0 : own(f) + reaped(f);
    }

    private static long own(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    private static long reaped(String[] f) {
        return Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
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
    private static String[] fields(long pid) {
        if (!PROC || pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
