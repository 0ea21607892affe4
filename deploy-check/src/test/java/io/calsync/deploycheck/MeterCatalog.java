package io.calsync.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The meters the deployed code registers, read from its Java sources: the name given to a Micrometer builder
 * ({@code Counter.builder("calsync.sync.runs")}) or registry call ({@code meters.counter("calsync.sync.runs", ...)}),
 * as a string literal or a constant of the same file, with the kind of meter the call makes. From the kind follow
 * the names Prometheus shows: a counter {@code calsync_sync_runs_total}; a timer {@code _seconds_count},
 * {@code _seconds_sum}, {@code _seconds_max} and {@code _seconds_bucket}; a gauge its bare name. The tag keys a meter
 * gets in the same call ({@code .tag("service", ...)}, or the literal keys of a registry call) are collected too.
 */
final class MeterCatalog {

    enum Kind {
        COUNTER,
        TIMER,
        GAUGE,
        SUMMARY
    }

    /** One registered meter: its dotted name, kind, tag keys and the file that registers it. */
    record Meter(String name, Kind kind, Set<String> tags, String source) {

        String base() {
            return name.replace('.', '_').replace('-', '_');
        }

        Set<String> prometheusNames() {
            String b = base();
            return switch (kind) {
                case COUNTER -> Set.of(b + "_total");
                case TIMER ->
                    Set.of(b + "_seconds_count", b + "_seconds_sum", b + "_seconds_max", b + "_seconds_bucket");
                case GAUGE -> Set.of(b);
                case SUMMARY -> Set.of(b + "_count", b + "_sum", b + "_max", b + "_bucket");
            };
        }
    }

    /** The modules whose code runs in the five deployments. */
    static final List<String> DEPLOYED_MODULES = List.of(
            "common-model",
            "platform",
            "providers",
            "gateway-service",
            "oauth-service",
            "webhook-ingest-service",
            "sync-service",
            "ics-poller-service");

    private static final String NAME = "(\"[^\"]+\"|[A-Z][A-Z0-9_]*)";
    private static final Map<Kind, Pattern> BUILDERS = Map.of(
            Kind.COUNTER, Pattern.compile("Counter\\.builder\\(\\s*" + NAME),
            Kind.TIMER, Pattern.compile("Timer\\.builder\\(\\s*" + NAME),
            Kind.GAUGE, Pattern.compile("Gauge\\.builder\\(\\s*" + NAME),
            Kind.SUMMARY, Pattern.compile("DistributionSummary\\.builder\\(\\s*" + NAME));
    private static final Map<Kind, Pattern> CALLS = Map.of(
            Kind.COUNTER, Pattern.compile("(?<![\\w.])(?:\\w+\\.)?counter\\(\\s*" + NAME),
            Kind.TIMER, Pattern.compile("(?<![\\w.])(?:\\w+\\.)?timer\\(\\s*" + NAME),
            Kind.GAUGE, Pattern.compile("(?<![\\w.])(?:\\w+\\.)?gauge\\(\\s*" + NAME),
            Kind.SUMMARY, Pattern.compile("(?<![\\w.])(?:\\w+\\.)?summary\\(\\s*" + NAME));
    private static final Pattern CONSTANT = Pattern.compile("String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]+)\"\\s*;");
    private static final Pattern TAG = Pattern.compile("\\.tag\\(\\s*\"([^\"]+)\"");

    private final List<Meter> meters;

    private MeterCatalog(List<Meter> meters) {
        this.meters = meters;
    }

    static MeterCatalog ofRepository() {
        List<Meter> meters = new ArrayList<>();
        for (String module : DEPLOYED_MODULES) {
            Path sources = Repository.path(module + "/src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .forEach(f -> meters.addAll(parse(
                                Repository.read(f),
                                Repository.root().relativize(f).toString())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new MeterCatalog(meters);
    }

    /** The meters one source file registers. */
    static List<Meter> parse(String source, String file) {
        Map<String, String> constants = new HashMap<>();
        Matcher c = CONSTANT.matcher(source);
        while (c.find()) {
            constants.put(c.group(1), c.group(2));
        }
        List<Meter> found = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Matcher b = BUILDERS.get(kind).matcher(source);
            while (b.find()) {
                String name = resolve(b.group(1), constants);
                if (name != null) {
                    // The builder's chain up to register(): its .tag("key", ...) calls.
                    int end = source.indexOf(".register(", b.end());
                    String chain = source.substring(b.end(), end < 0 ? source.length() : end);
                    Set<String> tags = new TreeSet<>();
                    Matcher t = TAG.matcher(chain);
                    while (t.find()) {
                        tags.add(t.group(1));
                    }
                    found.add(new Meter(name, kind, tags, file));
                }
            }
            Matcher m = CALLS.get(kind).matcher(source);
            while (m.find()) {
                String name = resolve(m.group(1), constants);
                if (name != null) {
                    found.add(new Meter(name, kind, callTags(source, m.start(1)), file));
                }
            }
        }
        return found;
    }

    /** Keys of a registry call: arguments 2, 4, ... after the name, where they are string literals. */
    private static Set<String> callTags(String source, int firstArgument) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        boolean inString = false;
        for (int i = firstArgument; i < source.length(); i++) {
            char ch = source.charAt(i);
            if (inString) {
                current.append(ch);
                if (ch == '\\') {
                    current.append(source.charAt(++i));
                } else if (ch == '"') {
                    inString = false;
                }
                continue;
            }
            if (ch == '"') {
                inString = true;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (ch == ',' && depth == 0) {
                args.add(current.toString().strip());
                current.setLength(0);
                continue;
            }
            current.append(ch);
        }
        args.add(current.toString().strip());
        Set<String> tags = new TreeSet<>();
        for (int i = 1; i < args.size(); i += 2) {
            String a = args.get(i);
            if (a.length() >= 2 && a.startsWith("\"") && a.endsWith("\"")) {
                tags.add(a.substring(1, a.length() - 1));
            }
        }
        return tags;
    }

    private static String resolve(String token, Map<String, String> constants) {
        String name = token.startsWith("\"") ? token.substring(1, token.length() - 1) : constants.get(token);
        // Only the project's own meters: Spring's and Kafka's come with their libraries.
        return name != null && name.startsWith("calsync.") ? name : null;
    }

    List<Meter> meters() {
        return meters;
    }

    /** Every Prometheus name the registered meters produce, with the meter behind it. */
    Map<String, Meter> byPrometheusName() {
        Map<String, Meter> out = new TreeMap<>();
        for (Meter m : meters) {
            m.prometheusNames().forEach(n -> out.putIfAbsent(n, m));
        }
        return out;
    }

    /** Tag keys of all meters of this Prometheus base name (same name, several call sites). */
    Set<String> tagsOf(String dottedName) {
        Set<String> tags = new TreeSet<>();
        meters.stream().filter(m -> m.name().equals(dottedName)).forEach(m -> tags.addAll(m.tags()));
        return tags;
    }

    Set<String> allTags() {
        Set<String> tags = new TreeSet<>();
        meters.forEach(m -> tags.addAll(m.tags()));
        return tags;
    }

    /**
     * Metrics the dashboards and alerts may use that are not ours: each with the library that exports it. Every entry
     * must be in use (MonitoringTest), so this list cannot become a place to hide a typo.
     */
    static final Map<String, String> KNOWN_EXTERNAL = new TreeMap<>(Map.ofEntries(
            Map.entry("up", "Prometheus itself: 1 when the target answered its scrape"),
            Map.entry(
                    "kafka_consumer_fetch_manager_records_lag_max",
                    "Kafka consumer client metric, bound by Spring Boot (MicrometerConsumerListener); tag client_id"),
            Map.entry(
                    "kafka_consumer_coordinator_assigned_partitions",
                    "Kafka consumer client metric, bound by Spring Boot (MicrometerConsumerListener)"),
            Map.entry(
                    "spring_kafka_template_seconds_count",
                    "Spring Kafka's KafkaTemplate timer: tags name (the template bean), result, exception"),
            Map.entry(
                    "spring_kafka_listener_seconds_count",
                    "Spring Kafka's listener timer: tags name (listener id and thread), result, exception"),
            Map.entry("http_server_requests_seconds_count", "Spring MVC's observation of every request"),
            Map.entry("http_server_requests_seconds_sum", "Spring MVC's observation of every request"),
            Map.entry("http_server_requests_seconds_max", "Spring MVC's observation of every request"),
            Map.entry("jvm_memory_used_bytes", "Micrometer's JVM memory metrics, bound by Spring Boot"),
            Map.entry("hikaricp_connections_active", "HikariCP's Micrometer metrics, bound by Spring Boot"),
            Map.entry("hikaricp_connections_pending", "HikariCP's Micrometer metrics, bound by Spring Boot")));
}
