package io.aimstore.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.aimstore.bench.result.Environment;
import io.aimstore.bench.result.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsCostTest {

  private static MarkdownReport.Input input(List<String> systems, List<Measurement> results) {
    return new MarkdownReport.Input(
        Fixtures.env(false, systems),
        Aggregator.summarize(results),
        List.of(),
        "bench/runs/20261127-000000/results.jsonl",
        Map.of(),
        "about 10 minutes on this machine",
        Map.of("other_processes_cpu_pct", new Summary.Cell(40, 10, 90, 12)));
  }

  @Test
  void aRunOfBothShowsTlsAgainstPlaintextWithTheRatioPerRepetition() {
    String md =
        TlsCost.report(input(List.of("aimstore", "aimstore-plaintext"), Fixtures.tlsCost()));

    assertThat(md)
        .startsWith("# Cost of TLS: aimstore with mutual TLS and in plaintext")
        .contains("## Cost of TLS")
        .contains("| workload | metric | with TLS | plaintext | TLS ÷ plaintext |")
        .contains("| `put-latency` | latency p50 (ms) | 2.00 | 1.60 | 1.25× (1.10–1.25) |")
        .contains("|  | server CPU per op (µs) | 3,000 | 2,700 | 1.11× (1.00–1.20) |")
        .contains(
            "| `put-throughput-64` | throughput (ops/s) | 4,000 | 5,000 | 0.80× (0.80–0.90) |")
        .contains("|  | client CPU per op (µs) | 50 | 50 | 1.00× (1.00–1.00) |")
        .contains(
            "`put-throughput-64`: with TLS 3 repetitions, throughput 3,600–4,400 ops/s; plaintext"
                + " 3 repetitions, throughput 4,000–5,000 ops/s.");
    // the run, its load and how to run it again
    assertThat(md)
        .contains("raw results: `bench/runs/20261127-000000/results.jsonl`")
        .contains("median 40% of one core (10–90%; the machine has 200%)")
        .contains("The machine is shared")
        .contains(
            "```sh\n"
                + "ops/bin/aimstore-bench --systems aimstore,aimstore-plaintext --workloads"
                + " put-latency,put-throughput-64\n```")
        .contains(
            "The machine is shared: during the measured windows, processes other than the bench"
                + " and its clusters used a median 40% of one core (10–90%) of the machine's 200%,"
                + " and the load average at the start was 0.5 0.4 0.3.")
        .contains("The bench estimates it at about 10 minutes on this machine");
    // nothing of the comparison with etcd and ZooKeeper
    assertThat(md).doesNotContain("## Workloads").doesNotContain("ZooKeeper |");
  }

  @Test
  void theFullReportCarriesTheSectionOnlyWhenBothRan() {
    List<Measurement> all = new ArrayList<>(Fixtures.threeReps());
    all.addAll(Fixtures.tlsCost());
    String both =
        MarkdownReport.render(
            input(
                List.of("aimstore", "etcd", "zookeeper", "aimstore-etcd", "aimstore-plaintext"),
                all));
    String without =
        MarkdownReport.render(
            input(List.of("aimstore", "etcd", "zookeeper", "aimstore-etcd"), Fixtures.threeReps()));

    assertThat(both)
        .contains("## Cost of TLS")
        .contains(
            "| `put-throughput-64` | throughput (ops/s) | 4,000 | 5,000 | 0.80× (0.80–0.90) |");
    // plaintext is no column of the comparison, nor in its notes
    assertThat(both)
        .contains(
            "| workload | metric | aimstore | etcd | ZooKeeper | aimstore (etcd API) | aimstore ÷"
                + " etcd | aimstore ÷ ZooKeeper |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
        .doesNotContain("aimstore (plaintext):");
    assertThat(without)
        .contains("## Cost of TLS")
        .contains("This run did not record aimstore's transport.")
        .contains("[benchmarks/tls-cost.md](benchmarks/tls-cost.md)")
        .contains("ops/bin/aimstore-bench --systems aimstore,aimstore-plaintext")
        .doesNotContain("TLS ÷ plaintext |");
  }

  @Test
  void withoutTheTableTheSectionSaysWhatTheRunsAimstoreRanWith() {
    Environment e = Fixtures.env(false);
    Environment recorded =
        new Environment(
            e.type(),
            e.run(),
            e.startedAt(),
            e.quick(),
            e.command(),
            e.cores(),
            e.cpuModel(),
            e.memory(),
            e.os(),
            e.jvm(),
            e.loadAverageAtStart(),
            e.config(),
            e.versions(),
            Map.of("aimstore", Map.of(TlsCost.TRANSPORT, "mutual TLS 1.3 on every port")));

    assertThat(TlsCost.section(Aggregator.summarize(Fixtures.threeReps()), recorded))
        .contains("aimstore's transport in this run: mutual TLS 1.3 on every port.");
  }

  @Test
  void onlyARunOfExactlyTheTwoIsARunForTlsAlone() {
    assertThat(TlsCost.alone(Fixtures.env(false, List.of("aimstore", "aimstore-plaintext"))))
        .isTrue();
    assertThat(TlsCost.alone(Fixtures.env(false, List.of("aimstore-plaintext", "aimstore"))))
        .isTrue();
    assertThat(
            TlsCost.alone(Fixtures.env(false, List.of("aimstore", "etcd", "aimstore-plaintext"))))
        .isFalse();
    assertThat(TlsCost.alone(Fixtures.env(false, List.of("aimstore")))).isFalse();
    assertThat(TlsCost.alone(null)).isFalse();
  }

  @Test
  void measuredNeedsAWorkloadOnBoth() {
    List<Measurement> secureOnly =
        Fixtures.tlsCost().stream().filter(m -> m.system().equals("aimstore")).toList();

    assertThat(TlsCost.measured(Aggregator.summarize(Fixtures.tlsCost()))).isTrue();
    assertThat(TlsCost.measured(Aggregator.summarize(secureOnly))).isFalse();
  }
}
