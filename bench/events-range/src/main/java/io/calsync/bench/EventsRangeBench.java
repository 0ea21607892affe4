package io.calsync.bench;

import io.calsync.bench.support.Db;
import io.calsync.bench.support.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark of {@code GET /api/v1/calendar/events?start&end} for a month window, beside the raw SQL of the same
 * rows measured in the same run. bench/events-range.sh starts what it needs and calls:
 *
 * <pre>
 *   prepare   a fresh database on the server of DATABASE_URL; prints its DATABASE_URL for the gateway
 *   run       seeds through JDBC, warms up, measures the API and the SQL at the same fixed rate, prints the report
 *   cleanup   drops the database and the benchmark gateway's replication slot
 * </pre>
 *
 * Settings come from the environment (see bench/README.md); the report goes to stdout, progress to stderr.
 */
public final class EventsRangeBench {

    static final String EMAIL = "bench-user@bench.calsync.test";
    private static final byte[] EVENT_MARK = "\"calendarId\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUSY_MARK = "\"status\":".getBytes(StandardCharsets.US_ASCII);

    private EventsRangeBench() {}

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        Db server = Db.parse(env("DATABASE_URL", null));
        String name = env("BENCH_DB", "calsync_bench");
        String slot = env("BENCH_SLOT", "calsync_bench_gateway");
        switch (command) {
            case "prepare" -> {
                server.recreate(name, slot);
                System.out.println(server.withDatabase(name).contractUrl());
            }
            case "cleanup" -> server.drop(name, slot);
            case "drop-slot" -> server.dropSlot(slot);
            case "run" -> run(server.withDatabase(name));
            default -> {
                System.err.println("usage: EventsRangeBench prepare|run|cleanup|drop-slot (see bench/README.md)");
                System.exit(2);
            }
        }
    }

    private static void run(Db db) throws Exception {
        String base = env("BENCH_BASE_URL", null);
        String secret = env("SECRET_KEY", null);
        int rate = Integer.parseInt(env("BENCH_RATE", "100"));
        int seconds = Integer.parseInt(env("BENCH_SECONDS", "30"));
        int warmup = Integer.parseInt(env("BENCH_WARMUP", "2000"));
        int warmupSeconds = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "60"));
        int events = Integer.parseInt(env("BENCH_EVENTS", "50000"));
        int series = Integer.parseInt(env("BENCH_SERIES", "500"));
        int otherUsers = Integer.parseInt(env("BENCH_OTHER_USERS", "10"));
        int otherEvents = Integer.parseInt(env("BENCH_OTHER_EVENTS_PER_USER", "50000"));
        long seed = Long.parseLong(env("BENCH_SEED", "42"));
        int count = rate * seconds;

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        String token = Tokens.forEmail(secret, EMAIL, 3 * 3600);
        Api api = new Api(http, base, token);

        // The first authenticated call creates the user's row; its id is then read by email.
        api.call(Seeder.SPAN_START, Seeder.SPAN_START.plus(Duration.ofDays(1)));
        UUID userId;
        try (Connection c = db.open();
                PreparedStatement p = c.prepareStatement("SELECT id FROM calendar_users WHERE lower(email) = ?")) {
            p.setString(1, EMAIL);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the gateway did not create the user " + EMAIL);
                }
                userId = (UUID) rs.getObject(1);
            }
        }

        Log.say("seeding " + events + " events (" + series + " series) for " + EMAIL + ", and " + otherUsers
                + " other users x " + otherEvents + " events");
        Seeder.Result seeded = new Seeder(seed, events, series).seed(db, userId, EMAIL, otherUsers, otherEvents);
        Log.say(String.format(
                Locale.ROOT,
                "seeded in %.1f s: %,d rows of the user, %,d in calendar_events",
                seeded.seconds(),
                seeded.userRows(),
                seeded.tableRows()));

        // As a database that has run for a while: statistics current, the seed's dirty pages written out.
        try (Connection c = db.open();
                Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            long v0 = System.nanoTime();
            st.execute("VACUUM ANALYZE");
            st.execute("CHECKPOINT");
            Log.say(String.format(Locale.ROOT, "VACUUM ANALYZE and CHECKPOINT in %.1f s", (System.nanoTime() - v0) / 1e9));
        }

        List<Instant[]> windows = monthWindows(new Random(seed + 1), count);
        List<Instant[]> warmWindows = monthWindows(new Random(seed + 2), Math.max(warmup, 1000));
        List<UUID> calendarIds = seeded.calendars().stream().map(Seeder.Cal::id).toList();
        long longest = seeded.longestByCalendar().values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(86_400);

        try (RawQueries sql = new RawQueries(db, userId, calendarIds, longest, 10)) {
            long postmaster;
            try (Connection c = db.open();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                boolean local = db.host().equals("localhost")
                        || db.host().startsWith("127.")
                        || db.host().equals("::1");
                postmaster = local ? CpuMeter.parentOf(rs.getLong(1)) : 0; // its processes are "PostgreSQL" below
            }
            CpuMeter cpu = new CpuMeter(Long.parseLong(env("BENCH_GATEWAY_PID", "0")), postmaster);
            // Warm-up, closed loop with 2 callers: the first half warms the JITs and caches, the second half is
            // measured as service time and CPU per call (no queueing but the callers' own).
            Log.say("warming up: up to " + warmup + " API requests or " + warmupSeconds
                    + " s (2 callers back to back), then the SQL");
            int half = warmup / 2;
            long w0 = System.nanoTime();
            OpenLoad.warm(
                    2,
                    half,
                    warmupSeconds / 2.0,
                    i -> api.call(warmWindows.get(i)[0], warmWindows.get(i)[1]));
            Closed apiClosed = closed(
                    cpu,
                    warmup - half,
                    warmupSeconds / 2.0,
                    i -> api.call(warmWindows.get(half + i)[0], warmWindows.get(half + i)[1]));
            double warmSeconds = (System.nanoTime() - w0) / 1e9;
            Closed sqlClosed = warmThenMeasure(cpu, 500, 500, 10, warmWindows, sql::rows);
            Interleaved serviceTime = interleaved(cpu, 5, 60, warmWindows, api::call, sql::lean);
            Closed allClosed = warmThenMeasure(cpu, 200, 200, 10, warmWindows, sql::allReads);

            // The baseline first: an overloaded gateway may still be working off its queue after its own phase.
            Log.say("measuring the raw SQL: " + count + " calls at " + rate + "/s");
            CpuMeter.Reading r0 = cpu.read();
            OpenLoad.Result sqlResult = OpenLoad.run(
                    "SQL  singles + masters (JDBC)",
                    rate,
                    count,
                    rate,
                    i -> sql.rows(windows.get(i)[0], windows.get(i)[1]));
            CpuMeter.Usage sqlCpu = cpu.since(r0, (double) count / rate);
            Log.say("measuring the API: " + count + " requests at " + rate + "/s");
            api.bytes.set(0);
            CpuMeter.Reading r1 = cpu.read();
            OpenLoad.Result apiResult = OpenLoad.run(
                    "API  GET /api/v1/calendar/events",
                    rate,
                    count,
                    rate,
                    i -> api.call(windows.get(i)[0], windows.get(i)[1]));
            CpuMeter.Usage apiCpu = cpu.since(r1, (double) count / rate);
            long apiBytes = api.bytes.get();

            // Free/busy: 62-day windows (the longest it allows), closed loop, the API beside its own reads in SQL.
            Log.say("measuring free/busy: 62-day windows, closed loop with 2 callers");
            List<Instant[]> fbWindows = dayWindows(new Random(seed + 3), 1000, 62);
            Closed fbApi = warmThenMeasure(cpu, 500, 500, 30, fbWindows, api::freeBusy);
            Closed fbSql = warmThenMeasure(cpu, 200, 300, 10, fbWindows, sql::freeBusyReads);
            long fbIntervals = api.freeBusy(fbWindows.get(0)[0], fbWindows.get(0)[1]);
            long fbRows = sql.freeBusyReads(fbWindows.get(0)[0], fbWindows.get(0)[1]);

            report(
                    db,
                    seeded,
                    windows,
                    longest,
                    rate,
                    seconds,
                    warmSeconds,
                    apiClosed,
                    sqlClosed,
                    allClosed,
                    apiResult,
                    apiBytes,
                    sqlResult,
                    apiCpu,
                    sqlCpu);
            serviceTimeReport(serviceTime);
            freeBusyReport(fbApi, fbSql, fbIntervals, fbRows);
        }
    }

    /** The free/busy section: service times of the API and of its reads, and the verdicts. */
    private static void freeBusyReport(Closed api, Closed sql, long intervals, long rows) {
        StringBuilder out = new StringBuilder("\n");
        line(
                out,
                "%-34s %8s %8s %8s %8s %8s %12s",
                "free/busy, 62-day windows (ms)",
                "p50",
                "p90",
                "p99",
                "max",
                "calls",
                "max rate/s");
        warmLine(out, "API  POST /api/v1/calendar/freebusy", api.latencies());
        warmLine(out, "SQL  its three reads (JDBC)", sql.latencies());
        line(
                out,
                "          one window: %d merged busy intervals from %d rows; CPU per API call: gateway %.1f ms,"
                        + " PostgreSQL %.1f ms",
                intervals,
                rows,
                api.perCall(api.cpu().gateway()),
                api.perCall(api.cpu().postgres()));
        long p50 = io.calsync.bench.support.Stats.percentile(api.latencies(), 0.5);
        long p99 = io.calsync.bench.support.Stats.percentile(api.latencies(), 0.99);
        long sql50 = io.calsync.bench.support.Stats.percentile(sql.latencies(), 0.5);
        line(
                out,
                "bench: freebusy service time p50 = %s ms (target < 20 ms) %s",
                Stats.ms(p50),
                verdict(api.latencies().length > 0 && p50 < 20_000_000L));
        line(
                out,
                "bench: freebusy service time p99 = %s ms (target < 20 ms) %s",
                Stats.ms(p99),
                verdict(api.latencies().length > 0 && p99 < 20_000_000L));
        line(
                out,
                "          baseline: its reads in raw SQL p50 %s ms; API / SQL %s",
                Stats.ms(sql50),
                ratio(p50, sql50));
        System.out.print(out);
        System.out.flush();
    }

    /** One caller, the API and the lean SQL in alternating rounds over the same windows. */
    private record Interleaved(long[] api, long[] sql, CpuMeter.Usage apiCpu, CpuMeter.Usage sqlCpu, long rows) {}

    /**
     * Service time side by side: {@code rounds} rounds of {@code perRound} API calls then the same windows in the
     * lean SQL, one caller each (no queueing), so that both see the same machine state over the same minutes; the
     * CPU of each side is summed over its rounds.
     */
    private static Interleaved interleaved(
            CpuMeter cpu, int rounds, int perRound, List<Instant[]> windows, WindowCall api, WindowCall sql)
            throws InterruptedException {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        long[] apiCpu = new long[2];
        long[] sqlCpu = new long[2];
        double apiWall = 0;
        double sqlWall = 0;
        long rows = 0;
        CpuMeter.Usage lastApi;
        CpuMeter.Usage lastSql;
        for (int r = 0; r < rounds; r++) {
            int offset = r * perRound;
            CpuMeter.Reading r0 = cpu.read();
            long t0 = System.nanoTime();
            for (long l : OpenLoad.warm(1, perRound, 60, i -> api.call(
                    windows.get((offset + i) % windows.size())[0], windows.get((offset + i) % windows.size())[1]))) {
                a.add(l);
            }
            double w = (System.nanoTime() - t0) / 1e9;
            apiWall += w;
            lastApi = cpu.since(r0, w);
            apiCpu[0] += lastApi.gateway();
            apiCpu[1] += lastApi.postgres();
            CpuMeter.Reading r1 = cpu.read();
            long t1 = System.nanoTime();
            for (long l : OpenLoad.warm(1, perRound, 60, i -> sql.call(
                    windows.get((offset + i) % windows.size())[0], windows.get((offset + i) % windows.size())[1]))) {
                b.add(l);
            }
            double w1 = (System.nanoTime() - t1) / 1e9;
            sqlWall += w1;
            lastSql = cpu.since(r1, w1);
            sqlCpu[0] += lastSql.gateway();
            sqlCpu[1] += lastSql.postgres();
        }
        try {
            rows = sql.call(windows.get(0)[0], windows.get(0)[1]);
        } catch (Exception e) {
            rows = -1;
        }
        return new Interleaved(
                a.stream().mapToLong(Long::longValue).toArray(),
                b.stream().mapToLong(Long::longValue).toArray(),
                new CpuMeter.Usage(apiWall, 0, 0, 0, apiCpu[0], apiCpu[1], 0, ""),
                new CpuMeter.Usage(sqlWall, 0, 0, 0, sqlCpu[0], sqlCpu[1], 0, ""),
                rows);
    }

    /** The interleaved service times and the verdict on the API's against the lean SQL's. */
    private static void serviceTimeReport(Interleaved t) {
        StringBuilder out = new StringBuilder("\n");
        line(out, "%-34s %8s %8s %8s %8s %8s", "service time, 1 caller, interleaved", "p50", "p90", "p99", "max", "calls");
        warmLine(out, "API  GET /api/v1/calendar/events", t.api());
        warmLine(out, "SQL  lean: the answer's rows+columns", t.sql());
        line(
                out,
                "          CPU per call: API gateway %.1f ms + PostgreSQL %.1f ms; lean SQL PostgreSQL %.1f ms;"
                        + " one window reads %d rows",
                (double) t.apiCpu().gateway() / t.api().length,
                (double) t.apiCpu().postgres() / t.api().length,
                (double) t.sqlCpu().postgres() / t.sql().length,
                t.rows());
        long a50 = io.calsync.bench.support.Stats.percentile(t.api(), 0.5);
        long s50 = io.calsync.bench.support.Stats.percentile(t.sql(), 0.5);
        double ratio = s50 == 0 ? Double.NaN : (double) a50 / s50;
        line(
                out,
                "bench: events range API / lean SQL service time p50 = %.2fx (%s / %s ms) (target <= 2x) %s",
                ratio,
                Stats.ms(a50),
                Stats.ms(s50),
                verdict(t.api().length > 0 && ratio <= 2.0));
        System.out.print(out);
        System.out.flush();
    }

    /** Closed-loop calls: their latencies (service times) and the CPU they used. */
    private record Closed(long[] latencies, CpuMeter.Usage cpu) {
        double perCall(long ms) {
            return latencies.length == 0 ? Double.NaN : (double) ms / latencies.length;
        }
    }

    private static Closed closed(CpuMeter cpu, int count, double maxSeconds, OpenLoad.Task task)
            throws InterruptedException {
        CpuMeter.Reading r = cpu.read();
        long t = System.nanoTime();
        long[] latencies = OpenLoad.warm(2, count, maxSeconds, task);
        return new Closed(latencies, cpu.since(r, (System.nanoTime() - t) / 1e9));
    }

    /** A call over one window, returning the number of items it read. */
    interface WindowCall {
        long call(Instant start, Instant end) throws Exception;
    }

    /**
     * {@code warm} closed-loop calls (2 callers) over the first windows, then {@code measure} more over the windows
     * after them, measured as service time and CPU (each part bounded by {@code maxSeconds}).
     */
    private static Closed warmThenMeasure(
            CpuMeter cpu, int warm, int measure, double maxSeconds, List<Instant[]> windows, WindowCall call)
            throws InterruptedException {
        OpenLoad.warm(2, warm, maxSeconds, i -> call.call(windows.get(i)[0], windows.get(i)[1]));
        return closed(cpu, measure, maxSeconds, i -> call.call(windows.get(warm + i)[0], windows.get(warm + i)[1]));
    }

    /** Month windows starting at a random midnight (UTC) inside the seeded span, ending one calendar month later. */
    static List<Instant[]> monthWindows(Random r, int n) {
        List<Instant[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LocalDate from = Seeder.SPAN_FIRST_DAY.plusDays(r.nextInt(Seeder.SPAN_DAYS - 31));
            out.add(new Instant[] {
                from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                from.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            });
        }
        return out;
    }

    /** Windows of {@code days} days starting at a random midnight (UTC) inside the seeded span. */
    static List<Instant[]> dayWindows(Random r, int n, int days) {
        List<Instant[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LocalDate from = Seeder.SPAN_FIRST_DAY.plusDays(r.nextInt(Seeder.SPAN_DAYS - days));
            out.add(new Instant[] {
                from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                from.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant()
            });
        }
        return out;
    }

    /** The endpoint as the frontend calls it; returns the number of events in the answer. */
    private record Api(HttpClient http, String base, String token, AtomicLong bytes) {
        Api(HttpClient http, String base, String token) {
            this(http, base, token, new AtomicLong());
        }

        long call(Instant start, Instant end) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/calendar/events?start=" + start + "&end=" + end))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": "
                        + new String(
                                response.body(), 0, Math.min(300, response.body().length), StandardCharsets.UTF_8));
            }
            bytes.addAndGet(response.body().length);
            return occurrences(response.body(), EVENT_MARK);
        }

        /** {@code POST /freebusy} over every calendar of the user; returns the number of merged busy intervals. */
        long freeBusy(Instant start, Instant end) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/calendar/freebusy"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}"))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from /freebusy");
            }
            return occurrences(response.body(), BUSY_MARK);
        }
    }

    /** Each event of the answer has exactly one calendarId (attendees and reminders have none). */
    static long occurrences(byte[] body, byte[] mark) {
        long n = 0;
        outer:
        for (int i = 0; i <= body.length - mark.length; i++) {
            for (int k = 0; k < mark.length; k++) {
                if (body[i + k] != mark[k]) {
                    continue outer;
                }
            }
            n++;
            i += mark.length - 1;
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------- report

    private static void report(
            Db db,
            Seeder.Result s,
            List<Instant[]> windows,
            long longest,
            int rate,
            int seconds,
            double warmSeconds,
            Closed apiWarm,
            Closed sqlWarm,
            Closed allWarm,
            OpenLoad.Result api,
            long apiBytes,
            OpenLoad.Result sql,
            CpuMeter.Usage apiCpu,
            CpuMeter.Usage sqlCpu)
            throws Exception {
        Context ctx = context(db, s, windows, longest);
        StringBuilder out = new StringBuilder();
        line(out, "");
        line(out, "=== events-range: GET /api/v1/calendar/events for a month window, beside its raw SQL ===");
        line(
                out,
                "machine   %d cores (%s), %s RAM; client, gateway and PostgreSQL share them",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                memTotal());
        line(
                out,
                "JVM       %s %s (gateway and load generator)",
                System.getProperty("java.vm.name"),
                Runtime.version());
        line(out, "gateway   %s", env("BENCH_GATEWAY_INFO", "?"));
        line(out, "          JVM options: %s", env("BENCH_GATEWAY_OPTS", "(defaults)"));
        line(out, "database  %s", ctx.version);
        line(
                out,
                "data      user %s: %d calendars, %,d rows = %,d single events + %,d series masters + %,d overrides"
                        + " + %,d cancelled occurrences; %,d EXDATEs, %,d attendees, %,d reminders",
                EMAIL,
                s.calendars().size(),
                s.userRows(),
                s.singles(),
                s.series().size(),
                s.overrides(),
                s.cancelledOccurrences(),
                s.exdates(),
                s.attendees(),
                s.reminders());
        line(
                out,
                "          span %s .. %s; tables (with %d other users): calendar_events %,d rows, event_attendees %,d,"
                        + " event_reminders %,d; seeded in %.1f s",
                Seeder.SPAN_START,
                Seeder.SPAN_END,
                s.otherUsers(),
                s.tableRows(),
                s.attendeeTableRows(),
                s.reminderTableRows(),
                s.seconds());
        line(
                out,
                "          longest event per calendar: %s -> range lower bound = window start - %s",
                longestByName(s),
                days(longest));
        line(
                out,
                "load      open model, %d req/s for %d s (%d calls each), random month windows inside the span,"
                        + " latency from each call's due time",
                rate,
                seconds,
                api.count());
        line(
                out,
                "          warm-up first, closed loop with 2 callers: API for %.0f s, then the SQL; its second half is"
                        + " the service time below",
                warmSeconds);
        line(out, "");
        line(
                out,
                "%-34s %8s %8s %8s %8s %8s %12s",
                "latency at " + rate + "/s (ms)",
                "p50",
                "p90",
                "p99",
                "max",
                "failed",
                "items/call");
        for (OpenLoad.Result r : List.of(api, sql)) {
            line(
                    out,
                    "%-34s %8s %8s %8s %8s %8d %12.0f",
                    r.name(),
                    Stats.ms(r.percentile(0.50)),
                    Stats.ms(r.percentile(0.90)),
                    Stats.ms(r.percentile(0.99)),
                    Stats.ms(r.percentile(1.0)),
                    r.errors() + r.notSent(),
                    r.meanItems());
        }
        line(out, "          items/call: events in the answer (series expanded) | rows read");
        line(
                out,
                "          failed: error, timeout (10 s), or not sent because %d calls (1 s of load) were in flight;"
                        + " a failed call counts as infinitely slow",
                rate);
        line(out, "");
        line(out, "          CPU during the phase: SQL  %s", sqlCpu.cores());
        line(out, "                                API  %s", apiCpu.cores());
        line(out, "");
        line(
                out,
                "%-34s %8s %8s %8s %8s %8s %12s",
                "service time, closed loop (ms)",
                "p50",
                "p90",
                "p99",
                "max",
                "calls",
                "max rate/s");
        warmLine(out, "API  GET /api/v1/calendar/events", apiWarm.latencies());
        warmLine(out, "SQL  singles + masters (JDBC)", sqlWarm.latencies());
        warmLine(out, "SQL  every read of EventReader", allWarm.latencies());
        line(
                out,
                "          every read: calendars, singles, masters, their attendees and reminders, overrides per"
                        + " calendar (17 round trips here), raw JDBC");
        line(
                out,
                "%-34s %8s %10s %10s %8s",
                "CPU per call, closed loop (ms)",
                "gateway",
                "PostgreSQL",
                "generator",
                "other");
        for (Map.Entry<String, Closed> e : List.of(
                Map.entry("API  GET /api/v1/calendar/events", apiWarm),
                Map.entry("SQL  singles + masters (JDBC)", sqlWarm),
                Map.entry("SQL  every read of EventReader", allWarm))) {
            Closed c = e.getValue();
            line(
                    out,
                    "%-34s %8.1f %10.1f %10.1f %8.1f",
                    e.getKey(),
                    c.perCall(c.cpu().gateway()),
                    c.perCall(c.cpu().postgres()),
                    c.perCall(c.cpu().generator()),
                    c.perCall(c.cpu().other()));
        }
        line(
                out,
                "          CPU during the closed-loop API calls: %s",
                apiWarm.cpu().cores());
        line(
                out,
                "          (PostgreSQL includes its parallel query workers; other: processes that are none of these)");
        line(
                out,
                "          answer size: %,.0f bytes of JSON per request (mean); masters read per request: %.0f"
                        + " (mean), of which %.0f have occurrences left at the window start",
                (double) apiBytes / Math.max(1, api.count() - api.errors() - api.notSent()),
                ctx.mastersRead,
                ctx.mastersLive);
        line(
                out,
                "          load generator: max dispatch lag %s ms (the schedule was kept if this is small)",
                Stats.ms(Math.max(api.maxDispatchLagNanos(), sql.maxDispatchLagNanos())));
        line(out, "");
        long api99 = api.percentile(0.99);
        long sql99 = sql.percentile(0.99);
        boolean valid = sql.errors() + sql.notSent() == 0;
        line(
                out,
                "ratio     API / raw SQL (singles + masters):   p50 %s   p99 %s",
                ratio(api.percentile(0.5), sql.percentile(0.5)),
                ratio(api99, sql99));
        line(
                out,
                "          closed-loop service time, API / raw SQL: p50 %s   (API / every read of EventReader: %s)",
                ratio(
                        io.calsync.bench.support.Stats.percentile(apiWarm.latencies(), 0.5),
                        io.calsync.bench.support.Stats.percentile(sqlWarm.latencies(), 0.5)),
                ratio(
                        io.calsync.bench.support.Stats.percentile(apiWarm.latencies(), 0.5),
                        io.calsync.bench.support.Stats.percentile(allWarm.latencies(), 0.5)));
        line(out, "");
        line(
                out,
                "target    p99 of the API              %8s ms   target < 50 ms     %s",
                Stats.ms(api99),
                verdict(valid && api99 < 50_000_000L));
        line(
                out,
                "target    p99 API / p99 raw SQL       %8s      target <= 3x       %s",
                ratio(api99, sql99),
                verdict(valid && api99 != OpenLoad.FAILED && api99 <= 3 * sql99));
        if (api.errors() + api.notSent() > 0) {
            line(
                    out,
                    "          API: %d errors, %d not sent; first error: %s",
                    api.errors(),
                    api.notSent(),
                    api.firstError());
        }
        if (!valid) {
            line(
                    out,
                    "INVALID   the baseline failed %d times; first: %s",
                    sql.errors() + sql.notSent(),
                    sql.firstError());
        }
        line(out, "");
        line(
                out,
                "context   shared/INFRA.md, same machine class (warm, medians): one user's month (~2,200 rows of 50k;");
        line(
                out,
                "          550k rows in the table): btree (connection_id, start_time) alone 66 ms median, 88 ms p99;");
        line(
                out,
                "          btree + a lower bound from a known max event length 7 ms; GiST range 6.5-8 ms, p99 10-12 ms");
        line(
                out,
                "          this run: raw SQL p50 %s ms / p99 %s ms for %.0f rows per call",
                Stats.ms(sql.percentile(0.5)),
                Stats.ms(sql.percentile(0.99)),
                sql.meanItems());
        line(
                out,
                "          index range the singles query reads (mean of %d windows): %,.0f rows with the lower"
                        + " bound of the longest calendar, %,.0f with each calendar's own bound; %,.0f rows returned",
                ctx.sampled,
                ctx.rangeGlobal,
                ctx.rangePerCalendar,
                ctx.singlesReturned);
        line(out, "          plan of the singles query: %s", ctx.plan);
        line(out, "          plan of the attendee lookup as the gateway sends it (IN list of %s", ctx.attendeePlan);
        System.out.print(out);
        System.out.flush();
    }

    /** Percentiles of closed-loop service times, and the rate 2 callers reach. */
    private static void warmLine(StringBuilder out, String name, long[] l) {
        double mean = java.util.Arrays.stream(l).average().orElse(Double.NaN) / 1e9;
        line(
                out,
                "%-34s %8s %8s %8s %8s %8d %12.0f",
                name,
                Stats.ms(io.calsync.bench.support.Stats.percentile(l, 0.5)),
                Stats.ms(io.calsync.bench.support.Stats.percentile(l, 0.9)),
                Stats.ms(io.calsync.bench.support.Stats.percentile(l, 0.99)),
                Stats.ms(io.calsync.bench.support.Stats.percentile(l, 1)),
                l.length,
                2 / mean);
    }

    private static String ratio(long a, long b) {
        return a == OpenLoad.FAILED || b == OpenLoad.FAILED || b <= 0
                ? "n/a"
                : String.format(Locale.ROOT, "%.1fx", (double) a / b);
    }

    private static String verdict(boolean ok) {
        return ok ? "PASS" : "MISS";
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String longestByName(Seeder.Result s) {
        List<String> parts = new ArrayList<>();
        for (Seeder.Cal c : s.calendars()) {
            parts.add(c.name() + " " + days(s.longestByCalendar().getOrDefault(c.id(), 86_400L)));
        }
        return String.join(", ", parts);
    }

    private static String days(long secs) {
        return secs % 86_400 == 0 ? secs / 86_400 + " d" : String.format(Locale.ROOT, "%.1f d", secs / 86_400.0);
    }

    private record Context(
            String version,
            int sampled,
            double rangeGlobal,
            double rangePerCalendar,
            double singlesReturned,
            double mastersRead,
            double mastersLive,
            String plan,
            String attendeePlan) {}

    /** Facts measured beside the load (not timed): what the singles query's index range covers, masters read. */
    private static Context context(Db db, Seeder.Result s, List<Instant[]> windows, long longest) throws Exception {
        int sampled = Math.min(50, windows.size());
        long global = 0;
        long perCalendar = 0;
        long returned = 0;
        String version;
        String plan = "";
        String attendeePlan;
        try (Connection c = db.open()) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT split_part(version(), ' on ', 1)")) {
                rs.next();
                version = rs.getString(1) + ", shared_buffers " + setting(c, "shared_buffers");
            }
            for (int i = 0; i < sampled; i++) {
                Instant start = windows.get(i)[0];
                Instant end = windows.get(i)[1];
                for (Map.Entry<UUID, Long> cal : s.longestByCalendar().entrySet()) {
                    global += countRange(c, cal.getKey(), start.minusSeconds(longest), end);
                    perCalendar += countRange(c, cal.getKey(), start.minusSeconds(cal.getValue()), end);
                }
                try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM calendar_events e WHERE"
                        + " e.connection_id = ANY(?) AND e.recurrence_rule IS NULL AND e.start_time < ?"
                        + " AND e.end_time > ? AND e.status <> 'CANCELLED' AND e.sync_status <> 'DELETED'"
                        + " AND (e.pending_operation IS NULL OR e.pending_operation <> 'DELETE')")) {
                    p.setArray(
                            1,
                            c.createArrayOf(
                                    "uuid", s.longestByCalendar().keySet().toArray()));
                    p.setObject(2, end.atOffset(ZoneOffset.UTC));
                    p.setObject(3, start.atOffset(ZoneOffset.UTC));
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        returned += rs.getLong(1);
                    }
                }
            }
            Instant start = windows.getFirst()[0];
            Instant end = windows.getFirst()[1];
            try (PreparedStatement p = c.prepareStatement(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT e.* FROM"
                            + " calendar_events e WHERE e.connection_id = ANY(?) AND e.recurrence_rule IS NULL"
                            + " AND e.start_time < ? AND e.end_time > ? AND e.start_time >= ? AND e.status <> 'CANCELLED'"
                            + " AND e.sync_status <> 'DELETED' AND (e.pending_operation IS NULL OR e.pending_operation <> 'DELETE')")) {
                p.setArray(
                        1,
                        c.createArrayOf("uuid", s.longestByCalendar().keySet().toArray()));
                p.setObject(2, end.atOffset(ZoneOffset.UTC));
                p.setObject(3, start.atOffset(ZoneOffset.UTC));
                p.setObject(4, start.minusSeconds(longest).atOffset(ZoneOffset.UTC));
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1).trim());
                    }
                }
                plan = summarisePlan(lines);
            }
            attendeePlan = attendeePlan(c, s, start, end, longest);
        }
        double read = 0;
        double live = 0;
        for (Instant[] w : windows) {
            for (Seeder.Series x : s.series()) {
                if (x.start().isBefore(w[1])) {
                    read++;
                    if (x.liveIn(w[0])) {
                        live++;
                    }
                }
            }
        }
        return new Context(
                version,
                sampled,
                (double) global / sampled,
                (double) perCalendar / sampled,
                (double) returned / sampled,
                read / windows.size(),
                live / windows.size(),
                plan,
                attendeePlan);
    }

    /**
     * The plan of the attendee lookup as EventReader.children sends it through Hibernate: {@code event_id IN (?, ...)}
     * with one bind parameter per single event of the window (a new statement text for every count).
     */
    private static String attendeePlan(Connection c, Seeder.Result s, Instant start, Instant end, long longest)
            throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement("SELECT e.id FROM calendar_events e WHERE e.connection_id = ANY(?)"
                        + " AND e.recurrence_rule IS NULL AND e.start_time < ? AND e.end_time > ? AND e.start_time >= ?"
                        + " AND e.status <> 'CANCELLED' AND e.sync_status <> 'DELETED'"
                        + " AND (e.pending_operation IS NULL OR e.pending_operation <> 'DELETE')")) {
            p.setArray(1, c.createArrayOf("uuid", s.longestByCalendar().keySet().toArray()));
            p.setObject(2, end.atOffset(ZoneOffset.UTC));
            p.setObject(3, start.atOffset(ZoneOffset.UTC));
            p.setObject(4, start.minusSeconds(longest).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add((UUID) rs.getObject(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return "no single events in the window";
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        List<String> lines = new ArrayList<>();
        for (int run = 0; run < 2; run++) { // the second run is reported (warm)
            lines.clear();
            try (PreparedStatement p = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) SELECT ea1_0.id,"
                    + " ea1_0.display_name, ea1_0.email, ea1_0.event_id, ea1_0.optional, ea1_0.organizer,"
                    + " ea1_0.response_status FROM event_attendees ea1_0 WHERE ea1_0.event_id IN (" + marks + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    p.setObject(i + 1, ids.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1).trim());
                    }
                }
            }
        }
        List<String> keep = new ArrayList<>();
        for (String l : lines) {
            String t = l.replaceFirst("^->\\s*", "");
            if (t.startsWith("Gather")
                    || t.contains("Scan on")
                    || t.startsWith("Workers Launched")
                    || t.startsWith("Planning Time")
                    || t.startsWith("Execution Time")) {
                keep.add(t.replaceAll(" \\(actual.*\\)", ""));
            }
        }
        return ids.size() + " parameters: " + String.join("; ", keep);
    }

    private static long countRange(Connection c, UUID calendar, Instant lower, Instant end) throws Exception {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM calendar_events"
                + " WHERE connection_id = ? AND start_time >= ? AND start_time < ?")) {
            p.setObject(1, calendar);
            p.setObject(2, lower.atOffset(ZoneOffset.UTC));
            p.setObject(3, end.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The first plan node, its filter's removed rows, and the execution time, on one line. */
    private static String summarisePlan(Collection<String> lines) {
        List<String> keep = new ArrayList<>();
        for (String l : lines) {
            String t = l.replaceFirst("^->\\s*", "");
            if (keep.isEmpty()
                    || t.startsWith("Rows Removed")
                    || t.startsWith("Execution Time")
                    || t.startsWith("Buffers") && keep.size() < 3) {
                keep.add(t);
            }
        }
        return String.join("; ", keep);
    }

    private static String setting(Connection c, String name) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(
                            Locale.ROOT, "%.0f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw new IllegalStateException(name + " is not set");
            }
            return fallback;
        }
        return v;
    }
}
