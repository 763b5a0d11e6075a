package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.result.Measurement;
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
            "| `put-throughput-64` | throughput (ops/s) | 4,000 | 1,000 | 1,000 | — | 4.00×"
                + " (2.00–4.00) | 4.00× (2.00–6.00) |");
    assertThat(md).contains("### put-throughput-64 title — `put-throughput-64`");
    assertThat(md).contains("| latency p50 (ms) | 1.00 | 2.00 | 1.00 | — | 0.50× (0.50–0.50) |");
    assertThat(md).contains("## Limits").contains("ZooKeeper has no leases apart from");
    assertThat(md)
        .contains(
            "The full run, the one to quote, is exactly:\n\n```sh\nops/bin/aimstore-bench\n```");
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

  /** The report of a quick run that measured {@code results}, with no failures and no plots. */
  static String quickRunOf(String fullRunTime, Measurement... results) {
    return MarkdownReport.render(
        new MarkdownReport.Input(
            Fixtures.env(true),
            Aggregator.summarize(List.of(results)),
            List.of(),
            "r.jsonl",
            Map.of(),
            fullRunTime,
            Map.of()));
  }

  @Test
  void aBackgroundRateBelowTargetIsFlagged() {
    Map<String, Object> slow =
        Map.of("background_put_rate_target", 500.0, "background_puts_per_s", 230L);
    Map<String, Object> fine =
        Map.of("background_put_rate_target", 500.0, "background_puts_per_s", 498L);
    String md =
        quickRunOf(
            "about 21 minutes",
            Fixtures.result("aimstore", 1, "get-linearizable-64", 64, 900, 9000, slow),
            Fixtures.result("etcd", 1, "get-linearizable-64", 64, 1800, 4000, fine));

    assertThat(md)
        .contains(
            "aimstore: 1 repetition, background puts per s 230 (**below the 500/s target**: the"
                + " system could not keep up)")
        .contains("etcd: 1 repetition, background puts per s 498.");
  }

  @Test
  void newWorkloadsShowTheirOwnMetricsAndWhatDidNotRun() {
    Map<String, Object> aim = Map.of("idle_watcher_bytes", 500L, "rss_growth_mib", 4.8);
    Map<String, Object> etcd = Map.of("idle_watcher_bytes", 850L, "rss_growth_mib", 8.1);
    String md =
        quickRunOf(
            "about 80 minutes",
            Fixtures.result("aimstore", 1, "watch-idle-memory-10k", 10_000, 9, 0, aim),
            Fixtures.result("etcd", 1, "watch-idle-memory-10k", 10_000, 9, 0, etcd));

    assertThat(md)
        .contains(
            "| `watch-idle-memory-10k` | RSS per idle watcher (B) | 500 | 850 | — | — | 0.59× | — |")
        .contains("| member RSS growth (MiB) | 4.80 | 8.10 | — | — | 0.59× | — |")
        .contains("one follower before and after 10,000 watches")
        .doesNotContain("| throughput (ops/s) | 9");
    assertThat(md).contains("Not measured in this run: `put-latency`").contains("`footprint`");
  }

  @Test
  void notesFormatTimesWithDecimalsAndCountsWhole() {
    assertThat(MarkdownReport.extraValue("from_issue_p50_ms", 4.4605)).isEqualTo("4.46");
    assertThat(MarkdownReport.extraValue("write_s", 12.34)).isEqualTo("12.3");
    assertThat(MarkdownReport.extraValue("events_missing", 3)).isEqualTo("3");
  }
}
