package io.calsync.bench.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time from /proc during a phase: the whole machine (all but idle and iowait), the ingest service, the Kafka broker
 * (when this run knows its pid) and this JVM (the load generator). What is left is PostgreSQL and everything else.
 * The machine has two cores that all of them share: the split says where the time went.
 */
final class CpuMeter {

    record Reading(long machine, long ingest, long kafka, long self) {}

    private static final long HZ = 100; // USER_HZ, the unit of /proc's times on Linux
    private final long ingestPid;
    private final long kafkaPid;
    private final long selfPid = ProcessHandle.current().pid();

    CpuMeter(long ingestPid, long kafkaPid) {
        this.ingestPid = ingestPid;
        this.kafkaPid = kafkaPid;
    }

    Reading read() {
        return new Reading(machine(), ticks(ingestPid), ticks(kafkaPid), ticks(selfPid));
    }

    /** Cores busy per part between two readings over {@code seconds}. */
    String since(Reading a, Reading b, double seconds) {
        double machine = (b.machine() - a.machine()) / (double) HZ / seconds;
        double ingest = (b.ingest() - a.ingest()) / (double) HZ / seconds;
        double kafka = (b.kafka() - a.kafka()) / (double) HZ / seconds;
        double self = (b.self() - a.self()) / (double) HZ / seconds;
        double other = Math.max(0, machine - ingest - kafka - self);
        return String.format(
                Locale.ROOT,
                "%.2f of %d cores busy: ingest %.2f, Kafka %s, load generator %.2f, other %.2f",
                machine,
                Runtime.getRuntime().availableProcessors(),
                ingest,
                kafkaPid > 0 ? String.format(Locale.ROOT, "%.2f", kafka) : "n/a (in other)",
                self,
                other);
    }

    /** Busy ticks of the whole machine: all but idle and iowait. */
    private static long machine() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a process: fields 14 and 15, counted after the command name in parentheses. */
    private static long ticks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
