package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.Ratio;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import io.aimstore.bench.result.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregatorTest {

  @Test
  void mediansPerSystemAndRatioOfMedians() {
    WorkloadSummary w = Aggregator.summarize(Fixtures.threeReps()).get(0);

    assertThat(w.id()).isEqualTo("put-throughput-64");
    assertThat(w.inFlight()).isEqualTo(64);
    assertThat(w.cell(SystemKind.AIMSTORE, Metric.THROUGHPUT).median()).isEqualTo(4000);
    assertThat(w.cell(SystemKind.AIMSTORE, Metric.THROUGHPUT).min()).isEqualTo(2000);
    assertThat(w.cell(SystemKind.AIMSTORE, Metric.THROUGHPUT).max()).isEqualTo(6000);
    assertThat(w.cell(SystemKind.ETCD, Metric.THROUGHPUT).median()).isEqualTo(1000);
    // latency is shown in ms
    assertThat(w.cell(SystemKind.ETCD, Metric.P50).median()).isEqualTo(2.0);

    Ratio vsEtcd = w.ratio(SystemKind.ETCD, Metric.THROUGHPUT);
    assertThat(vsEtcd.ofMedians()).isEqualTo(4.0);
    // per-repetition ratios 2, 4, 3: the range pairs repetition r with repetition r
    assertThat(vsEtcd.min()).isEqualTo(2.0);
    assertThat(vsEtcd.max()).isEqualTo(4.0);
    assertThat(vsEtcd.pairs()).isEqualTo(3);

    Ratio latencyVsEtcd = w.ratio(SystemKind.ETCD, Metric.P50);
    assertThat(latencyVsEtcd.ofMedians()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void ratioRangeOnlyOverRepetitionsBothSystemsHave() {
    List<Measurement> runs = new ArrayList<>(Fixtures.threeReps());
    runs.removeIf(m -> m.system().equals("etcd") && m.rep() == 3);

    Ratio r = Aggregator.summarize(runs).get(0).ratio(SystemKind.ETCD, Metric.THROUGHPUT);

    assertThat(r.pairs()).isEqualTo(2);
    assertThat(r.min()).isEqualTo(2.0);
    assertThat(r.max()).isEqualTo(4.0);
  }

  @Test
  void runsThatCompletedNothingCountAsMissing() {
    List<Measurement> runs = new ArrayList<>(Fixtures.threeReps());
    runs.replaceAll(
        m ->
            m.system().equals("zookeeper")
                ? Fixtures.result("zookeeper", m.rep(), m.workload(), 64, 0, 0)
                : m);

    WorkloadSummary w = Aggregator.summarize(runs).get(0);

    assertThat(w.cell(SystemKind.ZOOKEEPER, Metric.THROUGHPUT).present()).isFalse();
    assertThat(w.ratio(SystemKind.ZOOKEEPER, Metric.THROUGHPUT).present()).isFalse();
    assertThat(w.ratio(SystemKind.ETCD, Metric.THROUGHPUT).present()).isTrue();
  }

  @Test
  void noAimstoreMeansNoRatios() {
    List<Measurement> runs = new ArrayList<>(Fixtures.threeReps());
    runs.removeIf(m -> m.system().equals("aimstore"));

    WorkloadSummary w = Aggregator.summarize(runs).get(0);

    assertThat(w.ratios()).isEmpty();
    assertThat(w.cell(SystemKind.ETCD, Metric.THROUGHPUT).present()).isTrue();
  }

  @Test
  void workloadsKeepTheirRunOrder() {
    List<Measurement> runs = new ArrayList<>();
    runs.add(Fixtures.result("etcd", 1, "put-latency", 1, 500, 2000));
    runs.addAll(Fixtures.threeReps());
    runs.add(Fixtures.result("etcd", 2, "put-latency", 1, 500, 2000));

    assertThat(Aggregator.summarize(runs))
        .extracting(WorkloadSummary::id)
        .containsExactly("put-latency", "put-throughput-64");
    assertThat(Aggregator.summarize(runs).get(0).headline()).isEqualTo(Metric.P50);
  }

  @Test
  void extrasBecomeMetricsAndListsBecomeSeries() {
    List<Measurement> runs =
        List.of(
            Fixtures.result(
                "aimstore",
                1,
                "ghost-lock",
                1,
                2,
                2_900_000,
                Map.of("trial_ms", List.of(2900.0, 3100.0), "trials", 2)),
            Fixtures.result(
                "etcd",
                1,
                "ghost-lock",
                1,
                2,
                2_000_000,
                Map.of("trial_ms", List.of(2000.0, 2100.0), "trials", 2)),
            Fixtures.result(
                "aimstore", 1, "footprint", 256, 2000, 100_000, Map.of("restart_s", 6.0)),
            Fixtures.result("etcd", 1, "footprint", 256, 8000, 50_000, Map.of("restart_s", 3.0)));

    List<WorkloadSummary> s = Aggregator.summarize(runs);
    WorkloadSummary ghost = s.get(0);
    assertThat(ghost.systems().get(SystemKind.AIMSTORE).series().get("trial_ms"))
        .containsExactly(2900.0, 3100.0);
    assertThat(ghost.cell(SystemKind.AIMSTORE, Metric.P50).median()).isEqualTo(2900.0);
    assertThat(ghost.ratio(SystemKind.ETCD, Metric.P50).ofMedians()).isEqualTo(1.45);

    WorkloadSummary footprint = s.get(1);
    assertThat(footprint.cell(SystemKind.AIMSTORE, Metric.RESTART).median()).isEqualTo(6.0);
    assertThat(footprint.ratio(SystemKind.ETCD, Metric.RESTART).ofMedians()).isEqualTo(2.0);
    assertThat(footprint.cell(SystemKind.AIMSTORE, Metric.IDLE_WATCHER_BYTES).present()).isFalse();
  }
}
