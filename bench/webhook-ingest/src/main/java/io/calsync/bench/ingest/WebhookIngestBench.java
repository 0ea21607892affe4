package io.calsync.bench.ingest;

import io.calsync.bench.support.Db;
import io.calsync.bench.support.Log;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark of webhook-ingest-service: Graph notifications accepted per second (202 after the broker acknowledged
 * with acks=all) beside a bare 202 route of the same server, in the same run, with the same closed-loop callers, the
 * same body and the same time, interleaved. bench/webhook-ingest.sh starts what it needs and calls:
 *
 * <pre>
 *   prepare   a fresh database on the server of DATABASE_URL; prints its DATABASE_URL for the service
 *   run       seeds the subscription row, warms up, measures both routes in turns, prints the report
 *   cleanup   drops the database
 * </pre>
 *
 * Settings come from the environment (see bench/README.md); the report goes to stdout, progress to stderr.
 */
public final class WebhookIngestBench {

    static final String TOPIC = "calendar.provider-notifications";
    static final String INGEST = "/api/v1/calendar/webhooks/microsoft";
    static final String BARE = "/api/v1/calendar/webhooks/bench/bare";
    static final double TARGET = 0.7;

    private WebhookIngestBench() {}

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        Db server = Db.parse(env("DATABASE_URL", null));
        String name = env("BENCH_DB", "calsync_bench_ingest");
        switch (command) {
            case "prepare" -> {
                server.recreate(name);
                System.out.println(server.withDatabase(name).contractUrl());
            }
            case "cleanup" -> server.drop(name);
            case "run" -> run(server.withDatabase(name));
            default -> {
                System.err.println("usage: WebhookIngestBench prepare|run|cleanup (see bench/README.md)");
                System.exit(2);
            }
        }
    }

    private static void run(Db db) throws Exception {
        URI base = URI.create(env("BENCH_BASE_URL", null));
        String host = base.getHost();
        int port = base.getPort();
        String kafka = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        int callers = Integer.parseInt(env("BENCH_CONCURRENCY", "32"));
        int seconds = Integer.parseInt(env("BENCH_SECONDS", "10"));
        int rounds = Integer.parseInt(env("BENCH_ROUNDS", "3"));
        int warmupSeconds = Integer.parseInt(env("BENCH_WARMUP_SECONDS", "20"));
        long ingestPid = Long.parseLong(env("BENCH_INGEST_PID", "0"));
        long kafkaPid = Long.parseLong(env("BENCH_KAFKA_PID", "0"));
        int subscriptions = Integer.parseInt(env("BENCH_SUBSCRIPTIONS", "64"));

        seed(db, subscriptions);
        Log.say("seeded " + subscriptions + " Microsoft connections, each with its Graph subscription");
        // The same bodies for both routes: the bare one reads exactly the bytes the real one parses.
        byte[][] ingest = new byte[subscriptions][];
        byte[][] bare = new byte[subscriptions][];
        int bodyBytes = 0;
        for (int i = 0; i < subscriptions; i++) {
            byte[] body = notification(i).getBytes(StandardCharsets.UTF_8);
            ingest[i] = RawHttp.post(host, port, INGEST, body);
            bare[i] = RawHttp.post(host, port, BARE, body);
            bodyBytes = body.length;
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            // One of each first: both routes must answer 202, and one accepted notification must be one record.
            long before = endOffsets(admin);
            try (RawHttp one = new RawHttp(host, port)) {
                int b = one.exchange(bare[0]);
                int i = one.exchange(ingest[0]);
                if (b != 202 || i != 202) {
                    throw new IllegalStateException("a first call answered bare " + b + ", ingest " + i
                            + " instead of 202 (is calsync.bench.bare-endpoint on, and the subscription seeded?)");
                }
            }
            long after = endOffsets(admin);
            if (after - before != 1) {
                Log.say("warning: one accepted notification added " + (after - before) + " records to " + TOPIC
                        + " (another producer on this broker?)");
            }

            Log.say("warming up, " + warmupSeconds + " s in turns of both routes, " + callers + " callers");
            int turns = Math.max(2, warmupSeconds / 5 * 2);
            for (int t = 0; t < turns; t++) {
                ClosedLoop.run(
                        "warm-up",
                        host,
                        port,
                        t % 2 == 0 ? bare : ingest,
                        callers,
                        Duration.ofMillis(warmupSeconds * 1000L / turns));
            }

            CpuMeter cpu = new CpuMeter(ingestPid, kafkaPid);
            List<ClosedLoop.Result> bareParts = new ArrayList<>();
            List<ClosedLoop.Result> ingestParts = new ArrayList<>();
            List<String> bareCpu = new ArrayList<>();
            List<String> ingestCpu = new ArrayList<>();
            long offsetsBefore = endOffsets(admin);
            for (int r = 0; r < rounds; r++) {
                // Alternate which route goes first, so that neither always runs on a machine the other just warmed.
                boolean bareFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isBare = (k == 0) == bareFirst;
                    Log.say("round " + (r + 1) + "/" + rounds + ": " + (isBare ? "bare 202" : "ingest") + " for "
                            + seconds + " s");
                    CpuMeter.Reading c0 = cpu.read();
                    ClosedLoop.Result res = ClosedLoop.run(
                            isBare ? "bare" : "ingest",
                            host,
                            port,
                            isBare ? bare : ingest,
                            callers,
                            Duration.ofSeconds(seconds));
                    String usage = cpu.since(c0, cpu.read(), res.seconds());
                    (isBare ? bareParts : ingestParts).add(res);
                    (isBare ? bareCpu : ingestCpu).add(usage);
                    Log.say(String.format(
                            Locale.ROOT, "  %.0f accepted/s, %d failed", res.acceptedPerSecond(), res.failed()));
                }
            }
            long offsetsAfter = endOffsets(admin);
            report(
                    callers,
                    seconds,
                    rounds,
                    ClosedLoop.Result.merge("bare", bareParts),
                    ClosedLoop.Result.merge("ingest", ingestParts),
                    bareParts,
                    ingestParts,
                    bareCpu,
                    ingestCpu,
                    offsetsAfter - offsetsBefore,
                    bodyBytes,
                    subscriptions);
        }
    }

    private static void report(
            int callers,
            int seconds,
            int rounds,
            ClosedLoop.Result bare,
            ClosedLoop.Result ingest,
            List<ClosedLoop.Result> bareParts,
            List<ClosedLoop.Result> ingestParts,
            List<String> bareCpu,
            List<String> ingestCpu,
            long records,
            int bodyBytes,
            int subscriptions) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%nwebhook-ingest: closed loop, %d callers, %d rounds of %d s per route, interleaved; bodies of %d bytes,"
                        + " one Graph change each, for %d subscriptions in turn%n",
                callers,
                rounds,
                seconds,
                bodyBytes,
                subscriptions));
        out.append(env("BENCH_INGEST_INFO", "")).append('\n');
        out.append(String.format(
                Locale.ROOT,
                "%n%-44s %12s %9s %9s %9s %8s%n",
                "route",
                "accepted/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "failed"));
        for (ClosedLoop.Result r : List.of(bare, ingest)) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-44s %12.0f %9.2f %9.2f %9.2f %8d%n",
                    r == bare ? "bare     POST " + BARE + " (202)" : "ingest   POST " + INGEST + " (202, acks=all)",
                    r.acceptedPerSecond(),
                    r.percentileMillis(0.50),
                    r.percentileMillis(0.99),
                    r.percentileMillis(1.0),
                    r.failed()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nper round (accepted/s)    bare %s    ingest %s%n",
                bareParts.stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f", r.acceptedPerSecond()))
                        .collect(Collectors.joining(" ")),
                ingestParts.stream()
                        .map(r -> String.format(Locale.ROOT, "%.0f", r.acceptedPerSecond()))
                        .collect(Collectors.joining(" "))));
        double ratio = ingest.acceptedPerSecond() / bare.acceptedPerSecond();
        boolean valid = bare.failed() == 0 && bare.accepted() > 0;
        out.append(String.format(
                Locale.ROOT,
                "%nratio     ingest / bare accepted/s   %.2f   target >= %.1f   %s%n",
                ratio,
                TARGET,
                !valid ? "INVALID (the baseline failed calls)" : ratio >= TARGET ? "PASS" : "MISS"));
        out.append(String.format(
                Locale.ROOT,
                "check     ingest answered 202 %d times; records appended to %s meanwhile: %d (%s)%n",
                ingest.accepted(),
                TOPIC,
                records,
                records == ingest.accepted()
                        ? "equal"
                        : records > ingest.accepted() ? "more: another producer on this broker?" : "FEWER: lost"));
        out.append("\ncpu during the last round of each route (the generator shares the machine)\n");
        out.append("  bare:   ").append(bareCpu.getLast()).append('\n');
        out.append("  ingest: ").append(ingestCpu.getLast()).append('\n');
        System.out.print(out);
        System.out.flush();
    }

    /** Sum of the end offsets of the topic's partitions: how many records it ever took. */
    private static long endOffsets(Admin admin) throws Exception {
        var partitions = admin
                .describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(TOPIC)
                .partitions()
                .stream()
                .map(p -> new TopicPartition(TOPIC, p.partition()))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    /** A user with {@code n} Microsoft connections and the subscription rows sync-service would have written. */
    private static void seed(Db db, int n) throws Exception {
        try (Connection c = db.open()) {
            UUID user;
            try (PreparedStatement p =
                    c.prepareStatement("INSERT INTO calendar_users (email) VALUES (?) RETURNING id")) {
                p.setString(1, "bench-ingest@bench.calsync.test");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    user = rs.getObject(1, UUID.class);
                }
            }
            for (int i = 0; i < n; i++) {
                UUID connection;
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO calendar_connections (user_id, provider, provider_calendar_id, calendar_name,"
                                + " account_email) VALUES (?, 'MICROSOFT', ?, ?, ?) RETURNING id")) {
                    p.setObject(1, user);
                    p.setString(2, "AAMkBenchCalendar" + i);
                    p.setString(3, "Bench " + i);
                    p.setString(4, "bench-ingest@bench.calsync.test");
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        connection = rs.getObject(1, UUID.class);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO webhook_subscriptions (connection_id, provider, subscription_id, client_state,"
                                + " expires_at, status) VALUES (?, 'MICROSOFT', ?, ?, ?, 'ACTIVE')")) {
                    p.setObject(1, connection);
                    p.setString(2, subscription(i));
                    p.setString(3, clientState(i));
                    p.setObject(
                            4,
                            java.time.OffsetDateTime.ofInstant(
                                    Instant.now().plus(3, ChronoUnit.DAYS), java.time.ZoneOffset.UTC));
                    p.executeUpdate();
                }
            }
        }
    }

    static String subscription(int i) {
        return new UUID(0xbe4c4000_0000_4000L, 0x8000_0000_0000_0000L | i).toString();
    }

    static String clientState(int i) {
        return "bench-client-state-" + i;
    }

    /** One change notification as Graph sends it for an Outlook event (the corpus' shape, ~600 bytes). */
    private static String notification(int subscription) {
        String event = "AAMkADcwOTc5YzBkLWE1MmUtNDNiOC05YzY4LWM4ZWU0YjQxZjgzZABGAAAAAAAnHVHuz_bvSbx04Ybn9aeIBwAUwKIB"
                + "YedWTJ4asFPDXY-xAAAAAAENAAAUwKIBYedWTJ4asFPDXY-xAAAC8-8-AAA=";
        String resource = "Users/fb10ac13-e441-4611-8431-8ee3b6403673/Events/" + event;
        return "{\"value\":[{\"subscriptionId\":\"" + subscription(subscription) + "\","
                + "\"subscriptionExpirationDateTime\":\"2026-12-01T02:47:21+00:00\","
                + "\"tenantId\":\"7419f71d-0b07-4d0a-89b8-3a4be2ec8627\",\"changeType\":\"updated\","
                + "\"resource\":\"" + resource + "\",\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.Event\","
                + "\"@odata.id\":\"" + resource
                + "\",\"@odata.etag\":\"W/\\\"DwAAABYAAAAUwKIBYedWTJ4asFPDXY/xAAAC8RJ0\\\"\","
                + "\"id\":\"" + event + "\"},\"clientState\":\"" + clientState(subscription) + "\"}]}";
    }

    static String env(String name, String fallback) {
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
