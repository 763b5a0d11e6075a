package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.SystemResult;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import io.aimstore.bench.result.Environment;
import io.aimstore.bench.result.RunError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders docs/benchmarks.md from one run's results. The whole file is generated: edit this class,
 * not the markdown.
 */
public final class MarkdownReport {

  /** Plot file keys. */
  public static final String PLOT_THROUGHPUT = "throughput";

  public static final String PLOT_PUT_IN_FLIGHT = "put-in-flight";

  public static final String PLOT_WATCH_LATENCY = "watch-latency";

  public static String trialsPlot(String workloadId) {
    return "trials:" + workloadId;
  }

  public static String latencyPlot(String workloadId) {
    return "latency:" + workloadId;
  }

  /**
   * Everything the report shows.
   *
   * @param resultsPath the results file, relative to the repository
   * @param plots plot key → image path relative to the markdown file
   * @param fullRunEstimate how long the documented full run takes, e.g. "about 25 minutes"
   */
  public record Input(
      Environment env,
      List<WorkloadSummary> workloads,
      List<RunError> errors,
      String resultsPath,
      Map<String, String> plots,
      String fullRunEstimate,
      Map<String, Summary.Cell> noise) {}

  private static final String SESSION_EXPIRY =
      "A separate process holds a key on a session of the TTL in the title and is killed with"
          + " SIGKILL; measured is the time from the kill until a linearizable read, polled every"
          + " 10 ms, no longer finds the key. aimstore: a key put on the lease of a client"
          + " `Session` (renewed every TTL/3); etcd: a key put on a lease kept alive by jetcd;"
          + " ZooKeeper: an ephemeral znode on a session of that timeout (ZooKeeper checks expiry"
          + " once per tick, 2 s). The expected time is the TTL less the time since the holder's"
          + " last renewal, plus the store's own detection and delete.";

  private static final Map<String, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(
              "put-latency",
              "One client, one put outstanding: the latency of a single acknowledged (fsynced,"
                  + " replicated) write."),
          Map.entry(
              "put-throughput-64",
              "Puts over the key space with 64 outstanding (asynchronous futures, a new put the"
                  + " moment one completes)."),
          Map.entry("put-throughput-256", "The same with 256 outstanding."),
          Map.entry(
              "get-linearizable-64",
              "Linearizable reads of existing keys, 64 outstanding, while background puts run at a"
                  + " fixed rate (the same for every system). aimstore: ReadIndex; etcd: default"
                  + " (quorum) range; ZooKeeper: `sync` then `getData`, pipelined on one"
                  + " session."),
          Map.entry(
              "get-serializable-64",
              "Serializable reads (served from the answering member's state, possibly stale), 64"
                  + " outstanding, under the same background puts. ZooKeeper: plain `getData`."),
          Map.entry(
              "cas-64",
              "Compare-and-set, 64 outstanding: each slot swaps its own key with the version its"
                  + " last swap returned (aimstore and etcd: a transaction comparing the mod"
                  + " revision, then put; ZooKeeper: `setData` with the expected version). Every"
                  + " swap should succeed; conflicts are counted."),
          Map.entry(
              "lease-grant-put-64",
              "One operation = grant a lease (TTL 120 s), then put a new key on it; 64"
                  + " outstanding. aimstore: `client.leases().grant(ttl)`, then a put with"
                  + " `PutRequest.lease`; etcd: jetcd lease grant, then a put with the lease id"
                  + " (two round trips each). **ZooKeeper has no leases apart from its sessions**,"
                  + " and a session per operation would be far heavier than a grant, so its"
                  + " stand-in is the create of an ephemeral znode, all on one shared session: one"
                  + " round trip, not the same work. After the window every lease is revoked"
                  + " (ZooKeeper: the session is closed), outside the measurement."),
          Map.entry(
              "lease-keepalive-10k",
              "10,000 leases are granted first; then keep-alives for all of them, round-robin, go"
                  + " to the **leader** (the member that keeps lease deadlines in both systems;"
                  + " followers relay keep-alives to it) on 4 bidirectional streams of one"
                  + " connection with 256 outstanding in all, through each store's own gRPC API"
                  + " (aimstore `Lease.KeepAlive`, etcd `Lease.LeaseKeepAlive`, the same grpc-java"
                  + " transport for both): the keep-alive rate one member sustains. Beside it one"
                  + " client puts sequentially (1 in flight) through the ordinary client; its p50"
                  + " and p99 show what the keep-alive load does to writes (compare with"
                  + " `put-latency`). **ZooKeeper: no equivalent** (a session is kept alive by"
                  + " its own client's connection), hence —."),
          Map.entry(
              "lock-1",
              "One client acquires and releases one lock as fast as it can: one operation is one"
                  + " acquire + release cycle. aimstore: `client.locks().acquire(name, session,"
                  + " wait)` on a session of TTL 10 s, `LockHandle.close()` releases; etcd: jetcd's"
                  + " Lock client on a lease of TTL 10 s (kept alive by jetcd), then unlock;"
                  + " ZooKeeper: Curator's `InterProcessMutex` on a session of timeout 10 s. To"
                  + " read aimstore's figure: its client sends lock calls to the member it is"
                  + " connected to (only plain writes go to the known leader), and a member answers"
                  + " an acquire once it has applied the claim itself, so through a follower a"
                  + " cycle also waits for replication to reach that follower."),
          Map.entry(
              "lock-16",
              "16 clients contend for the same lock, each an independent client (its own"
                  + " connection and session) on its own thread, each cycling acquire → release →"
                  + " acquire: the hand-over rate between holders. Cycle latency includes the"
                  + " wait in the queue."),
          Map.entry(
              "watch-1000",
              "1,000 watches, one per key, on 4 clients connected to **one follower**; puts at a"
                  + " fixed 100/s through the ordinary client go round-robin over the watched keys,"
                  + " so each put fires exactly one watch. Delivery latency is from the put's"
                  + " acknowledgement (at the putting client) to the event's arrival at the"
                  + " watcher, as asked; an event that arrives before the acknowledgement counts as"
                  + " 0, and many do (the watcher's member applies the entry about when the leader"
                  + " acknowledges it), so the table also gives the latency from the put's issue"
                  + " and how many events beat the ack."
                  + " aimstore: `client.watch().watch(WatchOptions.key(k), listener)`, all watches"
                  + " of a client on one stream; etcd: etcd's gRPC Watch API with every watch of a"
                  + " client multiplexed on one stream, as etcd's Go client does (jetcd 0.8 opens a"
                  + " stream per watch); **ZooKeeper: one-shot data watches (`exists`) set again"
                  + " after every event**, as ZooKeeper's watches fire once. This measures"
                  + " delivery with many watchers registered, not fan-out: one change to all"
                  + " 10,000 watchers at 100 puts/s would be 1,000,000 events/s, beyond one 2-core"
                  + " machine. Note for aimstore: its client asks every stream for progress every"
                  + " 2 s and the member answers once per watch, so its idle watchers are not"
                  + " silent."),
          Map.entry("watch-10000", "The same with 10,000 watches (2,500 per client)."),
          Map.entry(
              "watch-idle-memory-10k",
              "The resident memory (VmRSS from `/proc/PID/status`) of one follower before and"
                  + " after 10,000 watches (one per key, nobody writes the keys) are registered on"
                  + " it over 4 clients whose streams were already open; growth ÷ 10,000 is the"
                  + " figure. It runs first among the new workloads. Before each reading the member"
                  + " collects its garbage — aimstore and ZooKeeper: `jcmd PID GC.run`; etcd: its"
                  + " pprof endpoint `/debug/pprof/heap?gc=1` (the bench starts etcd with"
                  + " `--enable-pprof` for this) — and the reading waits until the RSS has settled"
                  + " (three readings 0.5 s apart within 0.5 MiB, at most 8 s). RSS is what the"
                  + " operator sees, but a runtime keeps freed memory for a while (a JVM keeps its"
                  + " committed heap, Go returns pages gradually), so the live heap retained per"
                  + " watcher after that collection is given beside: `GC.heap_info` for the JVMs,"
                  + " `go_memstats_heap_alloc_bytes` for etcd. One before/after pair per"
                  + " repetition. In development runs the RSS figure moved several-fold from run to"
                  + " run for every system (how far a heap had grown, what was handed back), while"
                  + " the live heap per watcher repeated within a few per cent: read the RSS row as"
                  + " an order of magnitude and the heap row as the cost."),
          Map.entry(
              "watch-catchup",
              "A watcher far behind: puts (256-byte values over 1,000 keys under one prefix, 256"
                  + " in flight) are written first; then a new client on a follower watches the"
                  + " prefix from the first of those revisions, and the time until the last one"
                  + " arrives is measured (the revisions-behind count is in the notes). aimstore:"
                  + " `WatchOptions.prefix(p).fromRevision(r)`; etcd: a Watch from `start_revision`."
                  + " **ZooKeeper keeps no history to replay**, hence —."),
          Map.entry(
              "ghost-lock",
              "A separate process holds a lock on a session of TTL 3 s while another client"
                  + " (session TTL 10 s) waits for it; the holder is killed with SIGKILL, so it"
                  + " releases nothing; measured is the time from the kill to the waiter holding"
                  + " the lock. aimstore's holder is the real tool, `ops/bin/aimctl lock run NAME"
                  + " --ttl 3 -- sleep 600`; etcd's is a small JVM holding jetcd's lock on a"
                  + " 3 s lease; ZooKeeper's a small JVM holding a Curator mutex on a session of"
                  + " timeout 3 s (the bench sets `minSessionTimeout=3000`, as ZooKeeper's default"
                  + " minimum is 4 s; ZooKeeper checks expiry once per tick, 2 s, so a 3 s session"
                  + " ends 3–5 s after its last heartbeat). The expected time is the TTL less the"
                  + " time since the holder's last renewal (renewals every TTL/3 in all three"
                  + " clients) plus the store's own detection and hand-over."),
          Map.entry("session-expiry-3s", SESSION_EXPIRY),
          Map.entry("session-expiry-10s", SESSION_EXPIRY),
          Map.entry(
              "failover",
              "One client puts sequentially through the ordinary client; the leader is killed"
                  + " with SIGKILL; measured is the time from the leader's death (the moment its"
                  + " process is seen gone, polled every millisecond; a zombie counts as gone) to"
                  + " the acknowledgement of the first put issued after it. One put is in flight,"
                  + " except that at the death, and whenever a put has been unanswered for 250 ms,"
                  + " another is issued beside it (a request stuck on the dead leader must not hide"
                  + " the moment writes work again); after a failed put the next follows 10 ms"
                  + " later. The killed member is then started again and the next trial waits"
                  + " until it serves a value written after its restart. aimstore: leader from"
                  + " `ops/bin/aimstore-cluster leader`, killed with `aimstore-cluster kill-9 I`,"
                  + " restarted with `start I` (`kill to gone ms max` in the notes is the script's"
                  + " start-up before the signal, not counted); etcd: leader from each member's"
                  + " Maintenance.Status, its PID killed; ZooKeeper: leader from the `srvr`"
                  + " four-letter word (the only one enabled by default; `Mode: leader`), its PID"
                  + " killed. Clients as in every workload: aimstore's fails over with its own"
                  + " back-off, jetcd round-robins, ZooKeeper's session moves to another member."),
          Map.entry(
              "footprint",
              "Distinct keys with 256-byte values (the count is in the notes; 1,000,000 in the"
                  + " full run) written with the throughput driver (256 in flight); then each"
                  + " member's resident memory (VmRSS) and data directory (`du`, blocks in use);"
                  + " then every member is stopped (SIGTERM) and all are started again at once,"
                  + " and the restart time runs until a fresh client's linearizable read of one of"
                  + " those keys succeeds (a new client every 200 ms, several overlapping, so no"
                  + " client's reconnect back-off counts). Memory is read again after the restart:"
                  + " what it takes to serve the keys from a cold start. Figures per member are the"
                  + " mean of the three. The data directories also hold what the earlier workloads"
                  + " of the run wrote (history, logs, snapshots; ZooKeeper keeps every snapshot"
                  + " and log by default), so the growth is given beside."));

  private MarkdownReport() {}

  public static String render(Input in) {
    StringBuilder sb = new StringBuilder();
    Environment env = in.env();
    boolean quick = env != null && env.quick();
    sb.append("# Benchmarks: aimstore beside etcd and ZooKeeper\n\n");
    sb.append(
        "The same workload definitions run against aimstore, etcd and ZooKeeper on one machine,"
            + " each system as a 3-member cluster on 127.0.0.1 that the bench starts, measures and"
            + " stops itself. This file is generated by `ops/bin/aimstore-bench` from the run's"
            + " results; do not edit it by hand.\n\n");
    if (quick) {
      sb.append(
          String.format(
              Locale.ROOT,
              "> **Quick run** (`--quick`): %s s warm-up per cluster and %s s measured windows,"
                  + " far shorter than the JIT needs on 2 cores (the design notes measured 60–100 s"
                  + " per JVM). These numbers show the bench works and roughly where things stand;"
                  + " quote the full run (%s).\n\n",
              num(env.config().get("warmup_s")),
              num(env.config().get("measure_s")),
              in.fullRunEstimate()));
    }
    if (env != null) {
      sb.append(
          String.format(
              "Run `%s` started %s with `%s`; raw results: `%s`.%n%n",
              env.run(), env.startedAt(), env.command(), in.resultsPath()));
    }

    summary(sb, in);
    workloads(sb, in);
    errors(sb, in.errors());
    environment(sb, env, in.noise());
    method(sb, env);
    howToRun(sb, in.fullRunEstimate());
    todo(sb);
    return sb.toString();
  }

  private static void summary(StringBuilder sb, Input in) {
    sb.append("## Summary\n\n");
    sb.append(
        "Medians over the repetitions. A ratio is aimstore ÷ peer: the ratio of the medians, then"
            + " in parentheses the lowest and highest ratio within one repetition (aimstore and the"
            + " peer measured one right after the other). For throughput and other rates a ratio"
            + " above 1 favours aimstore; for latency, times, memory, disk and CPU a ratio below 1"
            + " does. — means the system has no equivalent or the workload did not run on it (see"
            + " its section).\n\n");
    sb.append(header("workload", "metric"));
    for (WorkloadSummary w : in.workloads()) {
      List<Metric> rows = w.view().summary();
      for (int i = 0; i < rows.size(); i++) {
        sb.append("| ")
            .append(i == 0 ? "`" + w.id() + "`" : "")
            .append(" | ")
            .append(metricLabel(rows.get(i)))
            .append(row(w, rows.get(i)))
            .append('\n');
      }
    }
    sb.append('\n');
    notRun(sb, in);
    image(sb, in.plots(), PLOT_THROUGHPUT, "Throughput per workload");
    image(sb, in.plots(), PLOT_PUT_IN_FLIGHT, "Put throughput against puts in flight");
    image(sb, in.plots(), PLOT_WATCH_LATENCY, "Watch delivery latency against watchers");
    TlsCost.section(sb, in.workloads(), in.env());
  }

  /**
   * The header and alignment rows of a comparison table: the given label columns, then a column per
   * system of {@link Summary#COLUMNS} and an aimstore ÷ peer column per {@link Summary#PEERS}.
   */
  static String header(String... labels) {
    List<String> cells = new ArrayList<>(List.of(labels));
    StringBuilder align = new StringBuilder("|---".repeat(labels.length));
    for (SystemKind s : Summary.COLUMNS) {
      cells.add(s.displayName());
      align.append("|---:");
    }
    for (SystemKind peer : Summary.PEERS) {
      cells.add("aimstore ÷ " + peer.displayName());
      align.append("|---:");
    }
    return "| " + String.join(" | ", cells) + " |\n" + align + "|\n";
  }

  /** The workloads of the full run that this run did not measure. */
  private static void notRun(StringBuilder sb, Input in) {
    List<String> missing = new ArrayList<>();
    for (String id : Layout.WORKLOADS) {
      if (in.workloads().stream().noneMatch(w -> w.id().equals(id))) {
        missing.add("`" + id + "`");
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Object keys = in.env() == null ? null : in.env().config().get("footprint_keys");
    boolean footprintSkipped = keys instanceof Number n && n.doubleValue() == 0;
    sb.append("Not measured in this run: ")
        .append(String.join(", ", missing))
        .append(
            footprintSkipped && missing.contains("`footprint`")
                ? " (the footprint with 1,000,000 keys runs in the full run only)"
                : " (not selected, or failed: see below)")
        .append(".\n\n");
  }

  private static String row(WorkloadSummary w, Metric m) {
    StringBuilder sb = new StringBuilder();
    for (SystemKind s : Summary.COLUMNS) {
      sb.append(" | ").append(Format.cell(m, w.cell(s, m)));
    }
    for (SystemKind peer : Summary.PEERS) {
      sb.append(" | ").append(Format.ratio(w.ratio(peer, m)));
    }
    return sb.append(" |").toString();
  }

  static String metricLabel(Metric m) {
    return m.label() + " (" + m.unit() + ")";
  }

  private static void workloads(StringBuilder sb, Input in) {
    sb.append("## Workloads\n\n");
    for (WorkloadSummary w : in.workloads()) {
      sb.append("### ").append(w.title()).append(" — `").append(w.id()).append("`\n\n");
      String d = DESCRIPTIONS.get(w.id());
      if (d != null) {
        sb.append(d).append("\n\n");
      }
      sb.append(header("metric"));
      List<Metric> rows = w.view().rows();
      for (Metric m : rows) {
        sb.append("| ").append(metricLabel(m)).append(row(w, m)).append('\n');
      }
      sb.append('\n');
      List<String> notes = new ArrayList<>();
      for (SystemKind s : Summary.COLUMNS) {
        SystemResult r = w.systems().get(s);
        if (r == null) {
          continue;
        }
        List<String> parts = new ArrayList<>();
        int n = repetitions(r, rows);
        parts.add(n + " repetition" + (n == 1 ? "" : "s"));
        if (rows.contains(Metric.THROUGHPUT) && r.cell(Metric.THROUGHPUT).present() && n > 1) {
          parts.add(
              "throughput "
                  + Format.value(Metric.THROUGHPUT, r.cell(Metric.THROUGHPUT).min())
                  + "–"
                  + Format.value(Metric.THROUGHPUT, r.cell(Metric.THROUGHPUT).max())
                  + " ops/s");
        }
        if (r.errors() > 0) {
          parts.add("**" + r.errors() + " failed operations**");
        }
        Double target = r.extras().get("background_put_rate_target");
        r.extras()
            .forEach(
                (k, v) -> {
                  if (k.equals("background_put_rate_target")
                      || Aggregator.NOISE_EXTRAS.contains(k)
                      || rows.stream().anyMatch(m -> m.key().equals(k))) {
                    return;
                  }
                  String part = k.replace('_', ' ') + " " + extraValue(k, v);
                  if (k.equals("background_puts_per_s") && target != null && v < 0.9 * target) {
                    part +=
                        " (**below the "
                            + Format.value(Metric.THROUGHPUT, target)
                            + "/s target**: the system could not keep up)";
                  }
                  parts.add(part);
                });
        notes.add(s.displayName() + ": " + String.join(", ", parts));
      }
      if (!notes.isEmpty()) {
        sb.append(String.join("; ", notes)).append(".\n\n");
      }
      image(sb, in.plots(), latencyPlot(w.id()), "Latency percentiles, " + w.id());
      image(sb, in.plots(), trialsPlot(w.id()), "Every trial, " + w.id());
    }
  }

  /** Repetitions with a value in the first row's metric. */
  static int repetitions(SystemResult r, List<Metric> rows) {
    int n = 0;
    for (Metric m : rows) {
      n = Math.max(n, r.cell(m).n());
    }
    return n;
  }

  /** A note's number: times, sizes and latencies with 3 significant digits, counts whole. */
  static String extraValue(String key, double v) {
    boolean fractional =
        key.endsWith("_ms") || key.endsWith("_s") || key.endsWith("_mib") || key.endsWith("_pct");
    if (fractional && Double.isFinite(v)) {
      return Format.millis(v);
    }
    return Format.value(Metric.THROUGHPUT, v);
  }

  static void errors(StringBuilder sb, List<RunError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    sb.append("## Failures in this run\n\n");
    for (RunError e : errors) {
      sb.append("- ")
          .append(e.system())
          .append(" repetition ")
          .append(e.rep())
          .append(e.workload() == null ? " (cluster)" : ", `" + e.workload() + "`")
          .append(": ")
          .append(e.message().replace('\n', ' '))
          .append('\n');
    }
    sb.append('\n');
  }

  /** "median 12% of one core (10–15%" for CPU use in percent of one core. */
  static String ofOneCore(Summary.Cell c) {
    return "median "
        + Format.value(Metric.THROUGHPUT, c.median())
        + "% of one core ("
        + Format.value(Metric.THROUGHPUT, c.min())
        + "–"
        + Format.value(Metric.THROUGHPUT, c.max())
        + "%";
  }

  static void environment(StringBuilder sb, Environment env, Map<String, Summary.Cell> noise) {
    sb.append("## Environment\n\n");
    if (env == null) {
      sb.append("(not recorded)\n\n");
      return;
    }
    sb.append("| | |\n|---|---|\n");
    sb.append("| machine | ")
        .append(env.cores())
        .append(" cores (")
        .append(env.cpuModel())
        .append("), ")
        .append(env.memory())
        .append(" memory |\n");
    sb.append("| OS | ").append(env.os()).append(" |\n");
    sb.append("| JVM (bench, aimstore and ZooKeeper members) | ").append(env.jvm()).append(" |\n");
    sb.append("| load average at start | ").append(env.loadAverageAtStart()).append(" |\n");
    Summary.Cell other = noise.get("other_processes_cpu_pct");
    if (other != null) {
      sb.append("| CPU of other processes during measured windows | ")
          .append(ofOneCore(other))
          .append("; the machine has ")
          .append(env.cores() * 100)
          .append("%) |\n");
    }
    Summary.Cell idle = noise.get("idle_clusters_cpu_pct");
    if (idle != null) {
      sb.append("| CPU of the idle clusters of the other systems | ")
          .append(ofOneCore(idle))
          .append(") |\n");
    }
    env.versions()
        .forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    sb.append('\n');
    env.settings()
        .forEach(
            (system, settings) -> {
              sb.append("- **").append(system).append("**: ");
              List<String> parts = new ArrayList<>();
              settings.forEach((k, v) -> parts.add(k + ": " + v));
              sb.append(String.join("; ", parts)).append('\n');
            });
    sb.append('\n');
  }

  private static void method(StringBuilder sb, Environment env) {
    sb.append("## Method\n\n");
    Map<String, Object> c = env == null ? Map.of() : env.config();
    boolean fresh = !Boolean.FALSE.equals(c.get("fresh_clusters_per_repetition"));
    sb.append(
        String.format(
            Locale.ROOT,
            "- **Clusters and interleaving.** %s. The clusters of the three systems run side by"
                + " side; each workload is measured on aimstore, then etcd, then ZooKeeper, and"
                + " again for every repetition, so slow drift in the machine's load hits all"
                + " alike. The clusters not being measured sit idle (their CPU share is recorded"
                + " with every measurement as `idle_clusters_cpu_pct`). Client and servers share"
                + " the machine's cores. Data is deleted when a cluster stops.%n",
            fresh
                ? num(c.get("repetitions"))
                    + " repetitions, each on a fresh set of 3-member clusters (started, loaded,"
                    + " warmed up, measured, stopped)"
                : num(c.get("repetitions"))
                    + " repetitions on one set of 3-member clusters (quick run: started once)"));
    sb.append(
        String.format(
            Locale.ROOT,
            "- **Warm-up.** %s s per system on each new set of clusters before anything is"
                + " measured: the measured workloads themselves, in short unrecorded slices, so the"
                + " server and client JVMs compile the measured paths (etcd is Go, but its Java"
                + " client warms up too).%n",
            num(c.get("warmup_s"))));
    sb.append(
        String.format(
            Locale.ROOT,
            "- **Windows.** Each workload runs %s s unrecorded, then a measured window of %s s,"
                + " bounded by time and by %s operations. Load is closed-loop: a fixed number of"
                + " requests outstanding, a new one issued as one completes; latency is issue to"
                + " completion as the client sees it (HdrHistogram, 3 significant digits).%n",
            num(c.get("settle_s")),
            num(c.get("measure_s")),
            num(c.get("max_ops_per_window"))));
    sb.append(
        String.format(
            Locale.ROOT,
            "- **Data.** %s keys, %s-byte random values; the keys are written once before the"
                + " warm-up. Reads run with %s background puts/s on other keys, so that"
                + " linearizable reads pay for a real commit point (a read-only load lets ReadIndex"
                + " look like a lease read).%n",
            num(c.get("keys")),
            num(c.get("value_bytes")),
            num(c.get("background_put_rate"))));
    sb.append(
        "- **CPU.** utime + stime of the three member processes from `/proc/PID/stat` over the"
            + " measured window, divided by the operations completed in it (for reads, the"
            + " background puts' CPU is included); client CPU likewise for the bench's own JVM.\n");
    sb.append(
        "- **Clients.** aimstore: its Java client (`store-client`, one endpoint at a time with"
            + " failover); etcd: jetcd (gRPC, round-robin over the members); ZooKeeper: its own"
            + " client, one session connected to one member. All three fsync before acknowledging"
            + " a write.\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "- **Workloads beyond the load windows.** They do not run in the warm-up. Leases,"
                + " locks and watches run once per set of clusters (the quick run: once; the full"
                + " run: once on each of its fresh sets), after the load windows, with the same"
                + " settle + window where they have one (watch windows last at least 2 s). The"
                + " catch-up, ghost-lock, session-expiry, failover and footprint workloads run once per run, on the"
                + " last set of clusters, in that order, after everything else: failover restarts"
                + " members and the footprint restarts all of them, and a restarted JVM would start"
                + " the next workload cold. Sizes of this run: %s fault trials per system, %s"
                + " leases kept alive, a watcher %s revisions behind, %s footprint keys (0: not"
                + " run).%n",
            num(c.get("fault_trials")),
            num(c.get("keep_alive_leases")),
            num(c.get("catch_up_revisions")),
            num(c.get("footprint_keys"))));
    sb.append(
        "- **Memory and disk.** Resident memory is VmRSS of `/proc/PID/status`; JVM members run"
            + " with -Xms128m -Xmx1g (aimstore and ZooKeeper alike), so their RSS reflects heap"
            + " sizing as much as data. Disk is `du` of each member's data directory (blocks in"
            + " use).\n");
    sb.append(
        "- **For orientation**, the design notes (`architecture.md`, 2026-11-27) measured here:"
            + " etcd 9,664 and ZooKeeper 14,315 puts/s at 256 in flight, sequential put p50 1.06 ms"
            + " (etcd) / 0.73 ms (ZooKeeper), etcd linearizable get 8,849/s at 64 in flight;"
            + " aimstore with group commit ≈16,000 puts/s at 256 in flight (median over fresh"
            + " clusters, 9,000–23,000) and a sequential p50 of 2.2–2.9 ms before its latency"
            + " work.\n");
    sb.append('\n');
  }

  private static void howToRun(StringBuilder sb, String fullRunEstimate) {
    sb.append("## How to run\n\n");
    sb.append("The full run, the one to quote, is exactly:\n\n");
    sb.append("```sh\nops/bin/aimstore-bench\n```\n\n");
    sb.append("It takes ")
        .append(fullRunEstimate)
        .append(
            " (3 fresh sets of clusters, 60 s warm-up, 2 s + 10 s windows, 20 fault trials per"
                + " system, a watcher 100,000 revisions behind, the footprint with 1,000,000 keys)."
                + " Other forms:\n\n");
    sb.append("```sh\n");
    sb.append(
        "ops/bin/aimstore-bench --quick     # ≈5 minutes: short warm-up, 1 s windows, 2 trials, no"
            + " footprint; labelled quick\n");
    sb.append(
        "ops/bin/aimstore-bench --systems aimstore,etcd --workloads put-throughput-256 --reps 5\n");
    sb.append(
        "ops/bin/aimstore-bench --quick --systems aimstore --workloads failover --trials 5\n");
    sb.append("ops/bin/aimstore-bench --report-only bench/runs/RUN   # re-render this file\n");
    sb.append("ops/bin/aimstore-bench --help\n");
    sb.append("```\n\n");
    sb.append(
        "The launcher builds the bench on first use (and when `bench/` or `testkit/` changed). It"
            + " installs Debian's `etcd-server` with apt-get if `etcd` is missing, starts aimstore"
            + " through `ops/bin/aimstore-cluster` (the testkit's `ProcessCluster`) in a fresh"
            + " directory under `bench/runs/`, etcd and ZooKeeper as its own child processes, all on"
            + " ports from one base (client ports BASE+1–3 for aimstore, BASE+101–103 for etcd,"
            + " BASE+201–203 for ZooKeeper; a free base unless `--base-port` says), and stops every"
            + " process it started (members, restarted members, lock holders), by PID, at the end,"
            + " on failure and on Ctrl-C. Results go to `bench/runs/RUN/results.jsonl` (one JSON"
            + " object per line: the environment, then one line per measured run; fault workloads"
            + " list every trial's time in `trial_ms`); this file and its plots under"
            + " `docs/benchmarks/` are regenerated from it (`--no-docs` leaves them alone). A run"
            + " of only `aimstore,aimstore-plaintext` writes `docs/benchmarks/tls-cost.md`"
            + " instead, without plots, and leaves this file alone (see Cost of TLS above).\n\n");
  }

  private static void todo(StringBuilder sb) {
    sb.append("## Limits\n\n");
    sb.append(
        "- Where a peer has no equivalent the table says —: ZooKeeper has no leases apart from"
            + " sessions (its `lease-grant-put-64` is an ephemeral create, not the same work), no"
            + " keep-alive API and no history to watch from.\n");
    sb.append(
        "- ZooKeeper's watches are one-shot and re-set after every event here; ZooKeeper 3.6+"
            + " also has persistent watches (`addWatch`), not measured.\n");
    sb.append(
        "- Watch latency is measured with one event per put (a watch per key), not fan-out of"
            + " one key to thousands of watchers.\n");
    sb.append(
        "- Memory per idle watcher from RSS is one before/after reading of one member and moves"
            + " several-fold between runs; the live heap per watcher beside it is the stable"
            + " figure.\n");
    sb.append(
        "- The fault workloads run on one set of clusters; 20 trials give a fair median, and the"
            + " worst case of 20 is only that.\n");
    sb.append(
        "- Client and servers share two cores; other people's processes on the machine show in"
            + " the noise figures above.\n");
  }

  private static void image(StringBuilder sb, Map<String, String> plots, String key, String alt) {
    String path = plots.get(key);
    if (path != null) {
      sb.append("![").append(alt).append("](").append(path).append(")\n\n");
    }
  }

  static String num(Object o) {
    if (o instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d)) {
        return String.format(Locale.ROOT, "%,d", (long) d);
      }
      return String.format(Locale.ROOT, "%s", d);
    }
    return o == null ? "?" : o.toString();
  }
}
