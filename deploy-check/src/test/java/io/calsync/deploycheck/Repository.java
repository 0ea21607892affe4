package io.calsync.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The checkout the tests run in, and the facts about the services that the manifests must agree with. */
final class Repository {

    private static final Path ROOT = findRoot();

    private Repository() {}

    /** The repository root: the first directory upwards from the working directory that has deploy/k8s. */
    static Path root() {
        return ROOT;
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/k8s")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + dir);
    }

    /** The deployable services: the modules named {@code *-service} with an application.yml. */
    static Set<String> services() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            Set<String> names = new TreeSet<>();
            dirs.filter(d -> d.getFileName().toString().endsWith("-service"))
                    .filter(d -> Files.isRegularFile(d.resolve("src/main/resources/application.yml")))
                    .forEach(d -> names.add(d.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each service's {@code server.port} from its application.yml: the port its container must declare. */
    static Map<String, Integer> serverPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : services()) {
            Object doc = Documents.loadOne(read(service + "/src/main/resources/application.yml"));
            Object port = Documents.at(doc, "server", "port");
            if (!(port instanceof Integer p)) {
                throw new IllegalStateException(service + " has no server.port");
            }
            ports.put(service, p);
        }
        return ports;
    }

    private static final String TOPICS = "common-model/src/main/java/io/calsync/model/messaging/Topics.java";
    private static final String SYNC_LISTENER =
            "sync-service/src/main/java/io/calsync/sync/kafka/SyncMessageListener.java";

    /** {@code Topics.PARTITIONS}: partitions of every topic, the useful maximum of sync consumers. */
    static int partitions() {
        return Integer.parseInt(group(read(TOPICS), "int PARTITIONS\\s*=\\s*(\\d+)\\s*;"));
    }

    /** The topics the sync listener subscribes to, resolved from the Topics constants it names. */
    static List<String> syncListenerTopics() {
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher m = Pattern.compile("String\\s+(\\w+)\\s*=\\s*\"([^\"]+)\"").matcher(read(TOPICS));
        while (m.find()) {
            constants.put(m.group(1), m.group(2));
        }
        String block = group(read(SYNC_LISTENER), "(?s)topics\\s*=\\s*\\{(.*?)}");
        List<String> topics = new ArrayList<>();
        Matcher t = Pattern.compile("Topics\\.(\\w+)").matcher(block);
        while (t.find()) {
            String value = constants.get(t.group(1));
            if (value == null) {
                throw new IllegalStateException("unknown topic constant " + t.group(1));
            }
            topics.add(value);
        }
        return topics;
    }

    /** The sync listener's consumer group (the default of its groupId placeholder). */
    static String syncConsumerGroup() {
        String listener = read(SYNC_LISTENER);
        String constant = group(listener, "String CONSUMER\\s*=\\s*\"([^\"]+)\"");
        String groupId = group(listener, "groupId\\s*=\\s*\"([^\"]*)\"\\s*\\+\\s*CONSUMER\\s*\\+\\s*\"}\"");
        if (!groupId.startsWith("${") || !groupId.endsWith(":")) {
            throw new IllegalStateException("unexpected groupId form " + groupId);
        }
        return constant;
    }

    /**
     * How many consumers one sync-service pod runs when the environment does not say: the default of the
     * listener's {@code calsync.sync.consumer-concurrency} placeholder.
     */
    static int defaultSyncConsumerConcurrency() {
        return Integer.parseInt(group(read(SYNC_LISTENER), "calsync\\.sync\\.consumer-concurrency:(\\d+)}"));
    }

    /** The variables a service's start-up check requires: its {@code CalsyncApplication.run(..., EnumSet.of(...))}. */
    static Set<String> requiredVariables(String service) {
        String application = mainJava(service).entrySet().stream()
                .filter(e -> e.getKey().endsWith("Application.java"))
                .map(Map.Entry::getValue)
                .filter(text -> text.contains("CalsyncApplication.run("))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(service + " has no CalsyncApplication.run"));
        String list = group(application, "(?s)CalsyncApplication\\.run\\(.*?EnumSet\\.of\\(([^)]*)\\)");
        Set<String> names = new TreeSet<>();
        for (String item : list.split(",")) {
            names.add(item.strip().replaceAll(".*\\.", ""));
        }
        return names;
    }

    /**
     * Whether the deployed code reads this environment variable: by its own name ({@code getProperty("API_URL")},
     * {@code ${OAUTH_SERVICE_URL:...}}) or as the relaxed form of a property it reads
     * ({@code CALSYNC_KAFKA_REPLICATION_FACTOR} for {@code ${calsync.kafka.replication-factor:1}}).
     */
    static boolean readsVariable(String variable) {
        String code = deployedSourcesAndConfig();
        if (code.contains("\"" + variable + "\"") || code.contains("${" + variable)) {
            return true;
        }
        Matcher m = Pattern.compile("\\$\\{([a-z][a-z0-9.\\-]*)").matcher(code);
        while (m.find()) {
            if (relaxed(m.group(1)).equals(relaxed(variable))) {
                return true;
            }
        }
        return false;
    }

    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[._\\-]", "");
    }

    private static String deployedSources;

    /** The main Java sources and resources of the modules that run in the deployments, as one text. */
    static synchronized String deployedSourcesAndConfig() {
        if (deployedSources == null) {
            StringBuilder all = new StringBuilder();
            for (String module : MeterCatalog.DEPLOYED_MODULES) {
                Path main = path(module + "/src/main");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(Files::isRegularFile)
                            .filter(f -> f.toString().matches(".*\\.(java|yml|yaml|properties)"))
                            .forEach(f -> all.append(read(f)).append('\n'));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            deployedSources = all.toString();
        }
        return deployedSources;
    }

    private static Map<String, String> mainJava(String module) {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(path(module + "/src/main/java"))) {
            walk.filter(f -> f.toString().endsWith(".java")).forEach(f -> files.put(f.toString(), read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("pattern not found: " + regex);
        }
        return m.group(1);
    }
}
