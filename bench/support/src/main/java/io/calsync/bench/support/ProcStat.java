package io.calsync.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time as Linux's {@code /proc} keeps it, in ticks of {@link #TICK} seconds: a process's own time, the time of
 * the children it reaped (a reaped child's time moves into its parent's {@code cutime/cstime}), the machine's busy
 * time (all but idle and iowait), and the process tree. Every bench's CPU meter reads through here; where /proc is
 * missing every figure is 0.
 */
public final class ProcStat {

    /** Seconds per tick: USER_HZ = 100, the unit of /proc's times on Linux. */
    public static final double TICK = 0.01;

    private static final boolean PROC = Files.isReadable(Path.of("/proc/stat"));

    private ProcStat() {}

    public static boolean available() {
        return PROC;
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name in parentheses (which may hold spaces). */
    public static String[] fields(long pid) {
        if (!PROC || pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // the process ended meanwhile
        }
    }

    /** The command name of a process (what stands in parentheses), or null. */
    public static String name(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The parent of a process (the postmaster of a backend), or 0. */
    public static long parentOf(long pid) {
        String[] f = fields(pid);
        return f == null ? 0 : Long.parseLong(f[1]);
    }

    /** utime + stime of the process itself. */
    public static long own(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** cutime + cstime: what the children it reaped used. */
    public static long reaped(String[] f) {
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** Own and reaped ticks of {@code pid}; 0 for an unknown or ended process. */
    public static long total(long pid) {
        String[] f = fields(pid);
        return f == null ? 0 : own(f) + reaped(f);
    }

    /** Own ticks of {@code pid}; 0 for an unknown or ended process. */
    public static long ownTicks(long pid) {
        String[] f = fields(pid);
        return f == null ? 0 : own(f);
    }

    /** The first line of /proc/stat as numbers: user nice system idle iowait irq softirq steal ...; empty without. */
    public static long[] machineFields() {
        if (!PROC) {
            return new long[0];
        }
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long[] out = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                out[i - 1] = Long.parseLong(f[i]);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** Busy ticks of the whole machine: user, nice, system, irq, softirq and steal (all but idle and iowait). */
    public static long machineBusy() {
        long[] f = machineFields();
        long busy = 0;
        for (int i = 0; i < Math.min(f.length, 8); i++) {
            if (i != 3 && i != 4) {
                busy += f[i];
            }
        }
        return busy;
    }

    /** The pids of every process now running. */
    public static List<Long> pids() {
        List<Long> out = new ArrayList<>();
        if (!PROC) {
            return out;
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .forEach(n -> out.add(Long.parseLong(n)));
        } catch (IOException e) {
            // no list: no processes to count
        }
        return out;
    }
}
