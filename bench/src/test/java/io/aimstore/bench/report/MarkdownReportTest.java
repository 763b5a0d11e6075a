package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.result.RunError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

  private static String render(boolean quick, Map<String, String> plots, List<RunError> errors) {
    return MarkdownReport.render(
        new MarkdownReport.Input(
            Fixtures.env(quick),
            Aggregator.summarize(Fixtures.threeReps()),
            errors,
            "bench/runs/20261127-000000-quick/results.jsonl",
            plots,
            "about 21 minutes",
            Map.of("other_processes_cpu_pct", new Summary.Cell(40, 10, 90, 18))));
  }

  @Test
  void quickRunIsLabelledAndShowsTheCommand() {
    String md = render(true, Map.of(), List.of());

    assertThat(md).contains("**Quick run**").contains("8 s warm-up");
    assertThat(md).contains("`ops/bin/aimstore-bench --quick`");
    assertThat(md).contains("bench/runs/20261127-000000-quick/results.jsonl");
    assertThat(md).contains("3 repetitions on one set of 3-member clusters");
    assertThat(render(false, Map.of(), List.of()))
        .doesNotContain("**Quick run**")
        .contains("each on a fresh set of 3-member clusters");
  }

  @Test
  void summaryAndWorkloadTablesCarryMediansAndRatios() {
    String md = render(true, Map.of(), List.of());

    assertThat(md)
        .contains(
            "| `put-throughput-64` | throughput (ops/s) | 4,000 | 1,000 | 1,000 | 4.00× (2.00–4.00)"
                + " | 4.00× (2.00–6.00) |");
    assertThat(md).contains("### put-throughput-64 title — `put-throughput-64`");
    assertThat(md).contains("| latency p50 (ms) | 1.00 | 2.00 | 1.00 | 0.50× (0.50–0.50) |");
    assertThat(md).contains("Not measured yet").contains("ghost-lock reclaim");
    assertThat(md)
        .contains(
            "| CPU of other processes during measured windows | median 40% of one core (10–90%;"
                + " the machine has 200%) |");
  }

  @Test
  void imagesOnlyWhenPlotted() {
    String without = render(true, Map.of(), List.of());
    String with =
        render(
            true,
            Map.of(
                MarkdownReport.PLOT_THROUGHPUT,
                "benchmarks/throughput.png",
                MarkdownReport.latencyPlot("put-throughput-64"),
                "benchmarks/latency-put-throughput-64.png"),
            List.of());

    assertThat(without).doesNotContain("![");
    assertThat(with)
        .contains("![Throughput per workload](benchmarks/throughput.png)")
        .contains("](benchmarks/latency-put-throughput-64.png)");
  }

  @Test
  void failuresAreListed() {
    String md =
        render(
            true,
            Map.of(),
            List.of(new RunError(RunError.TYPE, "r", "etcd", 2, null, "no leader", "t")));

    assertThat(md)
        .contains("## Failures in this run")
        .contains("- etcd repetition 2 (cluster): no leader");
  }

  @Test
  void aBackgroundRateBelowTargetIsFlagged() {
    Map<String, Object> slow =
        Map.of("background_put_rate_target", 500.0, "background_puts_per_s", 230L);
    Map<String, Object> fine =
        Map.of("background_put_rate_target", 500.0, "background_puts_per_s", 498L);
    String md =
        MarkdownReport.render(
            new MarkdownReport.Input(
                Fixtures.env(true),
                Aggregator.summarize(
                    List.of(
                        Fixtures.result("aimstore", 1, "get-linearizable-64", 64, 900, 9000, slow),
                        Fixtures.result("etcd", 1, "get-linearizable-64", 64, 1800, 4000, fine))),
                List.of(),
                "r.jsonl",
                Map.of(),
                "about 21 minutes",
                Map.of()));

    assertThat(md)
        .contains(
            "aimstore: 1 repetition, background puts per s 230 (**below the 500/s target**: the"
                + " system could not keep up)")
        .contains("etcd: 1 repetition, background puts per s 498.");
  }
}
