package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void writesThroughputInFlightAndLatencyCharts(@TempDir Path dir) throws Exception {
    List<io.aimstore.bench.result.Measurement> runs = new ArrayList<>(Fixtures.threeReps());
    runs.add(Fixtures.result("aimstore", 1, "put-latency", 1, 400, 2500));
    runs.add(Fixtures.result("etcd", 1, "put-latency", 1, 900, 1100));

    Map<String, String> links = Plots.write(Aggregator.summarize(runs), dir, "benchmarks/", "test");

    assertThat(links)
        .containsEntry(MarkdownReport.PLOT_THROUGHPUT, "benchmarks/throughput.png")
        .containsEntry(
            MarkdownReport.PLOT_PUT_IN_FLIGHT, "benchmarks/put-throughput-vs-in-flight.png")
        .containsEntry(
            MarkdownReport.latencyPlot("put-latency"), "benchmarks/latency-put-latency.png");
    for (String link : links.values()) {
      Path png = dir.resolve(link.substring("benchmarks/".length()));
      assertThat(Files.size(png)).isPositive();
      byte[] head = Files.readAllBytes(png);
      assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("PNG");
    }
  }

  @Test
  void watchLatencyAgainstWatchersAndTrialCharts(@TempDir Path dir) throws Exception {
    List<io.aimstore.bench.result.Measurement> runs =
        List.of(
            Fixtures.result("aimstore", 1, "watch-1000", 1000, 100, 3000, Map.of("watchers", 1000)),
            Fixtures.result("etcd", 1, "watch-1000", 1000, 100, 200, Map.of("watchers", 1000)),
            Fixtures.result(
                "aimstore", 1, "watch-10000", 10_000, 100, 9000, Map.of("watchers", 10_000)),
            Fixtures.result("etcd", 1, "watch-10000", 10_000, 100, 300, Map.of("watchers", 10_000)),
            Fixtures.result(
                "aimstore",
                1,
                "failover",
                1,
                2,
                1_500_000,
                Map.of("trial_ms", List.of(1500.0, 1700.0, 1400.0))),
            Fixtures.result(
                "etcd", 1, "failover", 1, 2, 2_000_000, Map.of("trial_ms", List.of(2000.0))));

    Map<String, String> links = Plots.write(Aggregator.summarize(runs), dir, "benchmarks/", "test");

    assertThat(links)
        .containsEntry(
            MarkdownReport.PLOT_WATCH_LATENCY, "benchmarks/watch-latency-vs-watchers.png")
        .containsEntry(MarkdownReport.trialsPlot("failover"), "benchmarks/trials-failover.png")
        .containsEntry(
            MarkdownReport.latencyPlot("watch-1000"), "benchmarks/latency-watch-1000.png")
        .doesNotContainKey(MarkdownReport.latencyPlot("failover"))
        .doesNotContainKey(MarkdownReport.PLOT_THROUGHPUT);
    for (String link : links.values()) {
      assertThat(Files.size(dir.resolve(link.substring("benchmarks/".length())))).isPositive();
    }
  }
}
