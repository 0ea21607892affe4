package io.calsync.bench;

import io.calsync.bench.support.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time from /proc, in milliseconds: the whole machine (busy = all but idle and iowait), the gateway's process,
 * this JVM (the load generator), and every process named postgres, with the children its postmaster reaped (parallel
 * query workers live only for one query). What is left is other processes' use of the machine during a phase: a
 * benchmark sharing 2 cores with something else says so.
 */
final class CpuMeter {

    /** One reading. */
    record Reading(
            long machine,
            long irq,
            long steal,
            long gateway,
            long self,
            Map<Long, Long> postgres,
            Map<Long, Long> all) {}

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
            return String.format(
                            java.util.Locale.ROOT,
                            "%.2f of %d cores busy: gateway %.2f, PostgreSQL %.2f, load generator %.2f, irq/softirq %.2f,"
                                    + " steal %.2f, other %.2f",
                            machine / 1000.0 / seconds,
                            Runtime.getRuntime().availableProcessors(),
                            gateway / 1000.0 / seconds,
                            postgres / 1000.0 / seconds,
                            generator / 1000.0 / seconds,
                            irq / 1000.0 / seconds,
                            steal / 1000.0 / seconds,
                            other() / 1000.0 / seconds)
                    + (other() / 1000.0 / seconds >= 0.05 ? " (" + topOthers + ")" : "");
        }
    }

    private final long gatewayPid;
    private final long postmasterPid;
    private final long selfPid = ProcessHandle.current().pid();
    private final boolean available = ProcStat.available();

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
        return ProcStat.parentOf(pid);
    }

    Reading read() {
        if (!available) {
            return new Reading(0, 0, 0, 0, 0, Map.of(), Map.of());
        }
        Map<Long, Long> pg = new HashMap<>();
        Map<Long, Long> all = new HashMap<>();
        for (long pid : ProcStat.pids()) {
            String[] f = ProcStat.fields(pid);
            if (f == null) {
                continue;
            }
            all.put(pid, ProcStat.own(f));
            if ("postgres".equals(ProcStat.name(pid))
                    && (postmasterPid <= 0 || pid == postmasterPid || Long.parseLong(f[1]) == postmasterPid)) {
                pg.put(pid, ProcStat.own(f) + ProcStat.reaped(f));
            }
        }
        long[] m = machine();
        return new Reading(m[0], m[1], m[2], ProcStat.ownTicks(gatewayPid), ProcStat.ownTicks(selfPid), pg, all);
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
                .filter(e -> e.getKey() != gatewayPid
                        && e.getKey() != selfPid
                        && !b.postgres().containsKey(e.getKey()))
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.all().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed())
                .limit(3)
                .forEach(e -> top.append(top.isEmpty() ? "" : ", ")
                        .append(String.format(
                                java.util.Locale.ROOT,
                                "%s %.2f",
                                command(e.getKey()),
                                ms(e.getValue()) / 1000.0 / seconds)));
        return new Usage(
                seconds,
                ms(b.machine() - a.machine()),
                ms(b.irq() - a.irq()),
                ms(b.steal() - a.steal()),
                ms(b.gateway() - a.gateway()),
                ms(pg),
                ms(b.self() - a.self()),
                top.isEmpty() ? "processes that exited since" : top.toString());
    }

    /** A short name of a process: pid, its command and the last part of its main class or jar when it is java. */
    private static String command(long pid) {
        try {
            String[] args =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\u0000");
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
        return Math.round(ticks * ProcStat.TICK * 1000);
    }

    /** Busy (all but idle and iowait), irq + softirq, and steal ticks of the whole machine. */
    private static long[] machine() {
        long[] f = ProcStat.machineFields(); // user nice system idle iowait irq softirq steal
        if (f.length < 7) {
            return new long[3];
        }
        return new long[] {ProcStat.machineBusy(), f[5] + f[6], f.length > 7 ? f[7] : 0};
    }
}
