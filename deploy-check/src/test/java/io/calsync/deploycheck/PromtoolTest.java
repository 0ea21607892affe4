package io.calsync.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Prometheus's own checks, where promtool is installed (Debian: apt-get install prometheus); skipped elsewhere. */
class PromtoolTest {

    private static String promtool() {
        Optional<Path> p = Tools.find("promtool");
        assumeTrue(p.isPresent(), "promtool is not installed: the rules are not checked by Prometheus here");
        return p.get().toString();
    }

    @Test
    void theAlertRulesParse() {
        Tools.Result r = Tools.run(List.of(promtool(), "check", "rules", Monitoring.ALERTS));
        assertThat(r.ok()).as(r.output()).isTrue();
    }

    @Test
    void theAlertsFireOnTheSeriesOfTheirUnitTestsAndOnlyThere() {
        Tools.Result r = Tools.run(List.of(promtool(), "test", "rules", Monitoring.ALERT_TESTS));
        assertThat(r.ok()).as(r.output()).isTrue();
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws IOException {
        // promtool parses PromQL only inside rule files: each query becomes a recording rule, Grafana's variables
        // replaced by what Grafana would put there.
        List<Map<String, Object>> records = new ArrayList<>();
        int i = 0;
        for (Monitoring.Query q : Monitoring.dashboardQueries()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("record", "dashboard:query_" + i++);
            rule.put("expr", q.expr().replace("$__rate_interval", "2m").replace("$namespace", "calsync"));
            records.add(rule);
        }
        assertThat(records).isNotEmpty();
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(
                file, new Yaml(options).dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", records)))));
        Tools.Result r = Tools.run(List.of(promtool(), "check", "rules", file.toString()));
        assertThat(r.ok()).as(r.output()).isTrue();
    }

    @Test
    void theScrapeConfigIsValid() {
        Tools.Result r = Tools.run(List.of(promtool(), "check", "config", Monitoring.PROMETHEUS));
        // Debian builds Prometheus without its Kubernetes discovery; such a promtool cannot judge this file.
        assumeFalse(
                r.output().contains("field kubernetes_sd_configs not found"),
                "this promtool was built without Kubernetes service discovery");
        assertThat(r.ok()).as(r.output()).isTrue();
    }
}
