package io.calsync.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.calsync.bench.support.Db;
import io.calsync.bench.support.Log;
import io.calsync.bench.support.Stats;
import io.calsync.model.security.TokenCipher;
import io.calsync.sandbox.google.GoogleCalendarStore;
import io.calsync.sync.application.SyncEngine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark of the initial sync: N events of a Google calendar (the in-process sandbox) into PostgreSQL through
 * sync-service's engine, beside a raw JDBC batch upsert of the same rows, measured in the same run. bench/
 * sync-initial.sh brings up PostgreSQL, builds what is missing and calls:
 *
 * <pre>
 *   run       a fresh database, the sandbox, the seed, warm-up and measured rounds (a, b, a, b...), the report
 *   cleanup   drops the benchmark's database (after an interrupted run)
 * </pre>
 *
 * <p>Every round starts from the same state: the connection's events deleted (attendees and reminders go with them),
 * its cursor reset, the three tables vacuumed and analysed, a checkpoint taken, all untimed. Autovacuum is off for
 * those tables in the benchmark's database, so that it never starts in the middle of a timed round; the explicit
 * vacuum before each round does its work.
 *
 * <p>Settings come from the environment (see bench/README.md); the report goes to stdout, progress to stderr.
 */
public final class SyncInitialBench {

    static final String DEFAULT_DATABASE = "calsync_bench_sync";
    static final String USER_EMAIL = "bench-sync@bench.calsync.test";
    static final String GOOGLE_EMAIL = "bench.sync@gmail.sandbox.test";
    static final double TARGET = 0.5;
    /** A benchmark-only AES-256 key (32 characters, a form ENCRYPTION_KEY may take); no deployment ever uses it. */
    private static final String BENCH_KEY = "calsync-bench-only-key-000000000";

    private static final List<String> TABLES =
            List.of("calendar_events", "event_attendees", "event_reminders", "calendar_connections");

    /** Something that makes the measurement meaningless: the run stops with a non-zero status. */
    static final class BenchFailure extends RuntimeException {
        BenchFailure(String message) {
            super(message);
        }
    }

    record RoundA(
            double seconds,
            double adapter,
            double upserts,
            int pages,
            Cpu.Usage cpu,
            double providerErrors,
            int events,
            int attendees,
            int reminders) {
        double eventsPerSecond(int n) {
            return n / seconds;
        }

        double pagesOnly() {
            return adapter - upserts;
        }

        double rest() {
            return seconds - adapter;
        }
    }

    record RoundB(double seconds, Cpu.Usage cpu) {}

    private final Db server;
    private final String database;
    private final int n;
    private final int rounds;
    private final int warmup;
    private final long seed;
    private final boolean keepDatabase;
    private boolean checkpoints = true;

    private SyncInitialBench(Db server, String database) {
        this.server = server;
        this.database = database;
        this.n = intEnv("BENCH_EVENTS", 50_000, 1);
        this.rounds = intEnv("BENCH_ROUNDS", 15, 1);
        this.warmup = intEnv("BENCH_WARMUP", 2, 0);
        this.seed = Long.parseLong(env("BENCH_SEED", "42"));
        this.keepDatabase = "1".equals(env("BENCH_KEEP_DB", "0"));
    }

    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "run";
        String url = System.getenv("BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            System.err.println("bench: BENCH_DATABASE_URL is not set (bench/sync-initial.sh sets it)");
            System.exit(2);
        }
        Db server = Db.parse(url);
        String database = env("BENCH_DB", DEFAULT_DATABASE);
        int status;
        try {
            switch (command) {
                case "run" -> status = new SyncInitialBench(server, database).run();
                case "cleanup" -> {
                    server.drop(database);
                    status = 0;
                }
                default -> {
                    System.err.println("usage: SyncInitialBench run|cleanup (see bench/README.md)");
                    status = 2;
                }
            }
        } catch (BenchFailure e) {
            Log.say("FAILED: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            Log.say("FAILED: " + e);
            e.printStackTrace(System.err);
            status = 1;
        }
        // The sandbox's web server and the pool have non-daemon threads; everything is closed by now.
        System.exit(status);
    }

    /**
     * The pool both sides use, set up as platform's calsync-defaults.properties sets up every service's: Hikari, 10
     * connections, pgjdbc with {@code reWriteBatchedInserts=true}.
     */
    static HikariDataSource pool(Db db) {
        com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(10);
        c.setConnectionTimeout(5000);
        c.setPoolName("bench-sync");
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("ApplicationName", "calsync-bench-sync");
        return new HikariDataSource(c);
    }

    private int run() throws Exception {
        Log.takeStdout();
        Log.say("events " + n + ", warm-up rounds " + warmup + ", measured rounds " + rounds + ", seed " + seed);
        Log.say("creating database " + database + " on " + server.host() + ":" + server.port());
        server.recreate(database);
        Db db = server.withDatabase(database);
        try {
            try (HikariDataSource pool = pool(db)) {
                measure(db, pool);
            }
        } finally {
            if (keepDatabase) {
                Log.say("keeping database " + database + " (BENCH_KEEP_DB=1)");
            } else {
                server.drop(database);
                Log.say("database " + database + " dropped");
            }
        }
        return 0;
    }

    private void measure(Db db, HikariDataSource pool) throws Exception {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        for (String table : TABLES) {
            jdbc.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
        }
        long backend = jdbc.queryForObject("SELECT pg_backend_pid()", Long.class);
        Cpu cpu = new Cpu(db.local() ? Cpu.parentOf(backend) : 0);

        Log.say("starting the sandbox");
        try (Sandbox sandbox = Sandbox.start()) {
            String accountId = sandbox.newGoogleAccount(GOOGLE_EMAIL);
            Sandbox.Tokens tokens = sandbox.issueTokens(accountId);
            Instant now = Instant.now();
            Seeder.Seeded seeded = new Seeder(seed, n).seed(sandbox.bean(GoogleCalendarStore.class), GOOGLE_EMAIL, now);
            Log.say(String.format(
                    Locale.ROOT, "seeded %,d events at the sandbox in %.1f s", seeded.total(), seeded.seconds()));

            // The rows oauth-service would have written at the selection: the user, and the connection with its
            // tokens encrypted as every service encrypts them, valid for the hour the sandbox grants.
            TokenCipher cipher = TokenCipher.fromKeyStrings(BENCH_KEY, List.of());
            UUID userId = jdbc.queryForObject(
                    "INSERT INTO calendar_users (email, display_name) VALUES (?, ?) RETURNING id",
                    UUID.class,
                    USER_EMAIL,
                    "Bench User");
            UUID connectionId = jdbc.queryForObject(
                    """
                    INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name,
                      account_email, is_primary, access_token, refresh_token, token_expires_at, token_scopes)
                    VALUES (?, 'GOOGLE', ?, ?, ?, true, ?, ?, ?, ?) RETURNING id
                    """,
                    UUID.class,
                    userId,
                    GOOGLE_EMAIL,
                    GOOGLE_EMAIL,
                    GOOGLE_EMAIL,
                    cipher.encrypt(tokens.accessToken()),
                    cipher.encrypt(tokens.refreshToken()),
                    Timestamp.from(now.plusSeconds(Math.min(3600, tokens.expiresInSeconds()))),
                    "https://www.googleapis.com/auth/calendar");

            Engine engine = new Engine(pool, cipher, sandbox.endpoints());
            header(jdbc, db, seeded);

            RawUpsert raw = null;
            List<RoundA> as = new ArrayList<>();
            List<RoundB> bs = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            Log.report("");
            Log.report("round         (a) engine.sync           (b) raw JDBC batch       a/b");
            Log.report("              seconds   events/s        seconds   events/s");
            for (int i = 0; i < warmup + rounds; i++) {
                boolean measured = i >= warmup;
                String label = measured ? "measured " + (i - warmup + 1) : "warm-up " + (i + 1);
                Log.say(label + ": (a) the engine");
                reset(jdbc, connectionId);
                RoundA a = roundA(engine, jdbc, cpu, connectionId);
                if (raw == null) {
                    raw = RawUpsert.snapshot(pool, connectionId);
                    Log.say(String.format(
                            Locale.ROOT,
                            "baseline rows read: %,d events, %,d attendees, %,d reminders",
                            raw.events(),
                            raw.attendees(),
                            raw.reminders()));
                }
                if (a.attendees() != raw.attendees() || a.reminders() != raw.reminders()) {
                    throw new BenchFailure(String.format(
                            Locale.ROOT,
                            "%s: the engine stored %d attendees and %d reminders, the first round %d and %d",
                            label,
                            a.attendees(),
                            a.reminders(),
                            raw.attendees(),
                            raw.reminders()));
                }
                Log.say(label + ": (b) the raw batch upsert");
                reset(jdbc, connectionId);
                RoundB b = roundB(raw, pool, jdbc, cpu, connectionId, label);
                Log.report(String.format(
                        Locale.ROOT,
                        "%-13s %7.3f %10s        %7.3f %10s       %5.2f%s",
                        label,
                        a.seconds(),
                        rate(a.eventsPerSecond(n)),
                        b.seconds(),
                        rate(n / b.seconds()),
                        a.eventsPerSecond(n) / (n / b.seconds()),
                        a.providerErrors() > 0 ? "  * provider calls retried" : ""));
                if (measured) {
                    as.add(a);
                    bs.add(b);
                    labels.add(label);
                }
            }
            TimedRounds timedRounds = timedRounds(pool, jdbc, cpu, cipher, sandbox, raw, connectionId);
            if (!keepDatabase) {
                reset(jdbc, connectionId);
            }

            double aRate = Stats.median(as, r -> r.eventsPerSecond(n));
            double bRate = Stats.median(bs, r -> n / r.seconds());
            double ratio = aRate / bRate;
            Log.report(String.format(
                    Locale.ROOT,
                    "%-13s %7.3f %10s        %7.3f %10s       %5.2f",
                    "median (" + rounds + ")",
                    Stats.median(as, RoundA::seconds),
                    rate(aRate),
                    Stats.median(bs, RoundB::seconds),
                    rate(bRate),
                    ratio));
            Log.report("");
            Log.report(String.format(
                    Locale.ROOT,
                    "target    events/s of (a) / events/s of (b), medians: %.2f   target >= %.1f   %s",
                    ratio,
                    TARGET,
                    ratio >= TARGET ? "PASS" : "MISS"));
            // The rounds' own ratios, each (a) against the (b) measured right after it: how far one round's figure is
            // from the median says how much a single measurement could be trusted.
            double[] ratios = new double[as.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = as.get(i).eventsPerSecond(n) / (n / bs.get(i).seconds());
            }
            double[] sorted = ratios.clone();
            java.util.Arrays.sort(sorted);
            Log.report(String.format(
                    Locale.ROOT,
                    "spread    per-round a/b over %d rounds: min %.2f, p25 %.2f, median %.2f, p75 %.2f, max %.2f"
                            + " (interquartile range %.0f%% of the median)",
                    sorted.length,
                    sorted[0],
                    sorted[sorted.length / 4],
                    sorted[sorted.length / 2],
                    sorted[(3 * sorted.length) / 4],
                    sorted[sorted.length - 1],
                    100 * (sorted[(3 * sorted.length) / 4] - sorted[sorted.length / 4]) / sorted[sorted.length / 2]));
            double engineCpu = Stats.median(as, r -> r.cpu().thread());
            Log.report(String.format(
                    Locale.ROOT,
                    "cpu       the engine's own thread (the sandbox serves on other threads of this JVM, not counted):"
                            + " median %.2f s a round, %.1f µs per event; PostgreSQL %.2f s a round",
                    engineCpu,
                    engineCpu * 1e6 / n,
                    Stats.median(as, r -> r.cpu().postgres())));
            Log.report(String.format(
                    Locale.ROOT,
                    "bench: sync-initial engine / raw JDBC (median of %d) = %.2f (target %.1f) %s",
                    ratios.length,
                    ratio,
                    TARGET,
                    ratio >= TARGET ? "PASS" : "MISS"));
            Log.report(String.format(
                    Locale.ROOT,
                    "          (b) wrote the same %,d events, %,d attendees and %,d reminders in one transaction;"
                            + " pgjdbc rewrote its batches into multi-row INSERTs: %s",
                    raw.events(),
                    raw.attendees(),
                    raw.reminders(),
                    raw.rewritten ? "yes" : "NO"));

            breakdown(as, bs, labels);
            pageProfile(sandbox, engine, tokens, as);
            statements(timedRounds);
        }
    }

    // ------------------------------------------------------------------------------------------------ the rounds

    private RoundA roundA(Engine engine, JdbcTemplate jdbc, Cpu cpu, UUID connectionId) {
        engine.timed.reset();
        double errors = engine.providerErrors();
        Cpu.Reading r0 = cpu.read();
        long t0 = System.nanoTime();
        SyncEngine.Result result = engine.engine.sync(connectionId, "INITIAL", true, null, () -> {});
        long nanos = System.nanoTime() - t0;
        Cpu.Usage usage = cpu.since(r0);
        int[] counts = counts(jdbc, connectionId);
        if (result.outcome() != SyncEngine.Outcome.SYNCED || !result.full()) {
            throw new BenchFailure("the engine's pass ended " + result.outcome() + (result.full() ? "" : " (not full)")
                    + "; see the log above");
        }
        if (counts[0] != n || result.upserted() != n) {
            throw new BenchFailure(String.format(
                    Locale.ROOT,
                    "the engine reported %d upserted and %d rows are stored for the connection, %d expected",
                    result.upserted(),
                    counts[0],
                    n));
        }
        return new RoundA(
                nanos / 1e9,
                engine.timed.adapterNanos / 1e9,
                engine.timed.sinkNanos / 1e9,
                engine.timed.pages,
                usage,
                engine.providerErrors() - errors,
                counts[0],
                counts[1],
                counts[2]);
    }

    private RoundB roundB(RawUpsert raw, DataSource pool, JdbcTemplate jdbc, Cpu cpu, UUID connectionId, String label)
            throws Exception {
        Cpu.Reading r0 = cpu.read();
        long nanos = raw.write(pool);
        Cpu.Usage usage = cpu.since(r0);
        int[] counts = counts(jdbc, connectionId);
        if (counts[0] != raw.events() || counts[1] != raw.attendees() || counts[2] != raw.reminders()) {
            throw new BenchFailure(String.format(
                    Locale.ROOT,
                    "%s: the raw upsert left %d events, %d attendees, %d reminders; %d, %d, %d expected",
                    label,
                    counts[0],
                    counts[1],
                    counts[2],
                    raw.events(),
                    raw.attendees(),
                    raw.reminders()));
        }
        return new RoundB(nanos / 1e9, usage);
    }

    /** The diagnostic rounds: each side's wall time and its statements, slowest first. */
    record TimedRounds(RoundA a, List<SqlTimer.Entry> aStatements, RoundB b, List<SqlTimer.Entry> bStatements) {}

    /**
     * One more round of each side, not part of the figures: both through {@link SqlTimer}, with a second engine built
     * the same way over the timed DataSource, so that the report can say which statements the time goes to.
     */
    private TimedRounds timedRounds(
            HikariDataSource pool,
            JdbcTemplate jdbc,
            Cpu cpu,
            TokenCipher cipher,
            Sandbox sandbox,
            RawUpsert raw,
            UUID connectionId)
            throws Exception {
        Log.say("one more round of each side with a stopwatch at the JDBC calls");
        SqlTimer timer = new SqlTimer();
        DataSource timed = timer.wrap(pool);
        Engine probe = new Engine(timed, cipher, sandbox.endpoints());
        reset(jdbc, connectionId);
        RoundA a = roundA(probe, jdbc, cpu, connectionId);
        List<SqlTimer.Entry> aStatements = timer.drain();
        reset(jdbc, connectionId);
        RoundB b = roundB(raw, timed, jdbc, cpu, connectionId, "the timed round");
        return new TimedRounds(a, aStatements, b, timer.drain());
    }

    private void statements(TimedRounds t) {
        Log.report("");
        Log.report("statements: one more round of each side through a stopwatch at the JDBC calls (statement sent, run,"
                + " answer read), not part of the figures above; seconds, calls");
        Log.report(String.format(
                Locale.ROOT,
                "(a) round %.2f s, of which page upserts %.2f s; its statements, slowest first:",
                t.a().seconds(),
                t.a().upserts()));
        int shown = 12;
        t.aStatements().stream().limit(shown).forEach(e -> Log.report(line(e)));
        if (t.aStatements().size() > shown) {
            List<SqlTimer.Entry> rest =
                    t.aStatements().subList(shown, t.aStatements().size());
            Log.report(String.format(
                    Locale.ROOT,
                    "  %6.3f %5d  (%d more statements)",
                    rest.stream().mapToDouble(SqlTimer.Entry::seconds).sum(),
                    rest.stream().mapToInt(SqlTimer.Entry::calls).sum(),
                    rest.size()));
        }
        Log.report(String.format(Locale.ROOT, "(b) round %.2f s; its statements:", t.b().seconds()));
        t.bStatements().forEach(e -> Log.report(line(e)));
    }

    private static String line(SqlTimer.Entry e) {
        return String.format(Locale.ROOT, "  %6.3f %5d  %s", e.seconds(), e.calls(), e.sql());
    }

    /** Events, attendees and reminders of the connection. */
    private static int[] counts(JdbcTemplate jdbc, UUID connectionId) {
        return jdbc.queryForObject(
                """
                SELECT (SELECT count(*) FROM calendar_events WHERE connection_id = ?),
                  (SELECT count(*) FROM event_attendees a JOIN calendar_events e ON e.id = a.event_id
                   WHERE e.connection_id = ?),
                  (SELECT count(*) FROM event_reminders r JOIN calendar_events e ON e.id = r.event_id
                   WHERE e.connection_id = ?)
                """,
                (rs, i) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)},
                connectionId,
                connectionId,
                connectionId);
    }

    /** The state every round starts from (untimed): no events, no cursor, clean tables, a fresh checkpoint. */
    private void reset(JdbcTemplate jdbc, UUID connectionId) {
        jdbc.update("DELETE FROM calendar_events WHERE connection_id = ?", connectionId);
        jdbc.update(
                "UPDATE calendar_connections SET google_sync_token = NULL, sync_status = 'PENDING',"
                        + " last_synced_at = NULL, event_count = 0, max_event_duration_secs = 86400 WHERE id = ?",
                connectionId);
        jdbc.execute("VACUUM (ANALYZE) " + String.join(", ", TABLES));
        if (checkpoints) {
            try {
                // Without it a checkpoint due to time or WAL volume may fall into any round, on either side.
                jdbc.execute("CHECKPOINT");
            } catch (org.springframework.dao.DataAccessException e) {
                checkpoints = false;
                Log.say("CHECKPOINT refused (needs superuser or pg_checkpoint); rounds run without it");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the report

    private void header(JdbcTemplate jdbc, Db db, Seeder.Seeded seeded) {
        Log.report(String.format(
                Locale.ROOT,
                "Initial sync of %,d Google events into PostgreSQL, beside a raw JDBC batch upsert of the same rows",
                n));
        Log.report("");
        Log.report("machine   " + machine());
        Log.report(String.format(
                Locale.ROOT,
                "database  PostgreSQL %s on %s:%d, fresh database %s (fsync=%s, synchronous_commit=%s,"
                        + " shared_buffers=%s); autovacuum off for the bench tables, VACUUM ANALYZE + CHECKPOINT"
                        + " before every round",
                setting(jdbc, "server_version"),
                db.host(),
                db.port(),
                database,
                setting(jdbc, "fsync"),
                setting(jdbc, "synchronous_commit"),
                setting(jdbc, "shared_buffers")));
        String code = System.getenv("BENCH_CODE_INFO");
        if (code != null && !code.isBlank()) {
            Log.report("code      " + code);
        }
        Log.report(String.format(
                Locale.ROOT,
                "data      %,d events on the sandbox's primary calendar: %,d timed singles, %,d all-day, %,d series"
                        + " masters; %,d attendees, %,d reminder overrides, %,d on the calendar's default reminder",
                seeded.total(),
                seeded.singles(),
                seeded.allDay(),
                seeded.masters(),
                seeded.attendees(),
                seeded.overrides(),
                seeded.useDefault()));
        Log.report("(a)       SyncEngine.sync(connection, \"INITIAL\", full) built without Spring: Calendar v3 pages of"
                + " 2,500 over loopback HTTP from the in-process sandbox, mapping, one transaction per page"
                + " (unnest upsert, attendees, reminders, series links), sweep, recount, status, outbox, audit");
        Log.report("(b)       the rows (a) stored, read back untimed, written with PreparedStatement.addBatch per row,"
                + " executeBatch per " + RawUpsert.BATCH + ", one transaction; same Hikari pool (pgjdbc,"
                + " reWriteBatchedInserts=true)");
    }

    private void breakdown(List<RoundA> as, List<RoundB> bs, List<String> labels) {
        Log.report("");
        Log.report("where (a)'s time goes, seconds: provider pages = the adapter's HTTP, JSON and mapping; page upserts"
                + " = the engine storing the pages (EventStore.apply, one transaction each); rest = reading the"
                + " connection and the final transaction (sweep, recount, status, outbox, audit). CPU seconds"
                + " during the round: this JVM (engine, sandbox, JIT, GC), of which the engine's thread; PostgreSQL;"
                + " other processes");
        Log.report("round         total   pages  provider pages  page upserts    rest |  CPU  JVM  engine thread"
                + "  PostgreSQL  other | (b) CPU  JVM  PostgreSQL  other");
        for (int i = 0; i < as.size(); i++) {
            RoundA a = as.get(i);
            RoundB b = bs.get(i);
            Log.report(String.format(
                    Locale.ROOT,
                    "%-13s %5.2f %7d %15.2f %13.2f %7.2f |      %5.2f %14.2f %11.2f %6.2f |        %5.2f %11.2f %6.2f",
                    labels.get(i),
                    a.seconds(),
                    a.pages(),
                    a.pagesOnly(),
                    a.upserts(),
                    a.rest(),
                    a.cpu().jvm(),
                    a.cpu().thread(),
                    a.cpu().postgres(),
                    a.cpu().other(),
                    b.cpu().jvm(),
                    b.cpu().postgres(),
                    b.cpu().other()));
        }
        Log.report(String.format(
                Locale.ROOT,
                "%-13s %5.2f %7s %15.2f %13.2f %7.2f |      %5.2f %14.2f %11.2f %6.2f |        %5.2f %11.2f %6.2f",
                "median",
                Stats.median(as, RoundA::seconds),
                "",
                Stats.median(as, RoundA::pagesOnly),
                Stats.median(as, RoundA::upserts),
                Stats.median(as, RoundA::rest),
                Stats.median(as, r -> r.cpu().jvm()),
                Stats.median(as, r -> r.cpu().thread()),
                Stats.median(as, r -> r.cpu().postgres()),
                Stats.median(as, r -> r.cpu().other()),
                Stats.median(bs, r -> r.cpu().jvm()),
                Stats.median(bs, r -> r.cpu().postgres()),
                Stats.median(bs, r -> r.cpu().other())));
    }

    private void pageProfile(Sandbox sandbox, Engine engine, Sandbox.Tokens tokens, List<RoundA> as)
            throws IOException {
        Instant now = Instant.now();
        PageProfile profile = new PageProfile(
                sandbox.baseUrl() + "/google/",
                GOOGLE_EMAIL,
                tokens.accessToken(),
                now.minus(engine.properties.windowPast()),
                now.plus(engine.properties.windowFuture()));
        Log.say("taking the provider pages apart (1 + 3 listings outside the engine)");
        profile.run(); // its own client instance: one listing to settle it, unreported
        List<PageProfile.Pass> passes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            passes.add(profile.run());
        }
        PageProfile.Pass first = passes.getFirst();
        if (first.items() != n) {
            throw new BenchFailure("the profile's listing held " + first.items() + " items, " + n + " expected");
        }
        double answer = Stats.median(passes, PageProfile.Pass::answer);
        double json = Stats.median(passes, PageProfile.Pass::json);
        double mapping = Stats.median(passes, PageProfile.Pass::mapping);
        Log.report("");
        Log.report(String.format(
                Locale.ROOT,
                "provider pages taken apart: the same listing outside the engine (%d pages, %,d items, %.1f MB of"
                        + " JSON), medians of 3; (a)'s provider pages took %.2f s",
                first.pages(),
                first.items(),
                first.bytes() / 1e6,
                Stats.median(as, RoundA::pagesOnly)));
        Log.report(String.format(
                Locale.ROOT,
                "  sandbox answer (render + loopback HTTP, body read as bytes)  %6.2f s   CPU: calling thread %.2f s,"
                        + " whole JVM %.2f s",
                answer,
                Stats.median(passes, PageProfile.Pass::answerThreadCpu),
                Stats.median(passes, PageProfile.Pass::answerJvmCpu)));
        Log.report(String.format(
                Locale.ROOT, "  JSON into the client's model (GsonFactory, Events)          %6.2f s", json));
        Log.report(String.format(
                Locale.ROOT, "  mapping (GoogleEventMapper.toProviderEvent)                 %6.2f s", mapping));
    }

    private static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        String model = procLine("/proc/cpuinfo", "model name");
        String mem = procLine("/proc/meminfo", "MemTotal");
        String load = read("/proc/loadavg");
        Set<String> gcs = new LinkedHashSet<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName().split(" ")[0]);
        }
        StringBuilder b = new StringBuilder();
        b.append(cores).append(cores == 1 ? " core" : " cores");
        if (model != null) {
            b.append(" (").append(model).append(')');
        }
        if (mem != null) {
            long kb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
            b.append(String.format(Locale.ROOT, ", %.1f GiB RAM", kb / 1024.0 / 1024.0));
        }
        b.append("; JDK ")
                .append(Runtime.version())
                .append(" (")
                .append(System.getProperty("java.vm.vendor"))
                .append(", ")
                .append(System.getProperty("java.vm.name"))
                .append("), GC ")
                .append(String.join("/", gcs))
                .append(", heap max ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(" MiB");
        if (load != null) {
            String[] f = load.trim().split("\\s+");
            b.append("; load average at start ")
                    .append(f[0])
                    .append(' ')
                    .append(f[1])
                    .append(' ')
                    .append(f[2]);
        }
        return b.toString();
    }

    private static String procLine(String file, String key) {
        String text = read(file);
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
            }
        }
        return null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String setting(JdbcTemplate jdbc, String name) {
        return jdbc.queryForObject("SELECT current_setting(?)", String.class, name);
    }

    private static String rate(double eventsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f", eventsPerSecond);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int intEnv(String name, int fallback, int min) {
        int v = Integer.parseInt(env(name, String.valueOf(fallback)));
        if (v < min) {
            throw new IllegalArgumentException(name + " must be at least " + min);
        }
        return v;
    }
}
