package io.calsync.bench.ingest;

import io.calsync.bench.support.ProcStat;
import java.util.Locale;

/**
 * CPU time from /proc during a phase: the whole machine (all but idle and iowait), the ingest service, the Kafka broker
 * (when this run knows its pid) and this JVM (the load generator). What is left is PostgreSQL and everything else.
 * The machine has two cores that all of them share: the split says where the time went.
 */
final class CpuMeter {

    record Reading(long machine, long ingest, long kafka, long self) {}

    private static final double HZ = 1 / ProcStat.TICK;
    private final long ingestPid;
    private final long kafkaPid;
    private final long selfPid = ProcessHandle.current().pid();

    CpuMeter(long ingestPid, long kafkaPid) {
        this.ingestPid = ingestPid;
        this.kafkaPid = kafkaPid;
    }

    Reading read() {
        return new Reading(
                ProcStat.machineBusy(),
                ProcStat.ownTicks(ingestPid),
                ProcStat.ownTicks(kafkaPid),
                ProcStat.ownTicks(selfPid));
    }

    /** Cores busy per part between two readings over {@code seconds}. */
    String since(Reading a, Reading b, double seconds) {
        double machine = (b.machine() - a.machine()) / HZ / seconds;
        double ingest = (b.ingest() - a.ingest()) / HZ / seconds;
        double kafka = (b.kafka() - a.kafka()) / HZ / seconds;
        double self = (b.self() - a.self()) / HZ / seconds;
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
}
