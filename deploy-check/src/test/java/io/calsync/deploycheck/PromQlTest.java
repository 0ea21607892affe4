package io.calsync.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void readsMetricNamesButNotFunctionsLabelsOrGroupings() {
        assertThat(PromQl.metricNames(
                        "sum by (namespace, le) (rate(calsync_outbox_relay_lag_seconds_bucket{service=\"a\"}[5m]))"))
                .containsExactly("calsync_outbox_relay_lag_seconds_bucket");
    }

    @Test
    void readsBothSidesOfABinaryExpressionAndIgnoresKeywordsAndNumbers() {
        assertThat(PromQl.metricNames("sum(rate(a_total{x=\"FAILED\"}[15m])) / sum(rate(b_total[15m])) > 0.2"
                        + " or absent(c) unless on (pod) d offset 5m"))
                .containsExactly("a_total", "b_total", "c", "d");
    }

    @Test
    void ignoresWhatLooksLikeANameInsideStringsAndGrafanaVariables() {
        assertThat(PromQl.metricNames("rate(http_server_requests_seconds_count{namespace=~\"$namespace\","
                        + " uri=~\"/api/v1/calendar/webhooks/.*\"}[$__rate_interval])"))
                .containsExactly("http_server_requests_seconds_count");
        assertThat(PromQl.metricNames("label_replace(up, \"a\", \"b\", \"c\", \"d\") == bool 1"))
                .containsExactly("up");
    }

    @Test
    void readsABareSelector() {
        assertThat(PromQl.metricNames("up{job=\"calsync\"} == 0")).containsExactly("up");
    }
}
