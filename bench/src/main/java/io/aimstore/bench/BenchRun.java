package io.aimstore.bench;

import io.aimstore.bench.cluster.AimstoreCluster;
import io.aimstore.bench.cluster.Cluster;
import io.aimstore.bench.cluster.EtcdCluster;
import io.aimstore.bench.cluster.EtcdConfig;
import io.aimstore.bench.cluster.ZookeeperCluster;
import io.aimstore.bench.cluster.ZookeeperConfig;
import io.aimstore.bench.driver.Driver;
import io.aimstore.bench.load.RunObserver;
import io.aimstore.bench.load.RunStats;
import io.aimstore.bench.report.Format;
import io.aimstore.bench.report.Layout;
import io.aimstore.bench.report.Metric;
import io.aimstore.bench.result.Measurement;
import io.aimstore.bench.result.ResultsFile;
import io.aimstore.bench.result.RunError;
import io.aimstore.bench.workload.KeySpace;
import io.aimstore.bench.workload.Workload;
import io.aimstore.bench.workload.WorkloadContext;
import io.aimstore.bench.workload.WorkloadResult;
import io.aimstore.testkit.PortPlan;
import io.aimstore.testkit.ProcessRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The measurement loop. A set of clusters is one fresh 3-member cluster of every system, all
 * started before anything is measured (the ones not being measured sit idle; their CPU is recorded
 * with every measurement). Each cluster is loaded with the keys and warmed up, one system at a
 * time; then every workload runs interleaved across systems: workload 1 on aimstore, etcd,
 * ZooKeeper, (again for each repetition on this set), workload 2 on aimstore, ... so slow drift of
 * the machine's load hits every system alike. The full run starts a fresh set per repetition; the
 * quick run measures all repetitions on one set. A failing cluster or workload is recorded and the
 * run goes on without it.
 */
final class BenchRun {
  private final BenchConfig config;

  /** Where aimstore's scripts run from: the run's copy of the build (see BuildSnapshot). */
  private final Path repo;

  private final Path runDir;
  private final String runId;
  private final ProcessRegistry registry;
  private final Progress progress;
  private final ResultsFile results;
  private final Clusters clusters;
  private final List<Workload> workloads;
  private final KeySpace keys;
  private int failures;

  /** Makes the cluster of a system for a set of clusters (1-based). */
  interface Clusters {
    Cluster create(SystemKind kind, int set) throws Exception;
  }

  BenchRun(
      BenchConfig config,
      Path repo,
      Path runDir,
      String runId,
      ProcessRegistry registry,
      Progress progress,
      ResultsFile results,
      Clusters clusters,
      List<Workload> workloads) {
    this.config = config;
    this.repo = repo;
    this.runDir = runDir;
    this.runId = runId;
    this.registry = registry;
    this.progress = progress;
    this.results = results;
    this.clusters = clusters;
    this.workloads = workloads;
    this.keys = new KeySpace(config.keys(), config.valueSize());
  }

  /** Default cluster factory: fresh directories and fixed port bases per system. */
  static Clusters defaultClusters(
      BenchConfig config,
      Path repo,
      Path runDir,
      ProcessRegistry registry,
      Path etcdBinary,
      String etcdVersion,
      String aimstoreVersion) {
    return (kind, set) -> {
      Path dir = runDir.resolve("clusters").resolve(kind.id() + "-set" + set);
      int base = config.portBase(kind);
      return switch (kind) {
        case AIMSTORE, AIMSTORE_ETCD, AIMSTORE_PLAINTEXT ->
            new AimstoreCluster(
                repo,
                dir,
                new PortPlan(base),
                System.getenv("AIMSTORE_JAVA_OPTS"),
                registry,
                aimstoreVersion,
                kind);
        case ETCD ->
            new EtcdCluster(
                new EtcdConfig(
                    dir, base, 3, "aimstore-bench-" + runDir.getFileName() + "-set" + set),
                etcdBinary,
                etcdVersion,
                registry);
        case ZOOKEEPER -> new ZookeeperCluster(new ZookeeperConfig(dir, base, 3), registry);
      };
    };
  }

  /** One system's running cluster and client. */
  private record Live(SystemKind kind, Cluster cluster, Driver driver) {}

  /** Runs everything; returns the number of failed clusters and workloads. */
  int execute() {
    for (int set = 1; set <= config.clusterSets(); set++) {
      runSet(set);
    }
    return failures;
  }

  private void runSet(int set) {
    String setName = "set " + set + "/" + config.clusterSets();
    Map<SystemKind, Live> live = new LinkedHashMap<>(); // in the order of config.systems()
    List<Cluster> started = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(config.systems().size());
    try {
      // Start the systems side by side (nothing is measured yet), then warm each up alone.
      Map<SystemKind, Future<Live>> starting = new EnumMap<>(SystemKind.class);
      for (SystemKind kind : config.systems()) {
        starting.put(kind, pool.submit(() -> startSystem(kind, set, setName, started)));
      }
      for (SystemKind kind : config.systems()) {
        String where = kind.displayName() + " (" + setName + ")";
        try {
          live.put(kind, starting.get(kind).get());
        } catch (ExecutionException e) {
          clusterFailed(kind, set, where, e.getCause());
        }
      }
      for (Live l : List.copyOf(live.values())) {
        String where = l.kind().displayName() + " (" + setName + ")";
        try {
          warmUp(where, l.driver());
        } catch (Exception e) {
          clusterFailed(l.kind(), set, where, e);
          live.remove(l.kind());
        }
      }
      for (Workload w : workloads) {
        if (!w.enabled(config.scale())) {
          if (set == 1) {
            progress.say(w.id() + ": not run at this scale (the full run runs it)");
          }
          continue;
        }
        int reps = repsOnSet(w, config, set);
        for (int r = 1; r <= reps; r++) {
          int rep = (set - 1) * config.repsPerSet() + r;
          for (Live l : live.values()) {
            List<Long> others = new ArrayList<>();
            for (Live o : live.values()) {
              if (o != l) {
                others.addAll(o.cluster().serverPids());
              }
            }
            measure(l, rep, w, others);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Live l : live.values()) {
        l.driver().close();
      }
      progress.phase(setName + " · stopping");
      long t0 = System.nanoTime();
      List<Future<?>> stopping = new ArrayList<>();
      for (Cluster c : List.copyOf(started)) {
        stopping.add(
            pool.submit(
                () -> {
                  long t = System.nanoTime();
                  c.stop();
                  progress.say(
                      String.format(
                          "%s (%s): stopped, data deleted (%.1f s)",
                          c.kind().displayName(), setName, (System.nanoTime() - t) / 1e9));
                }));
      }
      for (Future<?> f : stopping) {
        try {
          f.get();
        } catch (ExecutionException e) {
          progress.say("stopping a cluster failed: " + RunError.describe(e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      pool.shutdownNow();
      progress.say(
          String.format(
              "%s: all clusters stopped (%.1f s)", setName, (System.nanoTime() - t0) / 1e9));
    }
  }

  /**
   * Repetitions of {@code w} on set {@code set}: every repetition of the set, once per set, or once
   * on the last set only.
   */
  static int repsOnSet(Workload w, BenchConfig config, int set) {
    return switch (w.schedule()) {
      case EVERY_REPETITION -> config.repsPerSet();
      case ONCE_PER_SET -> 1;
      case ONCE_PER_RUN -> set == config.clusterSets() ? 1 : 0;
    };
  }

  private Live startSystem(SystemKind kind, int set, String setName, List<Cluster> started)
      throws Exception {
    String where = kind.displayName() + " (" + setName + ")";
    Cluster cluster = clusters.create(kind, set);
    started.add(cluster);
    progress.say(where + ": starting a fresh 3-member cluster");
    long t0 = System.nanoTime();
    cluster.start();
    Driver driver = connectAndAwaitWrites(cluster, Duration.ofSeconds(120));
    try {
      driver.prepare(KeySpace.NAMESPACE);
      preload(driver);
    } catch (Exception e) {
      driver.close();
      throw e;
    }
    progress.say(
        String.format(
            "%s: serving and loaded with %,d keys after %.1f s (pids %s%s)",
            where,
            keys.count(),
            (System.nanoTime() - t0) / 1e9,
            cluster.serverPids(),
            cluster.leader().map(l -> ", leader " + l).orElse("")));
    return new Live(kind, cluster, driver);
  }

  private void clusterFailed(SystemKind kind, int set, String where, Throwable e) {
    failures++;
    String msg = RunError.describe(e);
    progress.say(where + ": FAILED: " + msg);
    record(new RunError(RunError.TYPE, runId, kind.id(), set, null, msg, now()));
  }

  private Driver connectAndAwaitWrites(Cluster cluster, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    Driver driver = cluster.connect();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        driver.prepare(KeySpace.NAMESPACE);
        driver.put(KeySpace.NAMESPACE + "/ready", new byte[] {1}).get(5, TimeUnit.SECONDS);
        return driver;
      } catch (Exception e) {
        last = e;
        Thread.sleep(200);
      }
    }
    driver.close();
    throw new IllegalStateException(
        "no write succeeded within " + limit.toSeconds() + " s: " + RunError.describe(last));
  }

  /** Writes every key once, 64 at a time, so reads find them. */
  private void preload(Driver driver) throws Exception {
    Semaphore window = new Semaphore(64);
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    for (int i = 0; i < keys.count(); i++) {
      if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("preload stalled");
      }
      CompletableFuture<Long> f = driver.put(keys.key(i), keys.value());
      f.whenComplete((r, e) -> window.release());
      pending.add(f);
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  /**
   * Runs the workloads themselves, unrecorded, in short slices until the warm-up time is spent, so
   * the server and client JVMs compile exactly the paths that are measured.
   */
  private void warmUp(String where, Driver driver) throws Exception {
    Duration total = config.warmup();
    List<Workload> warming = workloads.stream().filter(Workload::warmsUp).toList();
    if (total.isZero() || warming.isEmpty()) {
      return;
    }
    progress.say(
        String.format(
            "%s: warm-up %d s%s",
            where,
            total.toSeconds(),
            config.quick() ? " (quick run: far shorter than JIT needs)" : ""));
    Duration slice =
        Duration.ofMillis(Math.max(1000, total.toMillis() / Math.max(1, 2L * warming.size())));
    WorkloadContext ctx =
        new WorkloadContext(
            driver, keys, config.maxOps(), config.backgroundPutRate(), progress.observer());
    long deadline = System.nanoTime() + total.toNanos();
    progress.phase(where + " · warm-up");
    int i = 0;
    while (System.nanoTime() < deadline) {
      Workload w = warming.get(i++ % warming.size());
      long left = (deadline - System.nanoTime()) / 1_000_000;
      Duration d = Duration.ofMillis(Math.max(100, Math.min(slice.toMillis(), left)));
      w.run(ctx, Duration.ZERO, d);
    }
    progress.phase(where);
  }

  private void measure(Live l, int rep, Workload w, List<Long> otherClusters) {
    SystemKind kind = l.kind();
    String where = kind.displayName() + " rep " + rep + "/" + config.reps();
    progress.phase(where);
    if (!w.supports(l.driver())) {
      progress.say(
          String.format(
              "%-21s %-20s — (%s has no equivalent)", where + ":", w.id(), kind.displayName()));
      return;
    }
    CpuObserver cpu = new CpuObserver(l.cluster()::serverPids);
    CpuObserver idle = new CpuObserver(() -> otherClusters);
    RunObserver observer = RunObserver.both(RunObserver.both(cpu, idle), progress.observer());
    WorkloadContext.Env env =
        new WorkloadContext.Env(
            l.cluster(),
            config.scale(),
            repo,
            runDir.resolve("workloads").resolve(kind.id() + "-rep" + rep + "-" + w.id()),
            registry,
            progress::say);
    WorkloadContext ctx =
        new WorkloadContext(
            l.driver(), keys, config.maxOps(), config.backgroundPutRate(), observer, env);
    try {
      WorkloadResult r = w.run(ctx, config.settle(), config.measure());
      RunStats s = r.stats();
      double perOp = s.ops() == 0 ? 0 : 1e6 / s.ops();
      Map<String, Object> extras = new LinkedHashMap<>(r.extras());
      if (s.windowSeconds() > 0) {
        // Noise, in % of one core over the window: the idle clusters of the other systems, and
        // every process that is not the bench's (other people's builds on a shared machine).
        double window = s.windowSeconds();
        if (!otherClusters.isEmpty()) {
          extras.put("idle_clusters_cpu_pct", percent(idle.serverSeconds(), window));
        }
        if (cpu.machineSeconds() >= 0) {
          double foreign =
              cpu.machineSeconds()
                  - cpu.serverSeconds()
                  - cpu.clientSeconds()
                  - idle.serverSeconds();
          extras.put("other_processes_cpu_pct", percent(Math.max(0, foreign), window));
        }
      }
      Measurement m =
          new Measurement(
              Measurement.TYPE,
              runId,
              config.quick(),
              kind.id(),
              rep,
              w.id(),
              w.title(),
              w.inFlight(),
              config.settle().toMillis() / 1000.0,
              s.windowSeconds(),
              s.ops(),
              s.errors(),
              s.opsPerSecond(),
              s.latency().p50(),
              s.latency().p90(),
              s.latency().p99(),
              s.latency().p999(),
              s.latency().max(),
              s.latency().mean(),
              cpu.serverSeconds(),
              cpu.serverSeconds() * perOp,
              cpu.clientSeconds() * perOp,
              s.undrained(),
              s.firstError(),
              extras,
              now());
      record(m);
      Layout.View view = Layout.of(w.id(), w.inFlight());
      String numbers;
      if (view.rows().equals(Metric.values())) {
        numbers =
            String.format(
                "%,9.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  server CPU %6.0f µs/op",
                m.opsPerS(), m.p50Us() / 1000, m.p99Us() / 1000, m.serverCpuUsPerOp());
      } else {
        List<String> parts = new ArrayList<>();
        for (Metric metric : view.summary()) {
          parts.add(metric.shortLabel() + " " + Format.value(metric, metric.of(m)));
        }
        numbers = String.join("  ", parts);
      }
      progress.say(
          String.format(
              "%-21s %-20s %s%s",
              where + ":",
              w.id(),
              numbers,
              s.errors() > 0 ? "  ERRORS " + s.errors() + ": " + s.firstError() : ""));
      if (s.ops() == 0) {
        failures++;
      }
    } catch (Exception e) {
      failures++;
      String msg = RunError.describe(e);
      progress.say(where + ": " + w.id() + " FAILED: " + msg);
      record(new RunError(RunError.TYPE, runId, kind.id(), rep, w.id(), msg, now()));
    }
  }

  private static double percent(double cpuSeconds, double windowSeconds) {
    return Math.round(1000 * cpuSeconds / windowSeconds) / 10.0;
  }

  private void record(Object o) {
    try {
      results.append(o);
    } catch (java.io.IOException e) {
      progress.say("cannot write " + runDir.resolve("results.jsonl") + ": " + e.getMessage());
    }
  }

  private static String now() {
    return Instant.now().toString();
  }
}
