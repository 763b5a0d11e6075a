package io.aimstore.bench;

import io.aimstore.bench.workload.Scale;
import io.aimstore.testkit.PortPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Durations and sizes of a run.
 *
 * @param quick a short, indicative run (short warm-up and windows), labelled as such everywhere
 * @param reps repetitions of every (workload, system) measurement
 * @param freshClustersPerRep true: every repetition gets a fresh set of clusters; false: one set of
 *     clusters serves all repetitions (the quick run, which cannot afford 9 cluster starts)
 * @param warmup per cluster, before anything is measured (JIT of the server and client JVMs)
 * @param settle per workload, unrecorded load before its measured window
 * @param measure per workload, the measured window
 * @param maxOps bound on operations in one window
 * @param keys keys written and read
 * @param valueSize bytes per value
 * @param backgroundPutRate puts per second under the read workloads
 * @param systems systems to run, in interleaving order
 * @param workloads workload ids to run (empty: all)
 * @param basePort aimstore's port base; etcd uses +100, ZooKeeper +200, aimstore through its etcd
 *     API +300, plaintext aimstore +400; 0 until a free one is chosen for the run ({@link
 *     #freeBasePort})
 * @param trials trials per system of each fault workload (failover, ghost-lock, session expiry)
 * @param leases leases kept alive in the keep-alive workload
 * @param catchUpRevisions revisions the catch-up watcher is behind
 * @param footprintKeys keys the footprint workload writes (0: skipped)
 */
public record BenchConfig(
    boolean quick,
    int reps,
    boolean freshClustersPerRep,
    Duration warmup,
    Duration settle,
    Duration measure,
    long maxOps,
    int keys,
    int valueSize,
    double backgroundPutRate,
    List<SystemKind> systems,
    Set<String> workloads,
    int basePort,
    int trials,
    int leases,
    int catchUpRevisions,
    long footprintKeys) {

  /** Ports from the base that the systems' clusters use (see {@link #portBase}). */
  static final int PORT_SPAN = 500;

  /**
   * The documented full run: 3 repetitions, each on fresh clusters with 60 s warm-up per system, 2
   * s settle + 10 s window per workload and system; 20 trials of each fault workload, a watcher
   * 100,000 revisions behind, and the footprint with 1,000,000 keys.
   */
  public static BenchConfig full() {
    return sized(
        false,
        Duration.ofSeconds(60),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        20,
        100_000,
        1_000_000);
  }

  /**
   * About five minutes: one set of clusters, 8 s warm-up per system, 3 repetitions of 0.25 s settle
   * + 1 s window; the new workloads once, 2 fault trials, a watcher 10,000 revisions behind, no
   * footprint; indicative only.
   */
  public static BenchConfig quickRun() {
    return sized(
        true, Duration.ofSeconds(8), Duration.ofMillis(250), Duration.ofSeconds(1), 2, 10_000, 0);
  }

  /** 3 repetitions of every system and workload, fresh clusters for each unless quick. */
  private static BenchConfig sized(
      boolean quick,
      Duration warmup,
      Duration settle,
      Duration measure,
      int trials,
      int catchUpRevisions,
      long footprintKeys) {
    return new BenchConfig(
        quick,
        3,
        !quick,
        warmup,
        settle,
        measure,
        10_000_000,
        1000,
        256,
        500,
        SystemKind.defaults(),
        Set.of(),
        0,
        trials,
        10_000,
        catchUpRevisions,
        footprintKeys);
  }

  /** The same durations and sizes for {@code systems} and {@code workloads} only. */
  public BenchConfig only(List<SystemKind> systems, Set<String> workloads) {
    return new BenchConfig(
        quick,
        reps,
        freshClustersPerRep,
        warmup,
        settle,
        measure,
        maxOps,
        keys,
        valueSize,
        backgroundPutRate,
        List.copyOf(systems),
        Set.copyOf(workloads),
        basePort,
        trials,
        leases,
        catchUpRevisions,
        footprintKeys);
  }

  /** A base whose {@link #PORT_SPAN} ports are free now (see {@link PortPlan#free}). */
  public static int freeBasePort() {
    return PortPlan.free(PORT_SPAN).base();
  }

  /** The sizes the workloads beyond the load windows see. */
  public Scale scale() {
    return new Scale(quick, trials, leases, catchUpRevisions, footprintKeys);
  }

  /** Sets of clusters started over the run. */
  public int clusterSets() {
    return freshClustersPerRep ? reps : 1;
  }

  /** Repetitions measured on one set of clusters. */
  public int repsPerSet() {
    return freshClustersPerRep ? 1 : reps;
  }

  public int portBase(SystemKind kind) {
    return switch (kind) {
      case AIMSTORE -> basePort;
      case ETCD -> basePort + 100;
      case ZOOKEEPER -> basePort + 200;
      case AIMSTORE_ETCD -> basePort + 300;
      case AIMSTORE_PLAINTEXT -> basePort + 400;
    };
  }

  /** For the environment record. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("quick", quick);
    m.put("repetitions", reps);
    m.put("fresh_clusters_per_repetition", freshClustersPerRep);
    m.put("warmup_s", warmup.toMillis() / 1000.0);
    m.put("settle_s", settle.toMillis() / 1000.0);
    m.put("measure_s", measure.toMillis() / 1000.0);
    m.put("max_ops_per_window", maxOps);
    m.put("keys", keys);
    m.put("value_bytes", valueSize);
    m.put("background_put_rate", backgroundPutRate);
    m.put("systems", systems.stream().map(SystemKind::id).toList());
    m.put("members_per_cluster", 3);
    m.put("base_port", basePort);
    m.put("fault_trials", trials);
    m.put("keep_alive_leases", leases);
    m.put("catch_up_revisions", catchUpRevisions);
    m.put("footprint_keys", footprintKeys);
    return m;
  }
}
