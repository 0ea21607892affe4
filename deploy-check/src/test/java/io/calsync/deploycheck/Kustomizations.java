package io.calsync.deploycheck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** deploy/k8s read two ways: the base from its files alone, and any kustomization rendered by kubectl. */
final class Kustomizations {

    static final String BASE = "deploy/k8s/base";
    static final List<String> OVERLAYS = List.of("deploy/k8s/overlays/staging", "deploy/k8s/overlays/production");

    private Kustomizations() {}

    static Map<String, Object> kustomization(String dir) {
        return Documents.asMap(Documents.loadOne(Repository.read(dir + "/kustomization.yaml")));
    }

    /**
     * The base's objects as kustomize would emit them before its transformers: every resource file, and each
     * configMapGenerator's ConfigMap (unhashed name, data from its env files and literals). Enough for the rules,
     * which look at structure and references, not at generated names.
     */
    static List<Map<String, Object>> baseWithoutKubectl() {
        Map<String, Object> k = kustomization(BASE);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (String resource : Documents.strings(k, "resources")) {
            Path file = Repository.path(BASE).resolve(resource);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("the base lists " + resource + ", which is not a file");
            }
            docs.addAll(Documents.loadAll(Repository.read(file)));
        }
        for (Map<String, Object> generator : Documents.maps(k, "configMapGenerator")) {
            Map<String, String> data = new LinkedHashMap<>();
            for (String env : Documents.strings(generator, "envs")) {
                data.putAll(Documents.envFile(Repository.read(BASE + "/" + env)));
            }
            for (String literal : Documents.strings(generator, "literals")) {
                data.putAll(Documents.envFile(literal));
            }
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            cm.put("metadata", Map.of("name", Documents.string(generator, "name")));
            cm.put("data", data);
            docs.add(cm);
        }
        return docs;
    }

    static Optional<Path> kubectl() {
        return Tools.find("kubectl");
    }

    /** {@code kubectl kustomize <dir>}, offline; the test is skipped where kubectl is not installed. */
    static List<Map<String, Object>> render(String dir) {
        Optional<Path> kubectl = kubectl();
        assumeTrue(kubectl.isPresent(), "kubectl is not installed: the rendered overlays are not checked here");
        Tools.Result r = Tools.run(List.of(kubectl.get().toString(), "kustomize", dir));
        if (!r.ok()) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + r.output());
        }
        return Documents.loadAll(r.stdout());
    }
}
