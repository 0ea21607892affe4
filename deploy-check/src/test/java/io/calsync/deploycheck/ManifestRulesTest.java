package io.calsync.deploycheck;

import static io.calsync.deploycheck.Documents.at;
import static io.calsync.deploycheck.Documents.map;
import static io.calsync.deploycheck.Documents.maps;
import static io.calsync.deploycheck.Documents.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule catches what it is there for: the base (which keeps them all, BaseManifestsTest) with one thing broken.
 */
class ManifestRulesTest {

    private final ManifestRules.Expectations expected = ManifestRules.Expectations.fromRepository();
    private List<Map<String, Object>> docs;

    @BeforeEach
    void freshBase() {
        docs = Kustomizations.baseWithoutKubectl();
        assertThat(ManifestRules.check(docs, expected)).isEmpty();
    }

    private Map<String, Object> object(String kind, String name) {
        return docs.stream()
                .filter(d -> kind.equals(Documents.kind(d)) && name.equals(name(d)))
                .findFirst()
                .orElseThrow();
    }

    private Map<String, Object> container(String deployment) {
        return maps(object("Deployment", deployment), "spec", "template", "spec", "containers")
                .getFirst();
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object node, String... path) {
        return (List<Object>) at(node, path);
    }

    private List<String> problems() {
        return ManifestRules.check(docs, expected);
    }

    @Test
    void aLiteralSecretValueIsRefused() {
        Map<String, Object> env = maps(container("gateway-service"), "env").stream()
                .filter(e -> "SECRET_KEY".equals(e.get("name")))
                .findFirst()
                .orElseThrow();
        env.remove("valueFrom");
        env.put("value", "0123456789abcdef0123456789abcdef");
        assertThat(problems()).anyMatch(p -> p.contains("SECRET_KEY has a literal value"));
    }

    @Test
    void aClientSecretFromAConfigMapIsRefused() {
        Map<String, Object> env = maps(container("oauth-service"), "env").stream()
                .filter(e -> "GOOGLE_CLIENT_SECRET".equals(e.get("name")))
                .findFirst()
                .orElseThrow();
        env.put("valueFrom", new LinkedHashMap<>(Map.of("configMapKeyRef", Map.of("name", "x", "key", "y"))));
        assertThat(problems()).anyMatch(p -> p.contains("GOOGLE_CLIENT_SECRET must come from a secretKeyRef"));
    }

    @Test
    void aSecretOrASecretInAConfigMapIsRefused() {
        docs.add(new LinkedHashMap<>(Map.of("kind", "Secret", "metadata", Map.of("name", "calsync-secrets"))));
        map(object("ConfigMap", "calsync-config"), "data").put("DATABASE_URL", "postgresql://u:p@db/calsync");
        assertThat(problems())
                .anyMatch(p -> p.contains("Secret calsync-secrets is part of the manifests"))
                .anyMatch(p -> p.contains("holds DATABASE_URL"));
    }

    @Test
    void aProbeOnAnotherPathOrPortIsRefused() {
        map(container("webhook-ingest-service"), "readinessProbe", "httpGet").put("path", "/actuator/health");
        map(container("sync-service"), "livenessProbe", "httpGet").put("port", 9999);
        assertThat(problems())
                .anyMatch(p -> p.contains("webhook-ingest-service") && p.contains("readinessProbe must GET"))
                .anyMatch(p -> p.contains("sync-service") && p.contains("livenessProbe port 9999"));
    }

    @Test
    void aMissingRequestOrLimitIsRefused() {
        map(container("sync-service"), "resources", "limits").remove("memory");
        map(container("ics-poller-service"), "resources", "requests").remove("cpu");
        assertThat(problems())
                .anyMatch(p -> p.contains("sync-service") && p.contains("resources.limits.memory"))
                .anyMatch(p -> p.contains("ics-poller-service") && p.contains("resources.requests.cpu"));
    }

    @Test
    void aWritableRootFilesystemOrRootUserIsRefused() {
        map(container("gateway-service"), "securityContext").put("readOnlyRootFilesystem", false);
        map(object("Deployment", "oauth-service"), "spec", "template", "spec", "securityContext")
                .remove("runAsNonRoot");
        assertThat(problems())
                .anyMatch(p -> p.contains("gateway-service") && p.contains("root filesystem"))
                .anyMatch(p -> p.contains("oauth-service") && p.contains("runAsNonRoot"));
    }

    @Test
    void aContainerOnAnotherPortThanItsServicesIsRefused() {
        map(maps(container("gateway-service"), "ports").getFirst()).put("containerPort", 8081);
        assertThat(problems()).anyMatch(p -> p.contains("does not declare its server.port 8080"));
    }

    @Test
    void aDeploymentWithoutDisruptionBudgetIsRefused() {
        docs.remove(object("PodDisruptionBudget", "oauth-service"));
        assertThat(problems()).contains("Deployment oauth-service has no PodDisruptionBudget");
    }

    @Test
    void moreSyncConsumersThanPartitionsAreRefused() {
        map(object("ScaledObject", "sync-service"), "spec").put("maxReplicaCount", expected.partitions() + 1);
        assertThat(problems()).anyMatch(p -> p.contains("the extra consumers would idle"));
    }

    @Test
    void theListenersDefaultConcurrencyCountsWhenTheDeploymentDoesNotSetIt() {
        list(container("sync-service"), "env")
                .removeIf(e -> ManifestRules.SYNC_CONCURRENCY.equals(((Map<?, ?>) e).get("name")));
        assertThat(expected.defaultConcurrency()).isGreaterThan(1);
        assertThat(problems()).anyMatch(p -> p.contains("the extra consumers would idle"));
    }

    @Test
    void anAutoscalerOfAnotherTargetOrAFixedSyncReplicaCountIsRefused() {
        map(object("ScaledObject", "sync-service"), "spec", "scaleTargetRef").put("name", "gateway-service");
        map(object("Deployment", "sync-service"), "spec").put("replicas", 3);
        assertThat(problems()).anyMatch(p -> p.contains("expected one ScaledObject or HorizontalPodAutoscaler"));

        freshBase();
        map(object("Deployment", "sync-service"), "spec").put("replicas", 3);
        assertThat(problems()).anyMatch(p -> p.contains("sets replicas although it is autoscaled"));
    }

    @Test
    void aTriggerForgettingATopicOrWatchingAnotherGroupIsRefused() {
        List<Object> triggers = list(object("ScaledObject", "sync-service"), "spec", "triggers");
        triggers.removeLast();
        map(triggers.getFirst(), "metadata").put("consumerGroup", "someone-else");
        assertThat(problems())
                .anyMatch(p -> p.contains("the kafka triggers watch"))
                .anyMatch(p -> p.contains("watches group someone-else"));
    }

    @Test
    void anIngressRouteToAnInternalServiceOrTheActuatorIsRefused() {
        Map<String, Object> rule =
                maps(object("Ingress", "calsync"), "spec", "rules").getFirst();
        List<Object> paths = list(rule, "http", "paths");
        List<Object> more = new ArrayList<>(paths);
        more.add(Map.of(
                "path", "/actuator",
                "pathType", "Prefix",
                "backend", Map.of("service", Map.of("name", "sync-service", "port", Map.of("name", "http")))));
        map(rule, "http").put("paths", more);
        assertThat(problems()).anyMatch(p -> p.contains("the contract wants exactly"));
    }

    @Test
    void aDeploymentWithoutItsServiceOrScrapeAnnotationIsRefused() {
        docs.remove(object("Service", "ics-poller-service"));
        map(object("Deployment", "oauth-service"), "spec", "template", "metadata", "annotations")
                .put("prometheus.io/path", "/metrics");
        assertThat(problems())
                .contains("Deployment ics-poller-service has no Service of its name")
                .anyMatch(p -> p.contains("oauth-service") && p.contains("scrape"));
    }
}
