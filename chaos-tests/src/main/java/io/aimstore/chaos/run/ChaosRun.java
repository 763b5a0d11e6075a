package io.aimstore.chaos.run;

import io.aimstore.api.v1.KeyValue;
import io.aimstore.api.v1.RangeResponse;
import io.aimstore.chaos.check.LinearizabilityResult.Verdict;
import io.aimstore.chaos.check.WatchViolation;
import io.aimstore.chaos.cluster.Network;
import io.aimstore.chaos.history.History;
import io.aimstore.chaos.history.StoredValue;
import io.aimstore.chaos.history.WatchEvent;
import io.aimstore.chaos.nemesis.Fault;
import io.aimstore.chaos.nemesis.FaultKind;
import io.aimstore.chaos.nemesis.Nemesis;
import io.aimstore.chaos.workload.Keyspace;
import io.aimstore.chaos.workload.LockWorkload;
import io.aimstore.chaos.workload.Recorder;
import io.aimstore.chaos.workload.RegisterWorkload;
import io.aimstore.chaos.workload.RegisterWorkload.ClientSpec;
import io.aimstore.chaos.workload.Stats;
import io.aimstore.chaos.workload.WatchWorkload;
import io.aimstore.client.AimStoreClient;
import io.aimstore.testkit.BuildSnapshot;
import io.aimstore.testkit.Commands;
import io.aimstore.testkit.Json;
import io.aimstore.testkit.PortPlan;
import io.aimstore.testkit.ProcessCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One chaos run: start a cluster of real processes behind fault-injecting proxies, run the
 * register, fenced-counter and watch workloads while the {@link Nemesis} injects faults, heal
 * everything, kill and restart every member, read every key, then judge what was recorded with the
 * four checkers. Writes {@code report.json} and the evidence into its run directory and prints
 * progress every ten seconds and the closing line.
 */
public final class ChaosRun {

  /** The register keys' prefix; watchers watch it. */
  static final String PREFIX = "/chaos/reg/";

  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  /**
   * The members' JVM options: the local cluster's, with the C1 compiler only. Members restart every
   * few seconds here, and each restart's C2 compilation took most of the two cores from the other
   * members and the clients; what is checked does not depend on the JIT tier.
   */
  static final String MEMBER_JAVA_OPTS =
      "-Xms128m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /**
   * @param profile what to run
   * @param seed the seed of every random choice
   * @param basePort the cluster's {@link PortPlan} base, 0 for a free one
   * @param runsDir where the run's directory is made
   * @param keepFiles keep the evidence and data of a run that passed
   */
  public record Options(
      Profile profile, long seed, int basePort, Path runsDir, boolean keepFiles) {}

  private final Options options;
  private final Profile profile;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final Stats stats = new Stats();
  private final Recorder recorder = new Recorder();

  private ChaosRun(Options options, PrintStream out) {
    this.options = options;
    this.profile = options.profile();
    this.out = out;
  }

  /** Runs {@code options} and returns what it found; prints progress and the closing line. */
  public static RunResult run(Options options, PrintStream out) throws Exception {
    GRPC_LOG.setLevel(Level.SEVERE); // connection failures are the point here, not news
    return new ChaosRun(options, out).run();
  }

  private long elapsedMs() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private void say(String line) {
    out.printf("[chaos %4ds] %s%n", elapsedMs() / 1000, line);
    out.flush();
  }

  private RunResult run() throws Exception {
    Path repo = BuildSnapshot.repoRoot();
    BuildSnapshot.ensureBuilt(repo);
    ProcessCluster.reapLeftovers(options.runsDir());
    String name =
        LocalDateTime.now().format(STAMP) + "-" + profile.name() + "-seed" + options.seed();
    Path dir = options.runsDir().resolve(name);
    Files.createDirectories(dir);
    say(
        "profile="
            + profile.name()
            + " seed="
            + options.seed()
            + " members="
            + profile.size()
            + " faults="
            + profile.faults().toSeconds()
            + "s"
            + (profile.failpoints().isEmpty() ? "" : " failpoints=" + profile.failpoints())
            + " dir="
            + dir);

    Path bin = BuildSnapshot.snapshot(repo, dir.resolve("bin"));
    PortPlan ports =
        options.basePort() > 0 ? new PortPlan(options.basePort()) : PortPlan.free(PortPlan.SPAN);
    ProcessCluster cluster =
        new ProcessCluster(
            bin,
            dir.resolve("cluster"),
            ProcessCluster.Options.builder()
                .size(profile.size())
                .ports(ports)
                .clusterName("chaos")
                .setting("election-timeout-ms", "500-1000")
                .setting("snapshot-threshold", Long.toString(profile.snapshotThreshold()))
                .proxiedRaft(true)
                .failpoints(profile.failpoints())
                .javaOpts(MEMBER_JAVA_OPTS)
                .build());
    Network network = null;
    Keyspace keyspace =
        new Keyspace(
            PREFIX,
            profile.activeKeys(),
            profile.opsPerKeyMin(),
            profile.opsPerKeyMax(),
            options.seed());
    RegisterWorkload registers =
        new RegisterWorkload(keyspace, recorder, profile.mix(), stats, options.seed());
    LockWorkload locks =
        new LockWorkload(
            new LockWorkload.Settings(
                profile.lockHolders(), profile.locks(), profile.lockTtl(), profile.lockPausePct()),
            stats,
            options.seed());
    WatchWorkload watches = new WatchWorkload(PREFIX);
    Nemesis nemesis = null;
    Map<String, StoredValue> finalRead = new TreeMap<>();
    List<WatchViolation> stalled = new ArrayList<>();
    Map<String, Long> phases = new LinkedHashMap<>();
    String error = null;
    try {
      long t = System.nanoTime();
      PortPlan.requireFree("chaos", ports.all(profile.size()));
      network = new Network(profile.size(), ports);
      cluster.start();
      phases.put("start_cluster", since(t));
      say(
          "cluster is up (base port "
              + ports.base()
              + "): "
              + String.join(",", cluster.endpoints()));
      try (AimStoreClient control = control(cluster)) {
        long startRevision =
            control.kv().getPrefix(PREFIX).get(30, TimeUnit.SECONDS).getHeader().getRevision();
        watches.start(watcherEndpoints(cluster), cluster.tls(), startRevision + 1);
      }
      registers.start(registerClients(cluster), cluster.tls(), 50_000_000);
      if (profile.lockHolders() > 0) {
        List<List<String>> endpoints = new ArrayList<>();
        for (int h = 0; h < profile.lockHolders(); h++) {
          endpoints.add(cluster.endpointsFrom((h + 1) % profile.size() + 1));
        }
        locks.start(endpoints, cluster.tls(), 10_000_000);
      }
      sleepWithProgress(5_000, null, network, locks);

      t = System.nanoTime();
      nemesis =
          new Nemesis(
              cluster,
              network,
              new Nemesis.Settings(profile.kinds(), profile.quietMinMs(), profile.quietMaxMs()),
              options.seed(),
              this::elapsedMs);
      Nemesis running = nemesis;
      long deadline = System.nanoTime() + profile.faults().toNanos();
      Thread thread =
          new Thread(
              () -> {
                try {
                  running.run(deadline);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "nemesis");
      thread.setDaemon(true);
      thread.start();
      while (thread.isAlive()) {
        thread.join(10_000);
        if (thread.isAlive()) {
          progress(nemesis, network, locks);
        }
      }
      phases.put("faults", since(t));

      t = System.nanoTime();
      nemesis.healAll();
      awaitLeader(cluster, 90, "after healing every fault");
      say("healed every fault; the workloads go on for 5 s more");
      sleepWithProgress(5_000, nemesis, network, locks);
      registers.stop();
      locks.stop();
      registers.join(Duration.ofSeconds(40));
      locks.join(Duration.ofSeconds(40));
      phases.put("heal_and_drain", since(t));

      t = System.nanoTime();
      say("killing every member (SIGKILL) and starting them again");
      for (int i = 1; i <= cluster.size(); i++) {
        cluster.kill9(i);
      }
      for (int i = 1; i <= cluster.size(); i++) {
        cluster.start(i);
      }
      awaitLeader(cluster, 120, "after restarting every member");
      phases.put("restart_all", since(t));

      t = System.nanoTime();
      long lastCommitted =
          recorder.committedEvents().stream().mapToLong(WatchEvent::revision).max().orElse(0);
      stalled.addAll(watches.awaitRevision(lastCommitted, Duration.ofSeconds(60)));
      phases.put("watch_catch_up", since(t));

      t = System.nanoTime();
      try (AimStoreClient control = control(cluster)) {
        finalRead.putAll(readAll(control, PREFIX, null));
        finalRead.putAll(readAll(control, LockWorkload.counterKey(""), locks));
      }
      phases.put("final_read", since(t));
      say("final read: " + finalRead.size() + " keys");
    } catch (Exception e) {
      error = e.toString();
      say("the run broke: " + error);
    } finally {
      if (nemesis != null) {
        nemesis.stop();
      }
      registers.stop();
      locks.stop();
      registers.join(Duration.ofSeconds(20));
      locks.join(Duration.ofSeconds(20));
      watches.close();
      cluster.close();
      if (network != null) {
        network.close();
      }
    }

    History history = recorder.history();
    Evidence evidence =
        new Evidence(
            history,
            finalRead,
            recorder.committedEvents(),
            watches.logs(),
            error == null ? locks.acceptedWrites() : List.of());
    evidence.save(dir);
    List<Fault> faults = nemesis == null ? List.of() : nemesis.faults();
    long ops = history.operations().size() + locks.attempts();

    RunResult result;
    Evidence.Findings findings = null;
    if (error == null) {
      say(
          "checking "
              + history.operations().size()
              + " register operations on "
              + history.keys().size()
              + " keys, "
              + evidence.watches().size()
              + " watchers, "
              + evidence.fenced().size()
              + " fenced writes");
      findings = evidence.check(profile.checkBudget(), stalled);
      result = RunResult.checked(options.seed(), ops, faults.size(), findings, dir);
    } else {
      result = new RunResult(options.seed(), ops, faults.size(), null, 0, 0, 0, error, dir);
    }
    Map<String, Long> serverErrors = serverErrors(cluster.dir());
    serverErrors.forEach((line, n) -> say("member logs: " + n + " x " + line));
    long unrecovered = faults.stream().filter(f -> f.recoveredMs() < 0).count();
    if (unrecovered > 0) {
      say(
          unrecovered
              + " of "
              + faults.size()
              + " faults were not recovered from within 30 s (a member did not catch up or"
              + " answer); see faults[].recovered_after_ms in the report");
    }
    Map<String, Object> report = report(result, findings, faults, phases, history, evidence);
    report.put("server_errors", serverErrors);
    report.put("unrecovered_faults", unrecovered);
    Files.writeString(dir.resolve("report.json"), Json.pretty(report));
    if (findings != null) {
      printFindings(findings);
    }
    if (result.passed() && !options.keepFiles()) {
      Evidence.delete(dir);
      deleteData(cluster.dir());
      Commands.deleteTree(bin);
    }
    say("report: " + dir.resolve("report.json"));
    if (!result.passed()) {
      say(
          "kept for replay: "
              + dir
              + "  (re-check: chaos-tests/run --recheck "
              + dir
              + "; replay the schedule: "
              + replayCommand()
              + ")");
    }
    if (error != null) {
      say("ERROR: " + error);
    }
    out.println(result.closingLine());
    out.flush();
    return result;
  }

  /** Waits for a leader, saying so every ten seconds; fails after {@code seconds}. */
  private void awaitLeader(ProcessCluster cluster, int seconds, String when) throws IOException {
    for (int waited = 0; waited < seconds; waited += 10) {
      if (cluster.awaitLeader(Duration.ofSeconds(10)).isPresent()) {
        return;
      }
      say("waiting for a leader " + when + " (" + (waited + 10) + " s)");
    }
    throw new IOException("no leader within " + seconds + " s " + when);
  }

  /** The command that runs this profile again with this seed. */
  private String replayCommand() {
    StringBuilder c = new StringBuilder("chaos-tests/run");
    if (profile.name().equals("long")) {
      double m = profile.faults().toMillis() / 60_000.0;
      c.append(" --minutes ").append(m == Math.rint(m) ? Long.toString((long) m) : m);
      if (!profile.kinds().equals(java.util.EnumSet.allOf(FaultKind.class))) {
        c.append(" --faults ")
            .append(String.join(",", profile.kinds().stream().map(FaultKind::label).toList()));
      }
      if (!profile.failpoints().isEmpty()) {
        c.append(" --failpoints ").append(profile.failpoints());
      }
    } else {
      c.append(" --profile ").append(profile.name());
    }
    c.append(" --seed ").append(options.seed());
    if (profile.size() != 3) {
      c.append(" --members ").append(profile.size());
    }
    return c.toString();
  }

  private void printFindings(Evidence.Findings f) {
    if (f.linearizability().verdict() != Verdict.LINEARIZABLE) {
      say("linearizability: " + f.linearizability().verdict());
      say(truncate(f.linearizability().explanation(), 4_000));
    }
    f.lost().stream().limit(10).forEach(l -> say("LOST " + l));
    f.watch().stream().limit(10).forEach(v -> say("WATCH " + v));
    f.lock().stream().limit(10).forEach(v -> say("LOCK " + v));
    say("checker times (ms): " + f.checkMillis());
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
  }

  private static AimStoreClient control(ProcessCluster cluster) {
    return AimStoreClient.builder()
        .endpoints(cluster.endpointsFrom(1))
        .tls(cluster.tls())
        .requestTimeout(Duration.ofSeconds(30))
        .attemptTimeout(Duration.ofSeconds(5))
        .name("chaos-control")
        .build();
  }

  /** Reads every key under {@code prefix} (linearizably), noting counters for the lock workload. */
  private static Map<String, StoredValue> readAll(
      AimStoreClient client, String prefix, LockWorkload locks) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        RangeResponse r = client.kv().getPrefix(prefix).get(60, TimeUnit.SECONDS);
        Map<String, StoredValue> out = new TreeMap<>();
        Map<String, KeyValue> byKey = new TreeMap<>();
        for (KeyValue kv : r.getKvsList()) {
          String key = kv.getKey().toStringUtf8();
          out.put(key, new StoredValue(kv.getValue().toStringUtf8(), kv.getModRevision()));
          byKey.put(key, kv);
        }
        if (locks != null) {
          for (String lock : locks.lockNames()) {
            locks.observe(lock, byKey.get(LockWorkload.counterKey(lock)));
          }
        }
        return out;
      } catch (Exception e) {
        last = e;
        Thread.sleep(2_000);
      }
    }
    throw new IOException("the final read of " + prefix + " failed: " + last, last);
  }

  private List<ClientSpec> registerClients(ProcessCluster cluster) {
    List<ClientSpec> specs = new ArrayList<>();
    int n = profile.size();
    for (int c = 0; c < profile.registerClients(); c++) {
      specs.add(new ClientSpec(c, cluster.endpointsFrom(c % n + 1), false));
    }
    if (profile.pinnedReaders()) {
      for (int m = 1; m <= n; m++) {
        specs.add(
            new ClientSpec(profile.registerClients() + m - 1, List.of(cluster.endpoint(m)), true));
      }
    }
    return specs;
  }

  private List<List<String>> watcherEndpoints(ProcessCluster cluster) {
    List<List<String>> out = new ArrayList<>();
    for (int w = 0; w < profile.watchers(); w++) {
      out.add(cluster.endpointsFrom(w % profile.size() + 1));
    }
    return out;
  }

  private void sleepWithProgress(long ms, Nemesis nemesis, Network network, LockWorkload locks)
      throws InterruptedException {
    Thread.sleep(ms);
    progress(nemesis, network, locks);
  }

  private void progress(Nemesis nemesis, Network network, LockWorkload locks) {
    say(
        "ops="
            + (recorder.count() + locks.attempts())
            + " faults="
            + (nemesis == null ? 0 : nemesis.faults().size())
            + " now: "
            + (nemesis == null ? "no faults" : nemesis.current())
            + " | "
            + network.describe());
  }

  private static long since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private Map<String, Object> report(
      RunResult result,
      Evidence.Findings findings,
      List<Fault> faults,
      Map<String, Long> phases,
      History history,
      Evidence evidence) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("closing", result.closingLine());
    r.put("passed", result.passed());
    r.put("seed", options.seed());
    r.put("profile", profile.name());
    r.put("replay", replayCommand());
    r.put("members", profile.size());
    r.put("failpoints", profile.failpoints());
    r.put("fault_seconds", profile.faults().toSeconds());
    r.put("fault_kinds", profile.kinds().stream().map(FaultKind::label).toList());
    r.put("dir", result.dir().toString());
    r.put("error", result.error());
    r.put("total_ms", elapsedMs());
    r.put("phases_ms", phases);
    Map<String, Object> ops = new LinkedHashMap<>();
    ops.put("checked", result.ops());
    ops.put("register", (long) history.operations().size());
    ops.put("register_keys", (long) history.keys().size());
    ops.put(
        "fenced_attempts",
        stats.get("fenced.accepted")
            + stats.get("fenced.refused")
            + stats.get("fenced.uncertain")
            + stats.get("fenced.not_applied"));
    ops.put("fenced_accepted_with_resolved", (long) evidence.fenced().size());
    ops.put("watchers", (long) evidence.watches().size());
    ops.put(
        "watch_event_responses",
        evidence.watches().stream()
            .mapToLong(
                w ->
                    w.messages().stream()
                        .filter(m -> m instanceof io.aimstore.chaos.history.WatchMessage.Events)
                        .count())
            .sum());
    ops.put("committed_events", (long) evidence.committed().size());
    ops.put("counters", stats.snapshot());
    r.put("ops", ops);
    Map<String, Long> byKind = new TreeMap<>();
    faults.forEach(f -> byKind.merge(f.kind().label(), 1L, Long::sum));
    r.put("fault_counts", byKind);
    List<Object> faultList = new ArrayList<>();
    for (Fault f : faults) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", f.kind().label());
      m.put("targets", f.targets().stream().map(i -> (long) i).toList());
      m.put("detail", f.detail());
      m.put("start_ms", f.startMs());
      m.put("healed_ms", f.healedMs());
      m.put("recovered_after_ms", f.recoveredMs());
      m.put("error", f.error());
      faultList.add(m);
    }
    r.put("faults", faultList);
    if (findings != null) {
      Map<String, Object> lin = new LinkedHashMap<>();
      lin.put("verdict", findings.linearizability().verdict().name());
      lin.put("explanation", truncate(findings.linearizability().explanation(), 20_000));
      r.put("linearizability", lin);
      r.put("lost", findings.lost().stream().limit(100).map(Object::toString).toList());
      r.put(
          "watch_violations", findings.watch().stream().limit(100).map(Object::toString).toList());
      r.put("lock_violations", findings.lock().stream().limit(100).map(Object::toString).toList());
      r.put("check_ms", findings.checkMillis());
    }
    return r;
  }

  /**
   * The errors in the members' logs (ERROR lines, and a Raft log appender that died), with digits
   * masked so that alike lines count together.
   */
  static Map<String, Long> serverErrors(Path clusterDir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    if (!Files.isDirectory(clusterDir)) {
      return out;
    }
    try (Stream<Path> members = Files.list(clusterDir)) {
      for (Path member : members.sorted().toList()) {
        Path log = member.resolve("server.log");
        if (!Files.isRegularFile(log)) {
          continue;
        }
        try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
          lines
              .filter(l -> l.contains(" ERROR ") || l.contains("LogAppenderDaemon failed"))
              .map(l -> l.length() > 24 ? l.substring(24) : l)
              .map(l -> l.replaceAll("[0-9]+", "#"))
              .map(l -> l.length() > 160 ? l.substring(0, 160) : l)
              .forEach(l -> out.merge(l, 1L, Long::sum));
        } catch (java.io.UncheckedIOException e) {
          // a log that is not text: skip it
        }
      }
    }
    return out;
  }

  /** Deletes the members' data directories (Raft logs, keyspaces) of a run. */
  static void deleteData(Path clusterDir) throws IOException {
    if (!Files.isDirectory(clusterDir)) {
      return;
    }
    try (Stream<Path> members = Files.list(clusterDir)) {
      for (Path member : members.toList()) {
        Commands.deleteTree(member.resolve("data"));
      }
    }
  }
}
