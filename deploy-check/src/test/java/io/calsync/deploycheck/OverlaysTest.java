package io.calsync.deploycheck;

import static io.calsync.deploycheck.Documents.at;
import static io.calsync.deploycheck.Documents.map;
import static io.calsync.deploycheck.Documents.maps;
import static io.calsync.deploycheck.Documents.name;
import static io.calsync.deploycheck.Documents.ofKind;
import static io.calsync.deploycheck.Documents.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The overlays: their files on every machine, their rendering by {@code kubectl kustomize} where kubectl is
 * installed (offline; skipped elsewhere).
 */
class OverlaysTest {

    static final List<String> OVERLAYS = Kustomizations.OVERLAYS;
    static final List<String> ALL =
            List.of(Kustomizations.BASE, Kustomizations.OVERLAYS.get(0), Kustomizations.OVERLAYS.get(1));

    private final ManifestRules.Expectations expected = ManifestRules.Expectations.fromRepository();

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void anOverlayBuildsOnTheBaseAndPinsATaggedImageOfEveryService(String overlay) {
        Map<String, Object> k = Kustomizations.kustomization(overlay);
        assertThat(Documents.strings(k, "resources")).contains("../../base");
        assertThat(string(k, "namespace")).isNotBlank();
        Set<String> images = new TreeSet<>();
        for (Map<String, Object> image : maps(k, "images")) {
            images.add(string(image, "name"));
            assertThat(string(image, "newTag"))
                    .as(string(image, "name"))
                    .isNotBlank()
                    .isNotEqualTo("latest");
        }
        Set<String> wanted = new TreeSet<>();
        Repository.services().forEach(s -> wanted.add("calsync/" + s));
        assertThat(images).isEqualTo(wanted);
        // Replica counts only for what exists, and never for the autoscaled sync-service.
        for (Map<String, Object> r : maps(k, "replicas")) {
            assertThat(Repository.services()).contains(string(r, "name"));
            assertThat(string(r, "name")).isNotEqualTo(ManifestRules.SYNC);
        }
        for (Map<String, Object> patch : maps(k, "patches")) {
            if (string(patch, "path") != null) {
                assertThat(Files.isRegularFile(Repository.path(overlay).resolve(string(patch, "path"))))
                        .as(string(patch, "path"))
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void aRenderingKeepsEveryRule(String dir) {
        List<Map<String, Object>> docs = Kustomizations.render(dir);
        assertThat(ManifestRules.check(docs, expected)).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aRenderedOverlayIsNamespacedTaggedAndScalesOnItsOwnBroker(String overlay) {
        List<Map<String, Object>> docs = Kustomizations.render(overlay);
        String namespace = string(Kustomizations.kustomization(overlay), "namespace");
        for (Map<String, Object> d : docs) {
            if (!"Namespace".equals(Documents.kind(d))) {
                assertThat(string(d, "metadata", "namespace")).as(name(d)).isEqualTo(namespace);
            }
        }
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            for (Map<String, Object> c : maps(d, "spec", "template", "spec", "containers")) {
                assertThat(string(c, "image")).as(name(d)).matches(".+/calsync/" + name(d) + ":[^:]+");
            }
        }
        Map<String, Object> config = ofKind(docs, "ConfigMap").getFirst();
        String broker = string(config, "data", "KAFKA_BOOTSTRAP_SERVERS");
        for (Map<String, Object> trigger : maps(ofKind(docs, "ScaledObject").getFirst(), "spec", "triggers")) {
            assertThat(string(trigger, "metadata", "bootstrapServers")).isEqualTo(broker);
        }
        // A generated, hashed name (the rules check the Deployments reference it): a changed value rolls them.
        assertThat(name(config)).startsWith("calsync-config-");
        // The public URLs agree with the ingress host: API_URL is where the providers push to.
        Map<String, Object> rule =
                maps(ofKind(docs, "Ingress").getFirst(), "spec", "rules").getFirst();
        assertThat(string(config, "data", "API_URL")).isEqualTo("https://" + string(rule, "host"));
        assertThat(string(config, "data", "GOOGLE_REDIRECT_URI"))
                .startsWith(string(config, "data", "API_URL") + "/api/v1/calendar/oauth/google/");
        assertThat(string(config, "data", "MICROSOFT_REDIRECT_URI"))
                .startsWith(string(config, "data", "API_URL") + "/api/v1/calendar/oauth/microsoft/");
        assertThat(map(ofKind(docs, "Ingress").getFirst(), "spec").get("tls")).isNotNull();
        assertThat(at(ofKind(docs, "ScaledObject").getFirst(), "spec", "maxReplicaCount"))
                .isInstanceOf(Integer.class);
    }
}
