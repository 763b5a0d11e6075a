package io.aimstore.bench;

import io.aimstore.bench.cluster.EtcdInstaller;
import io.aimstore.bench.report.Aggregator;
import io.aimstore.bench.report.MarkdownReport;
import io.aimstore.bench.report.Plots;
import io.aimstore.bench.report.RatioTable;
import io.aimstore.bench.report.Summary;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import io.aimstore.bench.report.TlsCost;
import io.aimstore.bench.result.Environment;
import io.aimstore.bench.result.ResultsFile;
import io.aimstore.bench.result.RunError;
import io.aimstore.bench.workload.Workload;
import io.aimstore.bench.workload.Workloads;
import io.aimstore.testkit.BuildSnapshot;
import io.aimstore.testkit.Commands;
import io.aimstore.testkit.ProcessRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ops/bin/aimstore-bench}: runs the side-by-side benchmark and writes the report. */
@Command(
    name = "aimstore-bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    sortOptions = false,
    description = {
      "Runs the same workloads against aimstore, etcd and ZooKeeper, each a 3-member cluster on"
          + " 127.0.0.1 that the bench starts and stops, and reports aimstore ÷ peer ratios.",
      "Results: bench/runs/RUN/results.jsonl; report: docs/benchmarks.md (+ docs/benchmarks/*.png),"
          + " or docs/benchmarks/tls-cost.md for a run of only aimstore and aimstore-plaintext."
    })
public final class BenchMain implements Callable<Integer> {

  @Option(
      names = "--quick",
      description =
          "About five minutes: short warm-up and 1 s windows, the new workloads once, 2 fault"
              + " trials, no footprint; labelled as a quick run everywhere.")
  boolean quick;

  @Option(names = "--reps", description = "Repetitions of every measurement. Default 3.")
  Integer reps;

  @Option(
      names = "--clusters",
      paramLabel = "fresh|shared",
      description =
          "fresh: a new set of clusters for every repetition (default); shared: one set for all"
              + " repetitions (default with --quick).")
  String clusters;

  @Option(names = "--warmup", description = "Warm-up seconds per cluster (default 60; quick 8).")
  Double warmupSeconds;

  @Option(names = "--measure", description = "Measured seconds per workload (default 10; quick 1).")
  Double measureSeconds;

  @Option(
      names = "--settle",
      description = "Unrecorded seconds before each window (default 2; quick 0.25).")
  Double settleSeconds;

  @Option(
      names = "--systems",
      split = ",",
      description =
          "Systems in interleaving order (default aimstore,etcd,zk,aimstore-etcd: the last is"
              + " aimstore driven by the etcd driver through its etcd API). aimstore-plaintext, not"
              + " in the default: aimstore started --insecure, its own client in plaintext, to price"
              + " TLS; a run of only aimstore,aimstore-plaintext writes docs/benchmarks/tls-cost.md"
              + " instead of docs/benchmarks.md.")
  List<String> systems;

  @Option(
      names = "--workloads",
      split = ",",
      description =
          "Workload ids (default all): put-latency, put-throughput-64, put-throughput-256,"
              + " get-linearizable-64, get-serializable-64, cas-64, lease-grant-put-64,"
              + " lease-keepalive-10k, lock-1, lock-16, watch-1000, watch-10000,"
              + " watch-idle-memory-10k, watch-catchup, ghost-lock, session-expiry-3s,"
              + " session-expiry-10s, failover, footprint.")
  List<String> workloads;

  @Option(
      names = "--trials",
      description =
          "Trials per system of failover, ghost-lock and session-expiry (default 20; quick 2).")
  Integer trials;

  @Option(
      names = "--catchup-revisions",
      description = "Revisions the catch-up watcher is behind (default 100000; quick 10000).")
  Integer catchUpRevisions;

  @Option(
      names = "--footprint-keys",
      description = "Keys the footprint workload writes; 0 skips it (default 1000000; quick 0).")
  Long footprintKeys;

  @Option(names = "--bg-put-rate", description = "Background puts/s under reads (default 500).")
  Double backgroundPutRate;

  @Option(
      names = "--base-port",
      description =
          "aimstore's port base; etcd +100, ZooKeeper +200, aimstore-etcd +300,"
              + " aimstore-plaintext +400 (default: a free base between 20000 and 31800).")
  Integer basePort;

  @Option(
      names = "--no-docs",
      description =
          "Do not rewrite docs/benchmarks.md and its plots (or docs/benchmarks/tls-cost.md); the"
              + " report goes to bench/runs/RUN/ only.")
  boolean noDocs;

  @Option(
      names = "--report-only",
      paramLabel = "RUN_DIR",
      description = "Re-render the report from an earlier run's results.jsonl; run nothing.")
  Path reportOnly;

  @Option(
      names = "--repo",
      description = "Repository root (the launcher passes it; default: the working directory).")
  Path repo = Path.of("").toAbsolutePath();

  /** The bench's version and the peer versions it was built with. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties v = EnvironmentProbe.buildVersions();
      return new String[] {
        "aimstore-bench " + v.getProperty("aimstore", "?"),
        "jetcd " + v.getProperty("jetcd", "?") + ", ZooKeeper " + v.getProperty("zookeeper", "?")
      };
    }
  }

  private static String[] originalArgs = new String[0];

  /**
   * Held so that the level sticks (java.util.logging keeps loggers weakly): Guava reports, at
   * SEVERE, a retry that a client closed on purpose could no longer schedule — the restart probe of
   * the footprint workload closes clients whose requests are still being retried.
   */
  private static final java.util.logging.Logger GUAVA_FUTURES =
      java.util.logging.Logger.getLogger("com.google.common.util.concurrent.AbstractFuture");

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    originalArgs = args.clone();
    GUAVA_FUTURES.setLevel(java.util.logging.Level.OFF);
    System.setProperty("java.awt.headless", "true");
    // initialize logging before client libraries do it from several threads at once
    org.slf4j.LoggerFactory.getLogger(BenchMain.class);
    int rc = new CommandLine(new BenchMain()).execute(args);
    System.exit(rc);
  }

  @Override
  public Integer call() throws Exception {
    repo = repo.toAbsolutePath().normalize();
    if (reportOnly != null) {
      Path dir = reportOnly.isAbsolute() ? reportOnly : repo.resolve(reportOnly);
      return report(dir.resolve("results.jsonl")) ? 0 : 1;
    }
    BenchConfig config = config();
    List<Workload> selected = Workloads.select(config.workloads());
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now())
            + (config.quick() ? "-quick" : "");
    Path runDir = repo.resolve("bench/runs").resolve(runId);
    Files.createDirectories(runDir);

    ProcessRegistry registry = new ProcessRegistry();
    Thread hook =
        new Thread(
            () -> {
              Commands.killRunning();
              List<String> left = registry.describeLive();
              if (!left.isEmpty()) {
                System.err.println("aimstore-bench: stopping " + String.join(", ", left));
                registry.stopAll(Duration.ofSeconds(5));
                purgeClusterData(runDir.resolve("clusters"));
              }
              Commands.deleteTreeQuietly(runDir.resolve("aimstore-build"));
            },
            "stop-servers");
    Runtime.getRuntime().addShutdownHook(hook);

    int failures;
    try (Progress progress = new Progress(out, Duration.ofSeconds(config.quick() ? 5 : 10));
        ResultsFile results = ResultsFile.create(runDir.resolve("results.jsonl"))) {
      Path etcd = null;
      String etcdVersion = "not run";
      if (config.systems().contains(SystemKind.ETCD)) {
        etcd = EtcdInstaller.ensureInstalled(runDir.resolve("apt.log"), progress::say);
        etcdVersion = EtcdInstaller.version(etcd);
      }
      // aimstore runs from a copy of its build, so that a rebuild during the run cannot touch it
      Path aimstoreRoot = repo;
      if (config.systems().stream().anyMatch(s -> s.server() == SystemKind.AIMSTORE)) {
        aimstoreRoot = BuildSnapshot.snapshot(repo, runDir.resolve("aimstore-build"));
      }
      Properties v = EnvironmentProbe.buildVersions();
      String aimstoreVersion =
          "aimstore "
              + v.getProperty("aimstore", "?")
              + " (git "
              + EnvironmentProbe.gitRevision(repo)
              + ")";
      BenchRun.Clusters clusters =
          BenchRun.defaultClusters(
              config, aimstoreRoot, runDir, registry, etcd, etcdVersion, aimstoreVersion);
      results.append(environment(config, runId, v, aimstoreVersion, etcdVersion, clusters));

      progress.say(
          String.format(
              "%s run %s: %d repetitions (%s) × %s, %d workloads; warm-up %d s, windows %s s;"
                  + " about %s. Results: %s",
              config.quick() ? "QUICK" : "full",
              runId,
              config.reps(),
              config.freshClustersPerRep() ? "fresh clusters each" : "one set of clusters",
              config.systems().stream().map(SystemKind::displayName).toList(),
              selected.size(),
              config.warmup().toSeconds(),
              trim(config.measure().toMillis() / 1000.0),
              Progress.formatDuration(estimate(config, selected)),
              repo.relativize(runDir.resolve("results.jsonl"))));
      if (config.quick()) {
        progress.say(
            "QUICK RUN: warm-up and windows are far shorter than the JIT needs; numbers are"
                + " indicative only");
      }
      BenchRun run =
          new BenchRun(
              config, aimstoreRoot, runDir, runId, registry, progress, results, clusters, selected);
      failures = run.execute();
      progress.say(
          "measurements done"
              + (failures > 0 ? " with " + failures + " failures (see results.jsonl)" : ""));
    } finally {
      registry.stopAll(Duration.ofSeconds(10));
      Commands.deleteTreeQuietly(runDir.resolve("aimstore-build"));
    }
    boolean reported = report(runDir.resolve("results.jsonl"));
    return failures == 0 && reported ? 0 : 1;
  }

  /** Deletes the members' data directories (ZooKeeper's logs grow fast) under {@code dir}. */
  private static void purgeClusterData(Path clustersDir) {
    try (var clusters = Files.list(clustersDir)) {
      for (Path cluster : clusters.toList()) {
        try (var members = Files.list(cluster)) {
          for (Path member : members.toList()) {
            Commands.deleteTreeQuietly(member.resolve("data"));
          }
        }
      }
    } catch (java.io.IOException e) {
      // nothing started yet, or already gone
    }
  }

  private BenchConfig config() {
    BenchConfig base = quick ? BenchConfig.quickRun() : BenchConfig.full();
    List<SystemKind> kinds = new ArrayList<>();
    if (systems != null) {
      for (String s : systems) {
        SystemKind k = SystemKind.parse(s);
        if (!kinds.contains(k)) {
          kinds.add(k);
        }
      }
    }
    boolean fresh = base.freshClustersPerRep();
    if (clusters != null) {
      fresh =
          switch (clusters) {
            case "fresh" -> true;
            case "shared" -> false;
            default -> throw new IllegalArgumentException("--clusters must be fresh or shared");
          };
    }
    return new BenchConfig(
        base.quick(),
        reps != null ? positive("--reps", reps) : base.reps(),
        fresh,
        warmupSeconds != null ? seconds(warmupSeconds) : base.warmup(),
        settleSeconds != null ? seconds(settleSeconds) : base.settle(),
        measureSeconds != null ? seconds(measureSeconds) : base.measure(),
        base.maxOps(),
        base.keys(),
        base.valueSize(),
        backgroundPutRate != null ? backgroundPutRate : base.backgroundPutRate(),
        kinds.isEmpty() ? base.systems() : kinds,
        workloads == null ? base.workloads() : new LinkedHashSet<>(workloads),
        basePort != null ? basePort : BenchConfig.freeBasePort(),
        trials != null ? positive("--trials", trials) : base.trials(),
        base.leases(),
        catchUpRevisions != null
            ? positive("--catchup-revisions", catchUpRevisions)
            : base.catchUpRevisions(),
        footprintKeys != null ? Math.max(0, footprintKeys) : base.footprintKeys());
  }

  private static int positive(String name, int v) {
    if (v < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(new BenchMain()), name + " must be >= 1");
    }
    return v;
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(Math.max(0, s) * 1000));
  }

  /**
   * Rough wall time: per set of clusters, starting them side by side and stopping them (≈20 s),
   * loading and warming up each system, then every workload's own estimate per system, times the
   * repetitions it runs in on that set (see {@link Workload.Schedule}).
   */
  static Duration estimate(BenchConfig c, List<Workload> workloads) {
    int systems = c.systems().size();
    long total = 0;
    for (int set = 1; set <= c.clusterSets(); set++) {
      total += 20_000 + systems * (1_500 + c.warmup().toMillis());
      for (Workload w : workloads) {
        if (!w.enabled(c.scale())) {
          continue;
        }
        int reps = BenchRun.repsOnSet(w, c, set);
        for (SystemKind system : c.systems()) {
          total += reps * w.estimate(c.settle(), c.measure(), c.scale(), system).toMillis();
        }
      }
    }
    return Duration.ofMillis(total);
  }

  private Environment environment(
      BenchConfig config,
      String runId,
      Properties v,
      String aimstoreVersion,
      String etcdVersion,
      BenchRun.Clusters clusters)
      throws Exception {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("aimstore", aimstoreVersion + ", client: store-client");
    versions.put(
        "etcd",
        etcdVersion + " (Debian etcd-server), client: jetcd " + v.getProperty("jetcd", "?"));
    versions.put(
        "ZooKeeper", v.getProperty("zookeeper", "?") + ", client: ZooKeeper's own (same version)");
    versions.put(
        "bench",
        "HdrHistogram "
            + v.getProperty("hdrhistogram", "?")
            + ", XChart "
            + v.getProperty("xchart", "?"));
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    for (SystemKind k : config.systems()) {
      settings.put(k.displayName(), clusters.create(k, 0).settings());
    }
    StringBuilder cmd = new StringBuilder("ops/bin/aimstore-bench");
    for (int i = 0; i < originalArgs.length; i++) {
      if (originalArgs[i].equals("--repo")) {
        i++;
        continue;
      }
      if (originalArgs[i].startsWith("--repo=")) {
        continue;
      }
      cmd.append(' ').append(originalArgs[i]);
    }
    return new Environment(
        Environment.TYPE,
        runId,
        Instant.now().toString(),
        config.quick(),
        cmd.toString(),
        Runtime.getRuntime().availableProcessors(),
        EnvironmentProbe.cpuModel(),
        EnvironmentProbe.memory(),
        EnvironmentProbe.os(),
        EnvironmentProbe.jvm(),
        EnvironmentProbe.loadAverage(),
        config.describe(),
        versions,
        settings);
  }

  /**
   * Aggregates a results file, prints the ratio table, rewrites the docs unless --no-docs: the
   * report of a run of only aimstore and aimstore-plaintext is {@link TlsCost#report}, written to
   * {@link TlsCost#REPORT} without plots; any other run's is docs/benchmarks.md with its plots.
   */
  private boolean report(Path resultsFile) throws Exception {
    if (!Files.exists(resultsFile)) {
      out.println("no results at " + resultsFile);
      return false;
    }
    ResultsFile.Contents contents = ResultsFile.read(resultsFile);
    List<WorkloadSummary> summaries = Aggregator.summarize(contents.results());
    boolean isQuick = contents.env() != null && contents.env().quick();
    int repetitions =
        contents.env() == null
            ? 0
            : ((Number) contents.env().config().getOrDefault("repetitions", 0)).intValue();
    Path runDir = resultsFile.getParent();
    boolean tlsAlone = TlsCost.alone(contents.env());
    String results = repo.relativize(resultsFile.toAbsolutePath()).toString();
    String md;
    Path docsTarget;
    if (tlsAlone) {
      BenchConfig tlsRun =
          BenchConfig.full().only(TlsCost.SYSTEMS, new LinkedHashSet<>(TlsCost.WORKLOADS));
      md =
          TlsCost.report(
              new MarkdownReport.Input(
                  contents.env(),
                  summaries,
                  contents.errors(),
                  results,
                  Map.of(),
                  minutes(estimate(tlsRun, Workloads.select(tlsRun.workloads()))),
                  Aggregator.noise(contents.results())));
      docsTarget = repo.resolve(TlsCost.REPORT);
    } else {
      Path docs = repo.resolve("docs");
      Path plotDir = noDocs ? runDir.resolve("plots") : docs.resolve("benchmarks");
      String subtitle = isQuick ? "QUICK run " + runDirName(runDir) : "run " + runDirName(runDir);
      Map<String, String> links;
      try {
        links = Plots.write(summaries, plotDir, noDocs ? "plots/" : "benchmarks/", subtitle);
      } catch (Exception | Error e) {
        out.println("plots skipped: " + RunError.describe(e));
        links = Map.of();
      }
      md =
          MarkdownReport.render(
              new MarkdownReport.Input(
                  contents.env(),
                  summaries,
                  contents.errors(),
                  results,
                  links,
                  minutes(estimate(BenchConfig.full(), Workloads.all())),
                  Aggregator.noise(contents.results())));
      docsTarget = docs.resolve("benchmarks.md");
    }
    Path written = runDir.resolve(docsTarget.getFileName());
    Files.writeString(written, md, StandardCharsets.UTF_8);
    if (!noDocs) {
      Files.createDirectories(docsTarget.getParent());
      Files.writeString(docsTarget, md, StandardCharsets.UTF_8);
      written = docsTarget;
    }
    out.println();
    if (!tlsAlone) {
      out.print(RatioTable.render(summaries, isQuick, repetitions));
    }
    if (TlsCost.measured(summaries)) {
      out.print(TlsCost.section(summaries, contents.env()));
    }
    Summary.Cell other = Aggregator.noise(contents.results()).get("other_processes_cpu_pct");
    if (other != null) {
      out.printf(
          "other processes used a median %.0f%% of one core (%.0f–%.0f%%) during the windows%n",
          other.median(), other.min(), other.max());
    }
    out.println();
    out.println(
        "report: "
            + repo.relativize(written)
            + (noDocs || tlsAlone ? "" : " (plots in docs/benchmarks/)")
            + ", raw: "
            + results);
    return true;
  }

  /** "about 97 minutes on this machine". */
  private static String minutes(Duration d) {
    return "about " + Math.round(d.toSeconds() / 60.0) + " minutes on this machine";
  }

  private static String runDirName(Path runDir) {
    return runDir.getFileName().toString();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
