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
import org.junit.jupiter.api.Test;

/** deploy/k8s/base read from its files, without kubectl: the checks that must run on every machine. */
class BaseManifestsTest {

    private final List<Map<String, Object>> base = Kustomizations.baseWithoutKubectl();
    private final ManifestRules.Expectations expected = ManifestRules.Expectations.fromRepository();

    @Test
    void theBaseKeepsEveryRule() {
        assertThat(ManifestRules.check(base, expected)).isEmpty();
    }

    @Test
    void theBaseHasADeploymentServiceAndDisruptionBudgetForEachOfTheFiveServices() {
        Set<String> services = Repository.services();
        assertThat(services).hasSize(5);
        for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget")) {
            Set<String> names = new TreeSet<>();
            ofKind(base, kind).forEach(d -> names.add(name(d)));
            assertThat(names).as(kind).isEqualTo(services);
        }
    }

    @Test
    void theSyncServiceScalesUpToOneConsumerPerPartition() {
        Map<String, Object> scaler = ofKind(base, "ScaledObject").getFirst();
        int concurrency = ofKind(base, "Deployment").stream()
                .filter(d -> ManifestRules.SYNC.equals(name(d)))
                .flatMap(d -> maps(d, "spec", "template", "spec", "containers").stream())
                .flatMap(c -> maps(c, "env").stream())
                .filter(e -> ManifestRules.SYNC_CONCURRENCY.equals(string(e, "name")))
                .map(e -> Integer.parseInt(string(e, "value")))
                .findFirst()
                .orElse(Repository.defaultSyncConsumerConcurrency());
        // The rules allow fewer (a staging cap); the base promises exactly as many consumers as partitions.
        assertThat((Integer) at(scaler, "spec", "maxReplicaCount") * concurrency)
                .isEqualTo(Repository.partitions());
    }

    @Test
    void theSecretExampleListsEveryReferencedKeyAndIsNotPartOfTheBase() {
        Map<String, Object> kustomization = Kustomizations.kustomization(Kustomizations.BASE);
        assertThat(Documents.strings(kustomization, "resources")).doesNotContain("secret.example.yaml");
        assertThat(Files.isRegularFile(Repository.path(Kustomizations.BASE + "/secret.example.yaml")))
                .isTrue();

        Map<String, Object> example = Documents.loadAll(Repository.read(Kustomizations.BASE + "/secret.example.yaml"))
                .getFirst();
        Set<String> referenced = new TreeSet<>();
        Set<String> secretNames = new TreeSet<>();
        for (Map<String, Object> d : ofKind(base, "Deployment")) {
            for (Map<String, Object> c : maps(d, "spec", "template", "spec", "containers")) {
                for (Map<String, Object> e : maps(c, "env")) {
                    Map<String, Object> ref = map(e, "valueFrom", "secretKeyRef");
                    if (!ref.isEmpty()) {
                        referenced.add(string(ref, "key"));
                        secretNames.add(string(ref, "name"));
                    }
                }
            }
        }
        assertThat(secretNames).containsExactly(name(example));
        assertThat(map(example, "stringData").keySet()).containsExactlyInAnyOrderElementsOf(referenced);
        // Placeholders only: no value in the example could be a working key or URL.
        map(example, "stringData")
                .forEach((key, value) ->
                        assertThat(String.valueOf(value)).as(key).matches("|<placeholder: .*>"));
    }

    @Test
    void eachServiceGetsTheKeysItsStartCheckRequiresAndNoOtherOfThem() {
        // What each service refuses to start without (CalsyncApplication.run(..., EnumSet.of(...))), from the code.
        for (String service : Repository.services()) {
            Set<String> fromSecret = new TreeSet<>();
            ofKind(base, "Deployment").stream()
                    .filter(d -> service.equals(name(d)))
                    .flatMap(d -> maps(d, "spec", "template", "spec", "containers").stream())
                    .flatMap(c -> maps(c, "env").stream())
                    .filter(e -> !map(e, "valueFrom", "secretKeyRef").isEmpty())
                    .forEach(e -> fromSecret.add(string(e, "name")));
            Set<String> required = Repository.requiredVariables(service);
            assertThat(required).as(service).contains("DATABASE_URL");
            for (String variable : List.of("SECRET_KEY", "ENCRYPTION_KEY", "DATABASE_URL")) {
                assertThat(fromSecret.contains(variable))
                        .as(service + " gets " + variable + " exactly when it requires it")
                        .isEqualTo(required.contains(variable));
            }
        }
    }

    @Test
    void theConfigMapHoldsNoSecretAndNamesOnlyVariablesTheServicesRead() {
        Map<String, Object> config = ofKind(base, "ConfigMap").getFirst();
        Set<String> keys = map(config, "data").keySet();
        assertThat(keys).noneMatch(ManifestRules::isSecretVariable);
        for (String key : keys) {
            assertThat(Repository.readsVariable(key))
                    .as(key + " is read by some service")
                    .isTrue();
        }
        assertThat(Repository.readsVariable("CALSYNC_NO_SUCH_SETTING")).isFalse();
    }
}
