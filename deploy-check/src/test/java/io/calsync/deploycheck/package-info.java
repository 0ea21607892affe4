/**
 * Checks of {@code deploy/} against the code, run by {@code ./mvnw -B verify} and {@code deploy/check.sh}.
 *
 * <p>{@link io.calsync.deploycheck.ManifestRules} holds the rules every rendering of the Kubernetes manifests must
 * keep (probes on the actuator groups, requests and limits, secrets only through {@code secretKeyRef}, a disruption
 * budget per Deployment, sync-service's autoscaling within its partitions, the ingress's two routes); the base is
 * checked from its files alone, the overlays through {@code kubectl kustomize} where kubectl is installed.
 * {@link io.calsync.deploycheck.MeterCatalog} reads the meters the services register from their sources, so that
 * an alert or a dashboard panel naming a metric nobody exports fails here rather than staying silent in production.
 * What the repository says (ports, topics, partitions, the consumer group) is read from it by
 * {@link io.calsync.deploycheck.Repository}, never copied into the tests.
 */
package io.calsync.deploycheck;
