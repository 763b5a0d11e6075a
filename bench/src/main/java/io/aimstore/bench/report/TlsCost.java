package io.aimstore.bench.report;

import io.aimstore.bench.SystemKind;
import io.aimstore.bench.report.Summary.SystemResult;
import io.aimstore.bench.report.Summary.WorkloadSummary;
import io.aimstore.bench.result.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What mutual TLS costs aimstore: {@link SystemKind#AIMSTORE} (mutual TLS 1.3 on every port, the
 * default) against {@link SystemKind#AIMSTORE_PLAINTEXT} (the same cluster started {@code
 * --insecure}, the same client in plaintext), measured one right after the other in every
 * repetition. The one place that decides whether a run priced TLS ({@link #measured}), whether it
 * was a run for that alone, whose report then goes to {@link #REPORT} and leaves docs/benchmarks.md
 * alone ({@link #alone}), and how the comparison reads.
 */
public final class TlsCost {
  /** Where a run of only aimstore and aimstore-plaintext writes its report, from the repository. */
  public static final String REPORT = "docs/benchmarks/tls-cost.md";

  /** The systems of the run that measures it. */
  public static final List<SystemKind> SYSTEMS =
      List.of(SystemKind.AIMSTORE, SystemKind.AIMSTORE_PLAINTEXT);

  /** The workloads of the run that measures it: put p50 at 1 in flight, throughput at 64. */
  public static final List<String> WORKLOADS = List.of("put-latency", "put-throughput-64");

  /** The run that measures it, as the reports quote it. */
  public static final String COMMAND =
      "ops/bin/aimstore-bench --systems "
          + SYSTEMS.stream().map(SystemKind::id).collect(Collectors.joining(","))
          + " --workloads "
          + String.join(",", WORKLOADS);

  /** The key of an aimstore cluster's settings that says whether it ran with TLS. */
  public static final String TRANSPORT = "transport";

  /** How docs/benchmarks.md links to {@link #REPORT}. */
  static final String FROM_FULL_REPORT = "benchmarks/tls-cost.md";

  private static final SystemKind SECURE = SYSTEMS.get(0);
  private static final SystemKind PLAINTEXT = SYSTEMS.get(1);

  private TlsCost() {}

  /** Whether some workload ran on both aimstore and aimstore-plaintext. */
  public static boolean measured(List<WorkloadSummary> workloads) {
    return !priced(workloads).isEmpty();
  }

  /**
   * Whether the run was one of exactly aimstore and aimstore-plaintext (in either order): its
   * report is {@link #report}, written to {@link #REPORT}.
   */
  public static boolean alone(Environment env) {
    if (env == null || !(env.config().get("systems") instanceof List<?> systems)) {
      return false;
    }
    Set<String> ids = systems.stream().map(String::valueOf).collect(Collectors.toSet());
    return ids.equals(Set.of(SECURE.id(), PLAINTEXT.id()));
  }

  private static List<WorkloadSummary> priced(List<WorkloadSummary> workloads) {
    return workloads.stream()
        .filter(w -> w.systems().containsKey(SECURE) && w.systems().containsKey(PLAINTEXT))
        .toList();
  }

  /** The rows of a workload: its summary rows, then client CPU where its table has it. */
  private static List<Metric> rows(WorkloadSummary w) {
    List<Metric> rows = new ArrayList<>(w.view().summary());
    if (w.view().rows().contains(Metric.CLIENT_CPU) && !rows.contains(Metric.CLIENT_CPU)) {
      rows.add(Metric.CLIENT_CPU);
    }
    return rows;
  }

  /** The section as docs/benchmarks.md shows it (for the terminal). */
  public static String section(List<WorkloadSummary> workloads, Environment env) {
    StringBuilder sb = new StringBuilder();
    section(sb, workloads, env);
    return sb.toString();
  }

  /**
   * The "Cost of TLS" section of docs/benchmarks.md: the table when some workload ran on both,
   * otherwise what this run's aimstore ran with, where the cost was measured ({@link #REPORT}) and
   * how to measure it again.
   */
  static void section(StringBuilder sb, List<WorkloadSummary> workloads, Environment env) {
    sb.append("## Cost of TLS\n\n");
    if (measured(workloads)) {
      table(sb, priced(workloads));
      return;
    }
    Map<String, String> aimstore =
        env == null ? Map.of() : env.settings().getOrDefault(SECURE.displayName(), Map.of());
    String transport = aimstore.get(TRANSPORT);
    sb.append("aimstore runs mutual TLS on every port by default. ")
        .append(
            transport == null
                ? "This run did not record aimstore's transport."
                : "aimstore's transport in this run: " + transport + ".")
        .append(" What TLS costs (put p50 at 1 in flight and put throughput at 64 in flight, with")
        .append(" TLS and in plaintext, interleaved in one run) is measured by a run of its own,")
        .append(" whose report is [")
        .append(FROM_FULL_REPORT)
        .append("](")
        .append(FROM_FULL_REPORT)
        .append("); to measure it again:\n\n```sh\n")
        .append(COMMAND)
        .append("\n```\n\n");
  }

  /** The comparison of every workload that ran on both. */
  private static void table(StringBuilder sb, List<WorkloadSummary> priced) {
    sb.append("aimstore with mutual TLS on every port (the default: TLS 1.3 with client")
        .append(" certificates on the client port and between members on the Raft port) against")
        .append(" the same cluster started `--insecure` and driven by the same client in plaintext")
        .append(" (`")
        .append(PLAINTEXT.id())
        .append("`). The TLS side also checks every request against the caller's roles, which an")
        .append(
            " insecure member skips (it trusts every caller), so this is the cost of the secure")
        .append(
            " mode as a whole. Both clusters run side by side; in every repetition each workload is measured")
        .append(" on one of them and then at once on the other (in the order of `--systems`), so")
        .append(" drift in the machine's load hits both alike. Medians over the repetitions; the")
        .append(" ratio is TLS ÷ plaintext, of the medians, then in parentheses the lowest and")
        .append(" highest ratio within one repetition. A throughput ratio below 1, or a latency or")
        .append(" CPU ratio above 1, is what TLS costs.\n\n");
    sb.append("| workload | metric | with TLS | plaintext | TLS ÷ plaintext |\n");
    sb.append("|---|---|---:|---:|---:|\n");
    for (WorkloadSummary w : priced) {
      List<Metric> rows = rows(w);
      for (int i = 0; i < rows.size(); i++) {
        Metric m = rows.get(i);
        sb.append("| ")
            .append(i == 0 ? "`" + w.id() + "`" : "")
            .append(" | ")
            .append(MarkdownReport.metricLabel(m))
            .append(" | ")
            .append(Format.cell(m, w.cell(SECURE, m)))
            .append(" | ")
            .append(Format.cell(m, w.cell(PLAINTEXT, m)))
            .append(" | ")
            .append(Format.ratio(w.ratio(PLAINTEXT, m)))
            .append(" |\n");
      }
    }
    sb.append('\n');
    List<String> notes = new ArrayList<>();
    for (WorkloadSummary w : priced) {
      List<String> parts = new ArrayList<>();
      for (SystemKind s : List.of(SECURE, PLAINTEXT)) {
        SystemResult r = w.systems().get(s);
        int n = MarkdownReport.repetitions(r, rows(w));
        String part = (s == SECURE ? "with TLS " : "plaintext ") + n + " repetition";
        part += n == 1 ? "" : "s";
        if (r.cell(Metric.THROUGHPUT).present() && n > 1) {
          part +=
              ", throughput "
                  + Format.value(Metric.THROUGHPUT, r.cell(Metric.THROUGHPUT).min())
                  + "–"
                  + Format.value(Metric.THROUGHPUT, r.cell(Metric.THROUGHPUT).max())
                  + " ops/s";
        }
        if (r.errors() > 0) {
          part += ", **" + r.errors() + " failed operations**";
        }
        parts.add(part);
      }
      notes.add("`" + w.id() + "`: " + String.join("; ", parts));
    }
    sb.append(String.join(". ", notes)).append(".\n\n");
  }

  /**
   * The report of a run of only aimstore and aimstore-plaintext ({@link #REPORT}): the section,
   * failures, environment, method and how to run it again. Generated: edit this class, not the
   * markdown. {@link MarkdownReport.Input#fullRunEstimate} is here how long {@link #COMMAND} takes.
   */
  public static String report(MarkdownReport.Input in) {
    StringBuilder sb = new StringBuilder();
    Environment env = in.env();
    sb.append("# Cost of TLS: aimstore with mutual TLS and in plaintext\n\n");
    sb.append("This file is generated by `ops/bin/aimstore-bench` from a run of the systems")
        .append(" `aimstore` and `aimstore-plaintext` alone (such a run writes here and leaves")
        .append(" `docs/benchmarks.md` alone); do not edit it by hand. aimstore beside etcd and")
        .append(" ZooKeeper: [benchmarks.md](../benchmarks.md).\n\n");
    if (env != null && env.quick()) {
      sb.append("> **Quick run** (`--quick`): warm-up and windows far shorter than the JIT needs;")
          .append(" indicative only.\n\n");
    }
    if (env != null) {
      sb.append(
          String.format(
              "Run `%s` started %s with `%s`; raw results: `%s`.%n%n",
              env.run(), env.startedAt(), env.command(), in.resultsPath()));
    }
    sb.append("## Cost of TLS\n\n");
    List<WorkloadSummary> priced = priced(in.workloads());
    if (priced.isEmpty()) {
      sb.append("No workload ran on both systems in this run (see the failures below).\n\n");
    } else {
      table(sb, priced);
    }
    Summary.Cell other = in.noise().get("other_processes_cpu_pct");
    if (env != null && other != null) {
      sb.append("The machine is shared: during the measured windows, processes other than the")
          .append(" bench and its clusters used a ")
          .append(MarkdownReport.ofOneCore(other))
          .append(") of the machine's ")
          .append(env.cores() * 100)
          .append("%, and the load average at the start was ")
          .append(env.loadAverageAtStart())
          .append(". Both sides ran under that load, interleaved: the ratios compare like with")
          .append(" like, the absolute figures are those of this machine at that time.\n\n");
    }
    MarkdownReport.errors(sb, in.errors());
    MarkdownReport.environment(sb, env, in.noise());
    method(sb, env);
    sb.append("## How to run\n\n```sh\n").append(COMMAND).append("\n```\n\n");
    sb.append("The bench estimates it at ")
        .append(in.fullRunEstimate())
        .append(
            " (3 fresh pairs of clusters, 60 s warm-up per cluster, 2 s + 10 s windows). `--reps")
        .append(" N` changes the repetitions, `--no-docs` writes the")
        .append(" report only under `bench/runs/RUN/`, and `ops/bin/aimstore-bench --report-only")
        .append(" bench/runs/RUN` renders this file again from a run's results.\n");
    return sb.toString();
  }

  private static void method(StringBuilder sb, Environment env) {
    sb.append("## Method\n\n");
    Map<String, Object> c = env == null ? Map.of() : env.config();
    boolean fresh = !Boolean.FALSE.equals(c.get("fresh_clusters_per_repetition"));
    sb.append(
        String.format(
            Locale.ROOT,
            "- %s repetitions, %s; a 3-member cluster of each kind, side by side on 127.0.0.1,"
                + " the same build, the same server settings apart from TLS (the TLS cluster's"
                + " certificates are made by the testkit under its directory, as `ops/bin/"
                + "aimstore-cluster up` makes them).%n",
            MarkdownReport.num(c.get("repetitions")),
            fresh
                ? "each on a fresh pair of clusters (started, loaded, warmed up, measured,"
                    + " stopped)"
                : "all on one pair of clusters"));
    sb.append(
        String.format(
            Locale.ROOT,
            "- Warm-up: %s s per cluster, the measured workloads in unrecorded slices. Windows:"
                + " %s s unrecorded, then %s s measured, closed-loop (a new request as one"
                + " completes); latency is issue to completion at the client (HdrHistogram).%n",
            MarkdownReport.num(c.get("warmup_s")),
            MarkdownReport.num(c.get("settle_s")),
            MarkdownReport.num(c.get("measure_s"))));
    sb.append(
        "- CPU: utime + stime of the three member processes (server CPU: both ends of the"
            + " members' Raft traffic and the server end of the clients') and of the bench's JVM"
            + " (client CPU: the client end) over the measured window, divided by the operations"
            + " completed in it.\n");
    sb.append(
        "- The machine is shared: client, servers and other people's processes (builds, tests)"
            + " run on the same cores; their CPU during the windows is in the environment table"
            + " above. Interleaving puts both sides under the same load, but a loaded machine"
            + " widens every range.\n\n");
  }
}
