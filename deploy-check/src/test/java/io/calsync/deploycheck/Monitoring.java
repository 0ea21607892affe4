package io.calsync.deploycheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** deploy/prometheus and deploy/grafana as the tests read them. */
final class Monitoring {

    static final String ALERTS = "deploy/prometheus/alerts.yml";
    static final String ALERT_TESTS = "deploy/prometheus/alerts_test.yml";
    static final String PROMETHEUS = "deploy/prometheus/prometheus.yml";
    static final String DASHBOARD = "deploy/grafana/calsync-dashboard.json";
    static final String RUNBOOK = "docs/runbook.md";

    private Monitoring() {}

    /** One alerting or recording rule. */
    record Rule(String group, Map<String, Object> body) {
        String alert() {
            return Documents.string(body, "alert");
        }

        String expr() {
            return Documents.string(body, "expr");
        }
    }

    static List<Rule> rules() {
        Object doc = Documents.loadOne(Repository.read(ALERTS));
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> group : Documents.maps(doc, "groups")) {
            for (Map<String, Object> rule : Documents.maps(group, "rules")) {
                rules.add(new Rule(Documents.string(group, "name"), rule));
            }
        }
        return rules;
    }

    static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(Repository.read(DASHBOARD));
    }

    /** A dashboard query: the panel it belongs to and its PromQL. */
    record Query(String panel, String expr) {}

    static List<Query> dashboardQueries() {
        List<Query> queries = new ArrayList<>();
        collect(dashboard().path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<Query> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new Query(
                        panel.path("title").asString(), target.path("expr").asString()));
            }
            collect(panel.path("panels"), into); // panels inside collapsed rows
        }
    }
}
