package io.aimstore.bench.report;

import io.aimstore.bench.result.Environment;
import io.aimstore.bench.result.Measurement;
import java.util.ArrayList;
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
    return result(system, rep, workload, inFlight, opsPerS, p50Us, 100, extras);
  }

  /** A load window whose server used {@code serverCpuUsPerOp} per operation. */
  static Measurement result(
      String system,
      int rep,
      String workload,
      int inFlight,
      double opsPerS,
      double p50Us,
      double serverCpuUsPerOp,
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
        serverCpuUsPerOp,
        50,
        0,
        null,
        extras,
        "2026-11-27T00:00:00Z");
  }

  static Environment env(boolean quick) {
    return env(quick, List.of("aimstore", "etcd", "zookeeper", "aimstore-etcd"));
  }

  /** The environment of a run of {@code systems} (ids, in run order). */
  static Environment env(boolean quick, List<String> systems) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("systems", systems);
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

  /**
   * put-latency and put-throughput-64 on aimstore (mutual TLS) and aimstore-plaintext, 3
   * repetitions: TLS ÷ plaintext p50 1.25, 1.10, 1.20 (medians 2.00 and 1.60 ms); server CPU per op
   * 1.20, 1.10, 1.00 (medians 3,000 and 2,700 µs); throughput at 64 in flight 0.80, 0.88, 0.90
   * (medians 4,000 and 5,000 ops/s).
   */
  static List<Measurement> tlsCost() {
    double[][] latency = {
      {2000, 1600, 3000, 2500}, {2200, 2000, 3300, 3000}, {1800, 1500, 2700, 2700}
    };
    double[][] throughput = {{4000, 5000}, {4400, 5000}, {3600, 4000}};
    List<Measurement> out = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      double[] l = latency[r];
      out.add(result("aimstore", r + 1, "put-latency", 1, 500, l[0], l[2], Map.of()));
      out.add(result("aimstore-plaintext", r + 1, "put-latency", 1, 600, l[1], l[3], Map.of()));
    }
    for (int r = 0; r < 3; r++) {
      double[] t = throughput[r];
      out.add(result("aimstore", r + 1, "put-throughput-64", 64, t[0], 14_000, 350, Map.of()));
      out.add(
          result(
              "aimstore-plaintext", r + 1, "put-throughput-64", 64, t[1], 12_000, 300, Map.of()));
    }
    return out;
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
