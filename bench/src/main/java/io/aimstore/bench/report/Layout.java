package io.aimstore.bench.report;

import java.util.List;

/**
 * Which numbers each workload's tables show, under which labels, and which charts it appears in.
 * Load windows show the standard metrics; the other workloads measure other things (a delivery
 * latency, a reclaim time, memory per watcher) and say so. Keyed by workload id, so that a results
 * file renders without the workload classes.
 */
public final class Layout {
  private Layout() {}

  /**
   * How one workload is shown.
   *
   * @param rows rows of its own table
   * @param summary rows of the summary table (the first is the headline)
   * @param throughputChart whether it belongs in the throughput bar chart
   * @param latencyChart whether it gets a latency-percentile chart
   * @param trialsChart whether it gets a chart of its individual trials ({@code trial_ms})
   */
  public record View(
      List<Metric> rows,
      List<Metric> summary,
      boolean throughputChart,
      boolean latencyChart,
      boolean trialsChart) {
    public Metric headline() {
      return summary.get(0);
    }
  }

  /** Every workload id of the full run, in run order (to say which did not run). */
  public static final List<String> WORKLOADS =
      List.of(
          "put-latency",
          "put-throughput-64",
          "put-throughput-256",
          "get-linearizable-64",
          "get-serializable-64",
          "cas-64",
          "watch-idle-memory-10k",
          "lease-grant-put-64",
          "lease-keepalive-10k",
          "lock-1",
          "lock-16",
          "watch-1000",
          "watch-10000",
          "watch-catchup",
          "ghost-lock",
          "session-expiry-3s",
          "session-expiry-10s",
          "failover",
          "footprint");

  public static View of(String id, int inFlight) {
    if (id.startsWith("lease-keepalive")) {
      Metric rate = Metric.THROUGHPUT.labelled("keep-alives per second", "keepalive/s");
      return new View(
          List.of(
              rate,
              Metric.P50.labelled("keep-alive latency p50", "ka p50 ms"),
              Metric.P99.labelled("keep-alive latency p99", "ka p99 ms"),
              Metric.PUT_BESIDE_P50,
              Metric.PUT_BESIDE_P99,
              Metric.SERVER_CPU.labelled("server CPU per keep-alive", "srv µs/ka"),
              Metric.CLIENT_CPU.labelled("client CPU per keep-alive", "cli µs/ka")),
          List.of(rate, Metric.PUT_BESIDE_P50, Metric.PUT_BESIDE_P99),
          false,
          false,
          false);
    }
    if (id.startsWith("lock-")) {
      Metric cycles = Metric.THROUGHPUT.labelled("acquire + release cycles per second", "cycles/s");
      Metric p99 = Metric.P99.labelled("cycle latency p99", "p99 ms");
      Metric cpu = Metric.SERVER_CPU.labelled("server CPU per cycle", "srv µs/cyc");
      return new View(
          List.of(
              cycles,
              Metric.P50.labelled("cycle latency p50", "p50 ms"),
              p99,
              Metric.P999.labelled("cycle latency p99.9", "p99.9 ms"),
              cpu,
              Metric.CLIENT_CPU.labelled("client CPU per cycle", "cli µs/cyc")),
          List.of(cycles, p99, cpu),
          true,
          true,
          false);
    }
    if (id.equals("watch-idle-memory-10k") || id.startsWith("watch-idle-memory")) {
      return new View(
          List.of(Metric.IDLE_WATCHER_BYTES, Metric.RSS_GROWTH, Metric.HEAP_PER_WATCHER),
          List.of(Metric.IDLE_WATCHER_BYTES, Metric.HEAP_PER_WATCHER),
          false,
          false,
          false);
    }
    if (id.equals("watch-catchup")) {
      Metric rate = Metric.THROUGHPUT.labelled("revisions delivered per second", "rev/s");
      return new View(
          List.of(
              Metric.CATCH_UP,
              rate,
              Metric.SERVER_CPU.labelled("server CPU per revision", "srv µs/rev")),
          List.of(Metric.CATCH_UP, rate),
          false,
          false,
          false);
    }
    if (id.startsWith("watch-")) {
      Metric p50 = Metric.P50.labelled("delivery latency p50, put ack → event", "ack→ev p50");
      Metric p99 = Metric.P99.labelled("delivery latency p99, put ack → event", "ack→ev p99");
      Metric cpu = Metric.SERVER_CPU.labelled("server CPU per delivered event", "srv µs/evt");
      return new View(
          List.of(
              p50,
              p99,
              Metric.P999.labelled("delivery latency p99.9, put ack → event", "ack→ev p99.9"),
              Metric.MAX.labelled("delivery latency max, put ack → event", "ack→ev max"),
              Metric.FROM_ISSUE_P50,
              Metric.FROM_ISSUE_P99,
              Metric.THROUGHPUT.labelled("events delivered per second", "events/s"),
              cpu),
          List.of(p50, p99, Metric.FROM_ISSUE_P99),
          false,
          true,
          false);
    }
    if (id.equals("ghost-lock") || id.equals("failover") || id.startsWith("session-expiry")) {
      String what =
          switch (id) {
            case "failover" -> "time to first write";
            case "ghost-lock" -> "reclaim time";
            default -> "time to deletion";
          };
      Metric p50 = Metric.P50.labelled(what + " p50", "p50 ms");
      Metric max = Metric.MAX.labelled(what + " max", "max ms");
      return new View(
          List.of(p50, Metric.P90.labelled(what + " p90", "p90 ms"), max),
          List.of(p50, max),
          false,
          false,
          true);
    }
    if (id.equals("footprint")) {
      return new View(
          List.of(
              Metric.RSS_RESTARTED,
              Metric.RSS_LOADED,
              Metric.DATA,
              Metric.DATA_GROWTH,
              Metric.RESTART,
              Metric.THROUGHPUT.labelled("load rate, 256 in flight", "puts/s"),
              Metric.P99.labelled("load put latency p99", "p99 ms")),
          List.of(Metric.RSS_RESTARTED, Metric.DATA, Metric.RESTART),
          false,
          false,
          false);
    }
    Metric headline = inFlight == 1 ? Metric.P50 : Metric.THROUGHPUT;
    if (id.startsWith("lease-grant")) {
      headline = Metric.THROUGHPUT;
    }
    return new View(
        Metric.values(), List.of(headline, Metric.P99, Metric.SERVER_CPU), true, true, false);
  }
}
