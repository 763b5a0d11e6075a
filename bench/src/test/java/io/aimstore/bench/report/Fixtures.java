package io.aimstore.bench.report;

import io.aimstore.bench.result.Environment;
import io.aimstore.bench.result.Measurement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made results for report tests. */
final class Fixtures {
  private Fixtures() {}

  static Measurement result(
      String system, int rep, String workload, int inFlight, double opsPerS, double p50Us) {
    return result(system, rep, workload, inFlight, opsPerS, p50Us, Map.of("cas_conflicts", 0L));
  }

  static Measurement result(
      String system,
      int rep,
      String workload,
      int inFlight,
      double opsPerS,
      double p50Us,
      Map<String, Object> extras) {
    return new Measurement(
        Measurement.TYPE,
        "run-1",
        true,
        system,
        rep,
        workload,
        workload + " title",
        inFlight,
        0.25,
        1.0,
        (long) opsPerS,
        0,
        opsPerS,
        p50Us,
        p50Us * 1.5,
        p50Us * 2,
        p50Us * 3,
        p50Us * 4,
        p50Us * 1.1,
        0.5,
        100,
        50,
        0,
        null,
        extras,
        "2026-11-27T00:00:00Z");
  }

  static Environment env(boolean quick) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("repetitions", 3.0);
    config.put("fresh_clusters_per_repetition", !quick);
    config.put("warmup_s", quick ? 8.0 : 60.0);
    config.put("settle_s", 0.25);
    config.put("measure_s", 1.0);
    config.put("max_ops_per_window", 1.0e7);
    config.put("keys", 1000.0);
    config.put("value_bytes", 256.0);
    config.put("background_put_rate", 1000.0);
    return new Environment(
        Environment.TYPE,
        "20261127-000000-quick",
        "2026-11-27T00:00:00Z",
        quick,
        "ops/bin/aimstore-bench --quick",
        2,
        "Test CPU",
        "23.5 GiB",
        "Linux",
        "OpenJDK 17",
        "0.5 0.4 0.3",
        config,
        Map.of("etcd", "3.4.23"),
        Map.of("etcd", Map.of("durability", "fsync")));
  }

  /** put-throughput-64: aimstore 2x, 4x, 3x etcd over 3 reps; ZooKeeper 1,000 ops/s. */
  static List<Measurement> threeReps() {
    return List.of(
        result("aimstore", 1, "put-throughput-64", 64, 2000, 1000),
        result("etcd", 1, "put-throughput-64", 64, 1000, 2000),
        result("zookeeper", 1, "put-throughput-64", 64, 1000, 1000),
        result("aimstore", 2, "put-throughput-64", 64, 4000, 1000),
        result("etcd", 2, "put-throughput-64", 64, 1000, 2000),
        result("zookeeper", 2, "put-throughput-64", 64, 1000, 1000),
        result("aimstore", 3, "put-throughput-64", 64, 6000, 1000),
        result("etcd", 3, "put-throughput-64", 64, 2000, 2000),
        result("zookeeper", 3, "put-throughput-64", 64, 1000, 1000));
  }
}
