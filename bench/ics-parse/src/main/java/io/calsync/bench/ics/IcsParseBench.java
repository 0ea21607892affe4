package io.calsync.bench.ics;

import io.calsync.providers.ics.IcsEventMapper;
import io.calsync.providers.ics.IcsFeed;
import io.calsync.providers.ics.IcsParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ContentHandlerContext;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.util.CompatibilityHints;

/**
 * How much reading a feed costs beyond parsing it: on the largest {@code .ics} of the corpus, in one JVM,
 *
 * <ul>
 *   <li>(a) the baseline: a bare ical4j {@code CalendarBuilder.build} with the relaxed hints platform enables (and
 *       ical4j's own skipping of properties it cannot read, see {@link #bare});
 *   <li>(b) what the sync engine does with a fetched body: {@code IcsParser.parse} (decode, repair, parse with
 *       recovery) and {@code IcsEventMapper.map} of every VEVENT.
 * </ul>
 *
 * After a warm-up of both, rounds alternate the order of (a) and (b) so that neither always runs on a cooler or
 * warmer heap; every run is timed on its own and the report gives the median per run of each, their ratio and the
 * target (at most 1.5x). Settings (environment): BENCH_CORPUS (the corpus folder; default {@code shared/corpus} beside
 * the repository), BENCH_WARMUP_SECONDS (20), BENCH_ROUNDS (10), BENCH_RUNS (3 runs of each per round). The report
 * goes to stdout, progress to stderr; the exit status is 0 whatever the ratio (it is a measurement, not a test).
 */
public final class IcsParseBench {

    static final double TARGET = 1.5;

    /** Keeps the JIT from dropping work whose result nobody reads. */
    private static volatile long sink;

    private IcsParseBench() {}

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(env("BENCH_CORPUS", "../shared/corpus"))
                .toAbsolutePath()
                .normalize();
        int warmupSeconds = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "20"));
        int rounds = Integer.parseInt(env("BENCH_ROUNDS", "10"));
        int runs = Integer.parseInt(env("BENCH_RUNS", "3"));

        Path file = largest(corpus.resolve("ics"));
        byte[] bytes = Files.readAllBytes(file);
        // IcsParser sets the hints JVM-wide when it is loaded; set here too, so that (a) has them whatever runs first.
        IcsParser parser = new IcsParser();
        for (String hint : List.of(
                CompatibilityHints.KEY_RELAXED_UNFOLDING,
                CompatibilityHints.KEY_RELAXED_PARSING,
                CompatibilityHints.KEY_RELAXED_VALIDATION,
                CompatibilityHints.KEY_OUTLOOK_COMPATIBILITY,
                CompatibilityHints.KEY_NOTES_COMPATIBILITY)) {
            CompatibilityHints.setHintEnabled(hint, true);
        }
        IcsEventMapper mapper = new IcsEventMapper();

        int baselineEvents = bare(bytes);
        IcsFeed feed = parser.parse(bytes);
        IcsEventMapper.Mapping mapping = mapper.map(feed);
        say("file " + corpus.relativize(file) + ": " + bytes.length + " bytes, " + baselineEvents
                + " VEVENTs (ical4j), " + feed.eventCount() + " read and "
                + mapping.events().size() + " mapped (ours)");

        say("warming up both for " + warmupSeconds + " s");
        long until = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        int warmups = 0;
        while (System.nanoTime() < until || warmups < 3) {
            sink += bare(bytes);
            sink += ours(parser, mapper, bytes, null);
            warmups++;
        }

        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> parseOnly = new ArrayList<>();
        say("measuring " + rounds + " rounds of " + runs + " runs each, alternating which goes first");
        for (int round = 0; round < rounds; round++) {
            System.gc();
            boolean baselineFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean baseline = (side == 0) == baselineFirst;
                for (int run = 0; run < runs; run++) {
                    long t0 = System.nanoTime();
                    if (baseline) {
                        sink += bare(bytes);
                        a.add(millis(t0));
                    } else {
                        double[] parsed = new double[1];
                        sink += ours(parser, mapper, bytes, parsed);
                        b.add(millis(t0));
                        parseOnly.add(parsed[0]);
                    }
                }
            }
        }

        double ma = median(a);
        double mb = median(b);
        double ratio = mb / ma;
        System.out.printf(
                Locale.ROOT,
                "ics-parse: %s, %,d bytes, %d VEVENTs%n",
                corpus.relativize(file),
                bytes.length,
                feed.eventCount());
        System.out.printf(Locale.ROOT, "%-52s %10s %10s %10s %6s%n", "ms per run", "median", "min", "max", "runs");
        row("(a) ical4j CalendarBuilder.build, relaxed", a);
        row("(b) IcsParser.parse + IcsEventMapper.map", b);
        row("    of which IcsParser.parse", parseOnly);
        System.out.printf(
                Locale.ROOT,
                "%-52s %9.2fx   target <= %.1fx   %s%n",
                "ratio (b)/(a), medians",
                ratio,
                TARGET,
                ratio <= TARGET ? "PASS" : "MISS");
        System.out.printf(
                Locale.ROOT,
                "%-52s %s%n",
                "context",
                "Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, warm-up "
                        + warmups + " runs of each");
    }

    /**
     * The baseline: ical4j alone, relaxed, answering the VEVENTs it built. Real feeds have properties ical4j cannot
     * read (the largest file of the corpus has CREATED dates in year 0), and a plain build gives up on the whole
     * feed at the first; ical4j's own way past them, {@code suppressInvalidProperties}, drops each such property,
     * which is what platform's content handler does too.
     */
    static int bare(byte[] bytes) throws IOException {
        try {
            Calendar calendar = new CalendarBuilder(
                            new CalendarParserImpl(),
                            new ContentHandlerContext().withSuppressInvalidProperties(true),
                            TimeZoneRegistryFactory.getInstance().createRegistry())
                    .build(new ByteArrayInputStream(bytes));
            return calendar.getComponents(Component.VEVENT).size();
        } catch (ParserException e) {
            throw new IllegalStateException("ical4j refuses the file: " + e.getMessage(), e);
        }
    }

    /** Ours: the sync engine's reading of a fetched body; {@code parsed[0]} gets the parse's share in ms. */
    static int ours(IcsParser parser, IcsEventMapper mapper, byte[] bytes, double[] parsed) {
        long t0 = System.nanoTime();
        IcsFeed feed = parser.parse(bytes);
        if (parsed != null) {
            parsed[0] = millis(t0);
        }
        return mapper.map(feed).events().size();
    }

    static Path largest(Path ics) throws IOException {
        try (Stream<Path> files = Files.walk(ics)) {
            return files.filter(p -> p.toString().endsWith(".ics") && Files.isRegularFile(p))
                    .max(Comparator.comparingLong(IcsParseBench::size).thenComparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no .ics file under " + ics));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    static double millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000.0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void row(String name, List<Double> values) {
        System.out.printf(
                Locale.ROOT,
                "%-52s %10.2f %10.2f %10.2f %6d%n",
                name,
                median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                values.size());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void say(String message) {
        System.err.println("bench: " + java.time.LocalTime.now().withNano(0) + " " + message);
        System.err.flush();
    }
}
