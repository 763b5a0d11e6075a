package io.aimstore.bench.report;

import io.aimstore.bench.result.Measurement;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A number compared per workload: one of the standard ones every load run has (throughput, latency
 * percentiles, CPU per operation), or one a workload records among its extras (memory per watcher,
 * restart time). Identified by its key; {@link #labelled} gives the same metric another label for
 * one workload's table ("reclaim time p50" for the latency p50 of the ghost-lock trials). Two
 * metrics are equal when their keys are.
 *
 * @param key the metric's key (a measurement field, or the name of an extra)
 * @param label the label in tables
 * @param shortLabel the label in the terminal's summary
 * @param unit the display unit (ms, s, MiB, B, ops/s, µs)
 * @param higherIsBetter whether a higher value is the better one
 * @param raw the value in the measurement's own unit
 * @param scale from {@code raw} to the display unit
 * @param perOperation whether it is undefined for a run that completed nothing
 */
public record Metric(
    String key,
    String label,
    String shortLabel,
    String unit,
    boolean higherIsBetter,
    ToDoubleFunction<Measurement> raw,
    double scale,
    boolean perOperation) {
  public static final Metric THROUGHPUT =
      standard("throughput", "throughput", "ops/s", "ops/s", true, Measurement::opsPerS, 1);
  public static final Metric P50 = latency("p50", "p50", Measurement::p50Us);
  public static final Metric P90 = latency("p90", "p90", Measurement::p90Us);
  public static final Metric P99 = latency("p99", "p99", Measurement::p99Us);
  public static final Metric P999 = latency("p999", "p99.9", Measurement::p999Us);
  public static final Metric MAX = latency("max", "max", Measurement::maxUs);
  public static final Metric SERVER_CPU =
      standard(
          "server_cpu",
          "server CPU per op",
          "srv µs/op",
          "µs",
          false,
          Measurement::serverCpuUsPerOp,
          1);
  public static final Metric CLIENT_CPU =
      standard(
          "client_cpu",
          "client CPU per op",
          "cli µs/op",
          "µs",
          false,
          Measurement::clientCpuUsPerOp,
          1);

  public static final Metric PUT_BESIDE_P50 =
      extra("put_beside_p50_ms", "put latency p50 beside", "put p50 ms", "ms");
  public static final Metric PUT_BESIDE_P99 =
      extra("put_beside_p99_ms", "put latency p99 beside", "put p99 ms", "ms");
  public static final Metric FROM_ISSUE_P50 =
      extra("from_issue_p50_ms", "put issued → event p50", "iss→ev p50", "ms");
  public static final Metric FROM_ISSUE_P99 =
      extra("from_issue_p99_ms", "put issued → event p99", "iss→ev p99", "ms");
  public static final Metric IDLE_WATCHER_BYTES =
      extra("idle_watcher_bytes", "RSS per idle watcher", "RSS B/w", "B");
  public static final Metric HEAP_PER_WATCHER =
      extra(
          "heap_per_watcher_bytes",
          "live heap per idle watcher (after a forced full GC)",
          "heap B/w",
          "B");
  public static final Metric RSS_GROWTH =
      extra("rss_growth_mib", "member RSS growth", "RSS +MiB", "MiB");
  public static final Metric CATCH_UP = extra("catchup_s", "catch-up time", "catch-up s", "s");
  public static final Metric RSS_LOADED =
      extra("rss_loaded_mib", "RSS per member after loading", "RSS MiB", "MiB");
  public static final Metric RSS_RESTARTED =
      extra("rss_restarted_mib", "RSS per member after restart", "RSS rst MiB", "MiB");
  public static final Metric DATA =
      extra("data_mib", "data directory per member", "data MiB", "MiB");
  public static final Metric DATA_GROWTH =
      extra("data_growth_mib", "data directory growth per member", "data +MiB", "MiB");
  public static final Metric RESTART =
      extra("restart_s", "restart to first linearizable read", "restart s", "s");

  private static final List<Metric> STANDARD =
      List.of(THROUGHPUT, P50, P99, P999, SERVER_CPU, CLIENT_CPU);

  private static final List<Metric> ALL =
      List.of(
          THROUGHPUT,
          P50,
          P90,
          P99,
          P999,
          MAX,
          SERVER_CPU,
          CLIENT_CPU,
          PUT_BESIDE_P50,
          PUT_BESIDE_P99,
          FROM_ISSUE_P50,
          FROM_ISSUE_P99,
          IDLE_WATCHER_BYTES,
          HEAP_PER_WATCHER,
          RSS_GROWTH,
          CATCH_UP,
          RSS_LOADED,
          RSS_RESTARTED,
          DATA,
          DATA_GROWTH,
          RESTART);

  private static Metric standard(
      String key,
      String label,
      String shortLabel,
      String unit,
      boolean higherIsBetter,
      ToDoubleFunction<Measurement> raw,
      double scale) {
    return new Metric(key, label, shortLabel, unit, higherIsBetter, raw, scale, true);
  }

  /** A latency percentile of a load run: recorded in µs, shown in ms ("latency p99.9"). */
  private static Metric latency(String key, String percentile, ToDoubleFunction<Measurement> raw) {
    return standard(key, "latency " + percentile, percentile + " ms", "ms", false, raw, 1e-3);
  }

  /**
   * A metric read from a measurement's extras under {@code key} (NaN where absent), in the unit the
   * workload recorded it in; lower is better.
   */
  static Metric extra(String key, String label, String shortLabel, String unit) {
    return new Metric(
        key,
        label,
        shortLabel,
        unit,
        false,
        m ->
            m.extras() != null && m.extras().get(key) instanceof Number n
                ? n.doubleValue()
                : Double.NaN,
        1,
        false);
  }

  /** The standard metrics of a load run, in table order (the default rows of a workload). */
  public static List<Metric> values() {
    return STANDARD;
  }

  /** Every metric the aggregation computes. */
  public static List<Metric> all() {
    return ALL;
  }

  /** The same metric (same key, same values) under another label for one workload's table. */
  public Metric labelled(String newLabel, String newShortLabel) {
    return new Metric(key, newLabel, newShortLabel, unit, higherIsBetter, raw, scale, perOperation);
  }

  /**
   * The value in this metric's display unit; NaN where it is missing (a standard metric of a run
   * that completed nothing, an extra the run did not record).
   */
  public double of(Measurement m) {
    if (perOperation && m.ops() == 0) {
      return Double.NaN;
    }
    double v = raw.applyAsDouble(m);
    return Double.isFinite(v) ? v * scale : Double.NaN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metric other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key);
  }

  @Override
  public String toString() {
    return key;
  }
}
