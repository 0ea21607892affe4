package io.calsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from /proc, in milliseconds: the whole machine (busy = all but idle and iowait), the gateway's process,
 * this JVM (the load generator), and every process named postgres, with the children its postmaster reaped (parallel
 * query workers live only for one query). What is left is other processes' use of the machine during a phase: a
 * benchmark sharing 2 cores with something else says so.
 */
final class CpuMeter {

    /** One reading. */
    record Reading(
            long machine, long irq, long steal, long gateway, long self, Map<Long, Long> postgres, Map<Long, Long> all) {}

    /** The difference of two readings: CPU milliseconds used by each part, and the wall time. */
    record Usage(
            double seconds,
            long machine,
            long irq,
            long steal,
            long gateway,
            long postgres,
            long generator,
            String topOthers) {
        /** Busy time of no process of ours, less interrupts and steal (which no process is charged with). */
        long other() {
            return Math.max(0, machine - irq - steal - gateway - postgres - generator);
        }

        String cores() {
            return String.format(java.util.Locale.ROOT,
                    "%.2f of %d cores busy: gateway %.2f, PostgreSQL %.2f, load generator %.2f, irq/softirq %.2f,"
                            + " steal %.2f, other %.2f",
                    machine / 1000.0 / seconds, Runtime.getRuntime().availableProcessors(), gateway / 1000.0 / seconds,
                    postgres / 1000.0 / seconds, generator / 1000.0 / seconds, irq / 1000.0 / seconds,
                    steal / 1000.0 / seconds, other() / 1000.0 / seconds)
                    + (other() / 1000.0 / seconds >= 0.05 ? " (" + topOthers + ")" : "");
        }
    }

    private static final long HZ = 100; // USER_HZ, the unit of /proc's times on Linux
    private final long gatewayPid;
    private final long postmasterPid;
    private final long selfPid = ProcessHandle.current().pid();
    private final boolean available = Files.isReadable(Path.of("/proc/stat"));

    /**
     * @param postmasterPid the PostgreSQL server the benchmark uses (its processes are the postmaster and its children;
     *     another server on the machine is "other"); 0 counts every process named postgres
     */
    CpuMeter(long gatewayPid, long postmasterPid) {
        this.gatewayPid = gatewayPid;
        this.postmasterPid = postmasterPid;
    }

    /** The parent of a process (the postmaster of a backend), or 0. */
    static long parentOf(long pid) {
        String stat = stat(Path.of("/proc/" + pid + "/stat"));
        return stat == null ? 0 : Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    Reading read() {
        if (!available) {
            return new Reading(0, 0, 0, 0, 0, Map.of(), Map.of());
        }
        Map<Long, Long> pg = new HashMap<>();
        Map<Long, Long> all = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        String stat = stat(p.resolve("stat"));
                        if (stat == null) {
                            return;
                        }
                        long pid = Long.parseLong(p.getFileName().toString());
                        all.put(pid, ticks(stat));
                        if (stat.contains("(postgres)") && (postmasterPid <= 0 || pid == postmasterPid
                                || Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]) == postmasterPid)) {
                            pg.put(pid, ticks(stat) + childTicks(stat));
                        }
                    });
        } catch (IOException e) {
            // no breakdown then
        }
        long[] m = machine();
        return new Reading(m[0], m[1], m[2], procTicks(gatewayPid), procTicks(selfPid), pg, all);
    }

    Usage since(Reading a, double seconds) {
        Reading b = read();
        // PostgreSQL's own processes plus what its postmaster reaped meanwhile (parallel workers, ended backends),
        // less what those ended ones had used before the first reading.
        long pg = 0;
        for (Map.Entry<Long, Long> e : b.postgres().entrySet()) {
            pg += e.getValue() - a.postgres().getOrDefault(e.getKey(), 0L);
        }
        for (Map.Entry<Long, Long> e : a.postgres().entrySet()) {
            if (!b.postgres().containsKey(e.getKey())) {
                pg -= e.getValue();
            }
        }
        // Who else used the CPUs: the processes (alive at the end) that are none of ours, busiest first.
        StringBuilder top = new StringBuilder();
        b.all().entrySet().stream()
                .filter(e -> e.getKey() != gatewayPid && e.getKey() != selfPid && !b.postgres().containsKey(e.getKey()))
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.all().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed())
                .limit(3)
                .forEach(e -> top.append(top.isEmpty() ? "" : ", ")
                        .append(String.format(java.util.Locale.ROOT, "%s %.2f", command(e.getKey()),
                                ms(e.getValue()) / 1000.0 / seconds)));
        return new Usage(seconds, ms(b.machine() - a.machine()), ms(b.irq() - a.irq()), ms(b.steal() - a.steal()),
                ms(b.gateway() - a.gateway()), ms(pg),
                ms(b.self() - a.self()), top.isEmpty() ? "processes that exited since" : top.toString());
    }

    /** A short name of a process: pid, its command and the last part of its main class or jar when it is java. */
    private static String command(long pid) {
        try {
            String[] args = Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\u0000");
            String name = Path.of(args[0]).getFileName().toString();
            if (name.equals("java") && args.length > 1) {
                String last = args[args.length - 1];
                for (int i = 1; i < args.length; i++) {
                    if (!args[i].startsWith("-") && !args[i - 1].equals("-cp") && !args[i - 1].equals("-classpath")) {
                        last = args[i];
                        break;
                    }
                }
                name = "java " + (last.length() > 40 ? last.substring(last.length() - 40) : last);
            }
            return pid + " " + name;
        } catch (IOException | RuntimeException e) {
            return String.valueOf(pid);
        }
    }

    private static long ms(long ticks) {
        return ticks * 1000 / HZ;
    }

    /** Busy (all but idle and iowait), irq + softirq, and steal ticks of the whole machine. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long busy = total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
            return new long[] {busy, Long.parseLong(f[6]) + Long.parseLong(f[7]), f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    private static long procTicks(long pid) {
        String stat = pid <= 0 ? null : stat(Path.of("/proc/" + pid + "/stat"));
        return stat == null ? 0 : ticks(stat);
    }

    /** cutime + cstime: fields 16 and 17, the CPU of waited-for children that ended. */
    private static long childTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** utime + stime: fields 14 and 15, counted after the command name in parentheses (which may hold spaces). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String stat(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
