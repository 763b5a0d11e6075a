package io.aimstore.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The metric names found in PromQL expressions of the kinds ops/observe uses. */
class PromQlTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "up{job=\"aimstore\"} == 0 ; up",
        "(sum(aimstore_raft_leader{job=\"aimstore\"}) or vector(0)) < 1 ; aimstore_raft_leader",
        "a_x{job=\"$job\"} - b_y{job=\"$job\"} > 100 ; a_x b_y",
        "histogram_quantile(0.99, sum by (instance, le) (rate(h_bucket{job=\"$job\"}[$__rate_interval])))"
            + " ; h_bucket",
        "delta(x[5m]) == 0 and on () (max(delta(x[5m])) > 0) ; x",
        "sum(rate(c_total{method=~\".*KV/(Put|Txn)\"}[1m])) by (method) / 1e3 ; c_total",
        "vector($quota_backend_bytes) ; ''",
        "max by (alarm) (aimstore_alarm_active{alarm=\"NOSPACE\"}) offset 5m ; aimstore_alarm_active",
      })
  void namesAreTheMetricsAndNothingElse(String expr, String names) {
    List<String> expected = names.isBlank() ? List.of() : List.of(names.strip().split(" "));
    assertThat(PromQl.metricNames(expr)).containsExactlyElementsOf(expected);
  }

  @org.junit.jupiter.api.Test
  void dashboardExpressionsAreFoundInPanelsInsideRows() {
    Object dashboard =
        Map.of(
            "panels",
            List.of(
                Map.of("targets", List.of(Map.of("expr", "a"), Map.of("expr", "b"))),
                Map.of(
                    "type",
                    "row",
                    "panels",
                    List.of(Map.of("targets", List.of(Map.of("expr", "c")))))));
    assertThat(PromQl.dashboardExpressions(dashboard)).containsExactlyInAnyOrder("a", "b", "c");
  }
}
