package io.calsync.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * alerts.yml, the dashboard and the scrape configuration against the code: every metric they name is one the
 * services export, the labels they use are the ones the scrape produces, and every alert leads to a runbook section.
 */
class MonitoringTest {

    private final MeterCatalog catalog = MeterCatalog.ofRepository();
    private final List<Monitoring.Rule> rules = Monitoring.rules();
    private final List<Monitoring.Query> queries = Monitoring.dashboardQueries();

    private Map<String, String> usedMetrics() {
        Map<String, String> used = new TreeMap<>();
        for (Monitoring.Rule r : rules) {
            PromQl.metricNames(r.expr()).forEach(m -> used.putIfAbsent(m, "alert " + r.alert()));
        }
        for (Monitoring.Query q : queries) {
            PromQl.metricNames(q.expr()).forEach(m -> used.putIfAbsent(m, "panel " + q.panel()));
        }
        return used;
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExported() {
        Map<String, String> used = usedMetrics();
        assertThat(used).isNotEmpty();
        Map<String, MeterCatalog.Meter> ours = catalog.byPrometheusName();
        Map<String, String> unknown = new LinkedHashMap<>();
        used.forEach((metric, where) -> {
            if (!ours.containsKey(metric) && !MeterCatalog.KNOWN_EXTERNAL.containsKey(metric)) {
                unknown.put(metric, where);
            }
        });
        assertThat(unknown)
                .as("metrics no service exports (a calsync_ one must be registered in the code with this name and"
                        + " kind; another must be listed in MeterCatalog.KNOWN_EXTERNAL with its source)")
                .isEmpty();
    }

    @Test
    void everyKnownExternalMetricIsInUse() {
        assertThat(usedMetrics().keySet()).containsAll(MeterCatalog.KNOWN_EXTERNAL.keySet());
    }

    @Test
    void theCatalogReadsNamesKindsAndTagsFromTheCode() {
        Map<String, MeterCatalog.Meter> ours = catalog.byPrometheusName();
        // A counter registered through the registry, a timer named by a constant, a gauge of a builder.
        assertThat(ours)
                .containsKeys(
                        "calsync_sync_runs_total",
                        "calsync_poller_job_runs_seconds_count",
                        "calsync_outbox_relay_leader",
                        "calsync_webhooks_publish_seconds_max");
        assertThat(ours).doesNotContainKeys("calsync_sync_runs", "calsync_outbox_relay_leader_total");
        assertThat(catalog.tagsOf("calsync.poller.job.runs")).contains("job", "outcome");
        assertThat(catalog.tagsOf("calsync.outbox.relay.leader")).contains("service");
        assertThat(catalog.tagsOf("calsync.writeback")).containsExactlyInAnyOrder("provider", "action", "outcome");
    }

    @Test
    void everyAlertHasAUniqueNameASeverityAndLeadsToARunbookSection() {
        Set<String> anchors = runbookAnchors();
        Set<String> names = new HashSet<>();
        assertThat(rules).isNotEmpty();
        for (Monitoring.Rule r : rules) {
            assertThat(r.alert()).as("every rule is an alert").isNotBlank();
            assertThat(names.add(r.alert())).as("unique: " + r.alert()).isTrue();
            assertThat(Documents.string(r.body(), "labels", "severity"))
                    .as(r.alert())
                    .isIn("critical", "warning", "info");
            assertThat(Documents.string(r.body(), "annotations", "summary"))
                    .as(r.alert())
                    .isNotBlank();
            assertThat(Documents.string(r.body(), "annotations", "description"))
                    .as(r.alert())
                    .isNotBlank();
            String runbook = Documents.string(r.body(), "annotations", "runbook_url");
            assertThat(runbook).as(r.alert()).startsWith(Monitoring.RUNBOOK + "#");
            assertThat(anchors).as(r.alert()).contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void theAlertsCoverWhatOperatorsMustHear() {
        Map<String, Predicate<String>> topics = new LinkedHashMap<>();
        topics.put("consumer lag", e -> e.contains("kafka_consumer_fetch_manager_records_lag_max"));
        topics.put("dead-letter topics growing", e -> e.contains("deadLetterKafkaTemplate"));
        topics.put("sync failures", e -> e.contains("calsync_sync_runs_total") && e.contains("FAILED"));
        topics.put(
                "subscription renewals failing",
                e -> e.contains("calsync_subscriptions_total")
                        && e.contains("action=\"renew\"")
                        && e.contains("outcome!=\"ok\""));
        topics.put("outbox relay behind", e -> e.contains("calsync_outbox_relay_lag_seconds_bucket"));
        topics.put("outbox relay failing", e -> e.contains("calsync_outbox_relay_failures_total"));
        topics.put("outbox relay without leader", e -> e.contains("calsync_outbox_relay_leader"));
        topics.put("replication slot inactive", e -> e.contains("calsync_outbox_slot_active"));
        topics.put("replication slot WAL at risk", e -> e.contains("calsync_outbox_slot_wal_status"));
        topics.put("outbox rows unpublished", e -> e.contains("calsync_outbox_unpublished_oldest_seconds"));
        topics.put("writes given up", e -> e.contains("calsync_writes_swept_total"));
        topics.put(
                "poller job errors",
                e -> e.contains("calsync_poller_job_runs_seconds_count") && e.contains("outcome=\"error\""));
        topics.put("webhook 503s", e -> e.contains("webhook-ingest-service") && e.contains("status=\"503\""));
        topics.forEach((topic, covers) -> assertThat(
                        rules.stream().map(Monitoring.Rule::expr).anyMatch(covers))
                .as("an alert on " + topic)
                .isTrue());
    }

    @Test
    void theDashboardShowsTheAlertedMetricsAndRequestRatesAndLatencies() {
        Set<String> shown = new TreeSet<>();
        queries.forEach(q -> shown.addAll(PromQl.metricNames(q.expr())));
        Set<String> alerted = new TreeSet<>();
        rules.forEach(r -> alerted.addAll(PromQl.metricNames(r.expr())));
        alerted.remove("up"); // a target that does not answer shows as missing data
        assertThat(shown).containsAll(alerted);
        assertThat(shown).contains("http_server_requests_seconds_count", "http_server_requests_seconds_sum");
    }

    @Test
    void theDashboardIsImportableGrafanaJson() {
        JsonNode d = Monitoring.dashboard();
        assertThat(d.path("title").asString()).isNotBlank();
        assertThat(d.path("uid").asString()).matches("[a-zA-Z0-9_-]{1,40}");
        Set<String> variables = new HashSet<>();
        d.path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asString()));
        assertThat(variables).contains("datasource", "namespace");
        Set<Integer> ids = new HashSet<>();
        Map<String, Integer> titles = new TreeMap<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt()))
                    .as("unique panel id " + p.path("id"))
                    .isTrue();
            JsonNode pos = p.path("gridPos");
            assertThat(pos.path("w").asInt()).isBetween(1, 24);
            assertThat(pos.path("x").asInt() + pos.path("w").asInt()).isLessThanOrEqualTo(24);
            if ("row".equals(p.path("type").asString())) {
                continue;
            }
            titles.merge(p.path("title").asString(), 1, Integer::sum);
            assertThat(p.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
            assertThat(p.path("targets").size()).as(p.path("title").asString()).isPositive();
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asString();
                assertThat(expr).as(p.path("title").asString()).isNotBlank();
                // Every query follows the namespace picker, so staging and production never mix.
                assertThat(expr).as(p.path("title").asString()).contains("namespace=~\"$namespace\"");
            }
        }
        assertThat(titles.values()).as("panel titles are unique: " + titles).allMatch(n -> n == 1);
    }

    @Test
    void scrapeLabelsDoNotCollideWithMeterTagsAndThePollersJobTagIsReadAsExportedJob() {
        Object prometheus = Documents.loadOne(Repository.read(Monitoring.PROMETHEUS));
        Set<String> targetLabels = new TreeSet<>(Set.of("job", "instance"));
        Map<String, Object> calsyncJob = Documents.maps(prometheus, "scrape_configs").stream()
                .filter(j -> "calsync".equals(Documents.string(j, "job_name")))
                .findFirst()
                .orElseThrow();
        for (Map<String, Object> relabel : Documents.maps(calsyncJob, "relabel_configs")) {
            String target = Documents.string(relabel, "target_label");
            if (target != null && !target.startsWith("__")) {
                targetLabels.add(target);
            }
        }
        // A target label a meter also uses renames the meter's tag to exported_<tag>; only job may do so (the
        // poller's job tag, which the rules read as exported_job).
        Set<String> collisions = new TreeSet<>(catalog.allTags());
        collisions.retainAll(targetLabels);
        assertThat(collisions).containsExactly("job");

        Pattern jobLabel = Pattern.compile("[{,(]\\s*job\\s*(=|!=|=~|!~|,|\\))");
        List<String> exprs = new java.util.ArrayList<>();
        rules.forEach(r -> exprs.add(r.expr()));
        queries.forEach(q -> exprs.add(q.expr()));
        for (String e : exprs) {
            if (e.contains("calsync_poller_job")) {
                assertThat(jobLabel.matcher(e).find()).as(e).isFalse();
            }
        }
    }

    @Test
    void theScrapeConfigReadsThePodAnnotationsTheManifestsSetAndLoadsTheRules() {
        Object prometheus = Documents.loadOne(Repository.read(Monitoring.PROMETHEUS));
        assertThat(Documents.strings(prometheus, "rule_files")).containsExactly("alerts.yml");
        Map<String, Object> job = Documents.maps(prometheus, "scrape_configs").getFirst();
        assertThat(Documents.string(Documents.maps(job, "kubernetes_sd_configs").getFirst(), "role"))
                .isEqualTo("pod");
        String relabels = String.valueOf(Documents.at(job, "relabel_configs"));
        // The annotations every Deployment carries (ManifestRules checks them), as Kubernetes SD names them.
        for (String annotation : List.of("prometheus.io/scrape", "prometheus.io/path", "prometheus.io/port")) {
            String meta = "__meta_kubernetes_pod_annotation_"
                    + annotation.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
            assertThat(relabels).contains(meta);
        }
        assertThat(relabels).contains("__meta_kubernetes_pod_label_app_kubernetes_io_part_of");
        // Every namespace an overlay deploys to is scraped.
        List<String> namespaces =
                Documents.strings(Documents.maps(job, "kubernetes_sd_configs").getFirst(), "namespaces", "names");
        for (String overlay : Kustomizations.OVERLAYS) {
            assertThat(namespaces).contains(Documents.string(Kustomizations.kustomization(overlay), "namespace"));
        }
    }

    /** GitHub's heading anchors: lower case, punctuation but - and _ dropped, spaces to -. */
    static Set<String> runbookAnchors() {
        Set<String> anchors = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(Repository.read(Monitoring.RUNBOOK));
        while (m.find()) {
            anchors.add(m.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                    .replace(' ', '-'));
        }
        return anchors;
    }
}
