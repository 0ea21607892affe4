package io.calsync.deploycheck;

import static io.calsync.deploycheck.Documents.at;
import static io.calsync.deploycheck.Documents.map;
import static io.calsync.deploycheck.Documents.maps;
import static io.calsync.deploycheck.Documents.name;
import static io.calsync.deploycheck.Documents.ofKind;
import static io.calsync.deploycheck.Documents.string;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules every rendering of deploy/k8s keeps, as a list of problems (empty: all kept). One function per concern,
 * so that {@code ManifestRulesTest} can show each rule catching what it is meant to catch.
 */
final class ManifestRules {

    static final String LIVENESS = "/actuator/health/liveness";
    static final String READINESS = "/actuator/health/readiness";
    static final String METRICS = "/actuator/prometheus";
    /** The Deployment that consumes the sync topics and is scaled on their lag. */
    static final String SYNC = "sync-service";
    /** The environment variable that sets the sync listener's consumers per pod. */
    static final String SYNC_CONCURRENCY = "CALSYNC_SYNC_CONSUMER_CONCURRENCY";

    /** Variables whose values are secrets (or carry one, as a URL with a password does). */
    static final Set<String> SECRET_VARIABLES =
            Set.of("SECRET_KEY", "ENCRYPTION_KEY", "ENCRYPTION_KEY_PREVIOUS", "DATABASE_URL", "REDIS_URL");

    static boolean isSecretVariable(String name) {
        return SECRET_VARIABLES.contains(name) || name.endsWith("_CLIENT_SECRET");
    }

    /**
     * What the manifests must agree with, read from the repository.
     *
     * @param ports each service's server.port (also: the set of Deployments there must be)
     * @param partitions partitions of every topic
     * @param syncTopics the topics of the sync listener
     * @param syncGroup its consumer group
     * @param defaultConcurrency its consumers per pod when the environment does not say
     * @param routes the ingress: path prefix to the Service it must reach, and nothing else
     */
    record Expectations(
            Map<String, Integer> ports,
            int partitions,
            List<String> syncTopics,
            String syncGroup,
            int defaultConcurrency,
            Map<String, String> routes) {

        static Expectations fromRepository() {
            return new Expectations(
                    Repository.serverPorts(),
                    Repository.partitions(),
                    Repository.syncListenerTopics(),
                    Repository.syncConsumerGroup(),
                    Repository.defaultSyncConsumerConcurrency(),
                    // The contract: the frontend's API at the gateway, the providers' pushes at webhook-ingest.
                    Map.of(
                            "/api/v1/calendar", "gateway-service",
                            "/api/v1/calendar/webhooks", "webhook-ingest-service"));
        }
    }

    private ManifestRules() {}

    static List<String> check(List<Map<String, Object>> docs, Expectations e) {
        List<String> problems = new ArrayList<>();
        problems.addAll(deployments(docs, e));
        problems.addAll(services(docs));
        problems.addAll(disruptionBudgets(docs));
        problems.addAll(autoscaling(docs, e));
        problems.addAll(ingress(docs, e));
        problems.addAll(secrets(docs));
        return problems;
    }

    static List<String> deployments(List<Map<String, Object>> docs, Expectations e) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> deployments = ofKind(docs, "Deployment");
        Set<String> names = new TreeSet<>();
        deployments.forEach(d -> names.add(name(d)));
        if (!names.equals(new TreeSet<>(e.ports().keySet()))) {
            problems.add("Deployments " + names + " are not the services "
                    + new TreeSet<>(e.ports().keySet()));
        }
        Set<String> configMaps = new HashSet<>();
        ofKind(docs, "ConfigMap").forEach(c -> configMaps.add(name(c)));
        for (Map<String, Object> d : deployments) {
            String name = name(d);
            String where = "Deployment " + name;
            Integer port = e.ports().get(name);
            Map<String, Object> pod = map(d, "spec", "template", "spec");
            Map<String, Object> podLabels = map(d, "spec", "template", "metadata", "labels");
            Map<String, Object> selector = map(d, "spec", "selector", "matchLabels");
            if (selector.isEmpty() || !contains(podLabels, selector)) {
                problems.add(where + ": selector " + selector + " does not match its pod labels " + podLabels);
            }
            Map<String, Object> annotations = map(d, "spec", "template", "metadata", "annotations");
            if (!"true".equals(string(annotations, "prometheus.io/scrape"))
                    || !METRICS.equals(string(annotations, "prometheus.io/path"))
                    || (port != null && !String.valueOf(port).equals(string(annotations, "prometheus.io/port")))) {
                problems.add(where + ": pod annotations must ask Prometheus to scrape " + METRICS + " on " + port);
            }
            boolean podNonRoot = Boolean.TRUE.equals(at(pod, "securityContext", "runAsNonRoot"));
            List<Map<String, Object>> containers = maps(pod, "containers");
            if (containers.isEmpty()) {
                problems.add(where + ": no containers");
            }
            for (Map<String, Object> c : containers) {
                String cw = where + " container " + string(c, "name");
                Map<String, Integer> declared = new LinkedHashMap<>();
                for (Map<String, Object> p : maps(c, "ports")) {
                    if (at(p, "containerPort") instanceof Integer n) {
                        declared.put(Objects.requireNonNullElse(string(p, "name"), String.valueOf(n)), n);
                    }
                }
                if (port != null && !declared.containsValue(port)) {
                    problems.add(cw + ": does not declare its server.port " + port + " (declares " + declared + ")");
                }
                for (String r : List.of("requests", "limits")) {
                    for (String k : List.of("cpu", "memory")) {
                        if (at(c, "resources", r, k) == null) {
                            problems.add(cw + ": no resources." + r + "." + k);
                        }
                    }
                }
                problems.addAll(probe(cw, c, "livenessProbe", LIVENESS, declared, port));
                problems.addAll(probe(cw, c, "readinessProbe", READINESS, declared, port));
                Map<String, Object> sc = map(c, "securityContext");
                if (!podNonRoot && !Boolean.TRUE.equals(at(sc, "runAsNonRoot"))) {
                    problems.add(cw + ": runAsNonRoot is not set (pod or container)");
                }
                if (!Boolean.TRUE.equals(at(sc, "readOnlyRootFilesystem"))) {
                    problems.add(cw + ": root filesystem is not read-only");
                }
                if (!Boolean.FALSE.equals(at(sc, "allowPrivilegeEscalation"))) {
                    problems.add(cw + ": allowPrivilegeEscalation is not false");
                }
                for (Map<String, Object> env : maps(c, "env")) {
                    String var = string(env, "name");
                    if (var == null || !isSecretVariable(var)) {
                        continue;
                    }
                    if (env.containsKey("value")) {
                        problems.add(cw + ": " + var + " has a literal value; it must come from a secretKeyRef");
                    } else if (string(env, "valueFrom", "secretKeyRef", "name") == null
                            || string(env, "valueFrom", "secretKeyRef", "key") == null) {
                        problems.add(cw + ": " + var + " must come from a secretKeyRef (name and key)");
                    }
                }
                for (Map<String, Object> from : maps(c, "envFrom")) {
                    String ref = string(from, "configMapRef", "name");
                    if (ref != null && !configMaps.contains(ref)) {
                        problems.add(cw + ": envFrom names ConfigMap " + ref + ", which is not in the manifests");
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> probe(
            String where, Map<String, Object> c, String probe, String path, Map<String, Integer> ports, Integer port) {
        Map<String, Object> get = map(c, probe, "httpGet");
        if (!path.equals(string(get, "path"))) {
            return List.of(where + ": " + probe + " must GET " + path + " (has " + string(get, "path") + ")");
        }
        Object target = at(get, "port");
        Integer resolved = target instanceof Integer n ? n : ports.get(String.valueOf(target));
        if (resolved == null || (port != null && !resolved.equals(port))) {
            return List.of(where + ": " + probe + " port " + target + " is not the service's port " + port);
        }
        return List.of();
    }

    static List<String> services(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> services = byName(ofKind(docs, "Service"));
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            Map<String, Object> s = services.get(name(d));
            Map<String, Object> podLabels = map(d, "spec", "template", "metadata", "labels");
            if (s == null) {
                problems.add("Deployment " + name(d) + " has no Service of its name");
            } else if (map(s, "spec", "selector").isEmpty() || !contains(podLabels, map(s, "spec", "selector"))) {
                problems.add("Service " + name(d) + " does not select the pods of its Deployment");
            }
        }
        return problems;
    }

    static List<String> disruptionBudgets(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> pdbs = ofKind(docs, "PodDisruptionBudget");
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            Map<String, Object> podLabels = map(d, "spec", "template", "metadata", "labels");
            boolean covered = pdbs.stream().anyMatch(p -> {
                Map<String, Object> selector = map(p, "spec", "selector", "matchLabels");
                boolean bounded = at(p, "spec", "maxUnavailable") != null || at(p, "spec", "minAvailable") != null;
                return bounded && !selector.isEmpty() && contains(podLabels, selector);
            });
            if (!covered) {
                problems.add("Deployment " + name(d) + " has no PodDisruptionBudget");
            }
        }
        return problems;
    }

    static List<String> autoscaling(List<Map<String, Object>> docs, Expectations e) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> scalers = new ArrayList<>(ofKind(docs, "ScaledObject"));
        scalers.addAll(ofKind(docs, "HorizontalPodAutoscaler"));
        List<Map<String, Object>> forSync = scalers.stream()
                .filter(s -> SYNC.equals(string(s, "spec", "scaleTargetRef", "name")))
                .toList();
        if (forSync.size() != 1) {
            problems.add(
                    "expected one ScaledObject or HorizontalPodAutoscaler for " + SYNC + ", found " + forSync.size());
            return problems;
        }
        for (Map<String, Object> s : scalers) {
            String kind = string(s, "spec", "scaleTargetRef", "kind");
            if (!SYNC.equals(string(s, "spec", "scaleTargetRef", "name"))
                    || (kind != null && !"Deployment".equals(kind))) {
                problems.add(
                        Documents.kind(s) + " " + name(s) + " scales something other than the " + SYNC + " Deployment");
            }
        }
        Map<String, Object> scaler = forSync.get(0);
        boolean keda = "ScaledObject".equals(Documents.kind(scaler));
        Object max = at(scaler, "spec", keda ? "maxReplicaCount" : "maxReplicas");
        Object min = at(scaler, "spec", keda ? "minReplicaCount" : "minReplicas");
        int concurrency = e.defaultConcurrency();
        Map<String, Object> deployment = byName(ofKind(docs, "Deployment")).get(SYNC);
        if (deployment != null) {
            if (at(deployment, "spec", "replicas") != null) {
                problems.add("Deployment " + SYNC + " sets replicas although it is autoscaled (every apply would"
                        + " reset the autoscaler's count)");
            }
            for (Map<String, Object> c : maps(deployment, "spec", "template", "spec", "containers")) {
                for (Map<String, Object> env : maps(c, "env")) {
                    if (SYNC_CONCURRENCY.equals(string(env, "name")) && string(env, "value") != null) {
                        concurrency = Integer.parseInt(string(env, "value"));
                    }
                }
            }
        }
        if (!(max instanceof Integer mx) || !(min instanceof Integer mn) || mn < 1 || mn > mx) {
            problems.add("the " + SYNC + " autoscaler needs 1 <= min <= max replicas (has " + min + ".." + max + ")");
        } else if (mx * concurrency > e.partitions()) {
            problems.add("the " + SYNC + " autoscaler allows " + mx + " replicas x " + concurrency
                    + " consumers, more than the " + e.partitions() + " partitions: the extra consumers would idle");
        }
        if (keda) {
            Map<String, Integer> topics = new TreeMap<>();
            for (Map<String, Object> trigger : maps(scaler, "spec", "triggers")) {
                Map<String, Object> md = map(trigger, "metadata");
                if (!"kafka".equals(string(trigger, "type"))) {
                    problems.add("ScaledObject " + name(scaler) + " has a trigger that is not kafka");
                    continue;
                }
                if (!e.syncGroup().equals(string(md, "consumerGroup"))) {
                    problems.add(
                            "a kafka trigger watches group " + string(md, "consumerGroup") + ", not " + e.syncGroup());
                }
                if ("true".equals(string(md, "allowIdleConsumers"))) {
                    problems.add("a kafka trigger allows idle consumers (more replicas than partitions)");
                }
                String threshold = string(md, "lagThreshold");
                if (threshold == null || !threshold.matches("[1-9]\\d*")) {
                    problems.add("a kafka trigger has no positive lagThreshold");
                }
                if (string(md, "bootstrapServers") == null
                        || string(md, "bootstrapServers").isBlank()) {
                    problems.add("a kafka trigger has no bootstrapServers");
                }
                topics.merge(String.valueOf(string(md, "topic")), 1, Integer::sum);
            }
            Map<String, Integer> wanted = new TreeMap<>();
            e.syncTopics().forEach(t -> wanted.put(t, 1));
            if (!topics.equals(wanted)) {
                problems.add("the kafka triggers watch " + topics + "; the sync listener reads " + e.syncTopics()
                        + " (one trigger each)");
            }
        }
        return problems;
    }

    static List<String> ingress(List<Map<String, Object>> docs, Expectations e) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> services = byName(ofKind(docs, "Service"));
        Map<String, String> routes = new TreeMap<>();
        for (Map<String, Object> ing : ofKind(docs, "Ingress")) {
            if (at(ing, "spec", "defaultBackend") != null) {
                problems.add("Ingress " + name(ing) + " has a default backend: every path would reach it");
            }
            for (Map<String, Object> rule : maps(ing, "spec", "rules")) {
                for (Map<String, Object> p : maps(rule, "http", "paths")) {
                    String path = string(p, "path");
                    String service = string(p, "backend", "service", "name");
                    if (routes.put(path, service) != null) {
                        problems.add("Ingress path " + path + " is routed twice");
                    }
                    if (!"Prefix".equals(string(p, "pathType"))) {
                        problems.add("Ingress path " + path + " is not a Prefix");
                    }
                    Object port = at(p, "backend", "service", "port", "name");
                    if (port == null) {
                        port = at(p, "backend", "service", "port", "number");
                    }
                    Map<String, Object> s = services.get(service);
                    Object wanted = port;
                    if (s == null
                            || maps(s, "spec", "ports").stream()
                                    .noneMatch(sp -> Objects.equals(at(sp, "name"), wanted)
                                            || Objects.equals(at(sp, "port"), wanted))) {
                        problems.add("Ingress path " + path + " points at " + service + ":" + port
                                + ", which no Service offers");
                    }
                }
            }
        }
        if (!routes.equals(new TreeMap<>(e.routes()))) {
            problems.add("the Ingress routes " + routes + "; the contract wants exactly " + new TreeMap<>(e.routes()));
        }
        return problems;
    }

    static List<String> secrets(List<Map<String, Object>> docs) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> s : ofKind(docs, "Secret")) {
            problems.add("Secret " + name(s) + " is part of the manifests; secrets are created outside them");
        }
        for (Map<String, Object> c : ofKind(docs, "ConfigMap")) {
            for (String key : map(c, "data").keySet()) {
                if (isSecretVariable(key)) {
                    problems.add("ConfigMap " + name(c) + " holds " + key + ", a secret");
                }
            }
        }
        return problems;
    }

    private static boolean contains(Map<String, Object> labels, Map<String, Object> selector) {
        return selector.entrySet().stream()
                .allMatch(s -> Objects.equals(String.valueOf(labels.get(s.getKey())), String.valueOf(s.getValue())));
    }

    private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> docs) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        docs.forEach(d -> out.put(name(d), d));
        return out;
    }
}
