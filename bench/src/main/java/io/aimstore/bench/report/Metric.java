package io.aimstore.bench.report;

import io.aimstore.bench.result.Measurement;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A number compared per workload: one of the standard ones every load run has (throughput, latency
 * percentiles, CPU per operation), or one a workload records among its extras (memory per watcher,
 * restart time). Identified by its key; {@link #labelled} gives the same metric another label for
 * one workload's table ("reclaim time p50" for the latency p50 of the ghost-lock trials).
 */
public final class Metric {
  public static final Metric THROUGHPUT =
      standard("throughput", "throughput", "ops/s", "ops/s", true, Measurement::opsPerS, 1);
  public static final Metric P50 =
      standard("p50", "latency p50", "p50 ms", "ms", false, Measurement::p50Us, 1e-3);
  public static final Metric P90 =
      standard("p90", "latency p90", "p90 ms", "ms", false, Measurement::p90Us, 1e-3);
  public static final Metric P99 =
      standard("p99", "latency p99", "p99 ms", "ms", false, Measurement::p99Us, 1e-3);
  public static final Metric P999 =
      standard("p999", "latency p99.9", "p99.9 ms", "ms", false, Measurement::p999Us, 1e-3);
  public static final Metric MAX =
      standard("max", "latency max", "max ms", "ms", false, Measurement::maxUs, 1e-3);
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
      extra("put_beside_p50_ms", "put latency p50 beside", "put p50 ms", "ms", false);
  public static final Metric PUT_BESIDE_P99 =
      extra("put_beside_p99_ms", "put latency p99 beside", "put p99 ms", "ms", false);
  public static final Metric FROM_ISSUE_P50 =
      extra("from_issue_p50_ms", "put issued → event p50", "iss→ev p50", "ms", false);
  public static final Metric FROM_ISSUE_P99 =
      extra("from_issue_p99_ms", "put issued → event p99", "iss→ev p99", "ms", false);
  public static final Metric IDLE_WATCHER_BYTES =
      extra("idle_watcher_bytes", "RSS per idle watcher", "RSS B/w", "B", false);
  public static final Metric HEAP_PER_WATCHER =
      extra(
          "heap_per_watcher_bytes",
          "live heap per idle watcher (after a forced full GC)",
          "heap B/w",
          "B",
          false);
  public static final Metric RSS_GROWTH =
      extra("rss_growth_mib", "member RSS growth", "RSS +MiB", "MiB", false);
  public static final Metric CATCH_UP =
      extra("catchup_s", "catch-up time", "catch-up s", "s", false);
  public static final Metric RSS_LOADED =
      extra("rss_loaded_mib", "RSS per member after loading", "RSS MiB", "MiB", false);
  public static final Metric RSS_RESTARTED =
      extra("rss_restarted_mib", "RSS per member after restart", "RSS rst MiB", "MiB", false);
  public static final Metric DATA =
      extra("data_mib", "data directory per member", "data MiB", "MiB", false);
  public static final Metric DATA_GROWTH =
      extra("data_growth_mib", "data directory growth per member", "data +MiB", "MiB", false);
  public static final Metric RESTART =
      extra("restart_s", "restart to first linearizable read", "restart s", "s", false);

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

  private final String key;
  private final String label;
  private final String shortLabel;
  private final String unit;
  private final boolean higherIsBetter;
  private final ToDoubleFunction<Measurement> raw;
  private final double scale;
  private final boolean perOperation;

  private Metric(
      String key,
      String label,
      String shortLabel,
      String unit,
      boolean higherIsBetter,
      ToDoubleFunction<Measurement> raw,
      double scale,
      boolean perOperation) {
    this.key = key;
    this.label = label;
    this.shortLabel = shortLabel;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
    this.raw = raw;
    this.scale = scale;
    this.perOperation = perOperation;
  }

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

  /** A metric read from a measurement's extras under {@code key} (NaN where absent). */
  static Metric extra(
      String key, String label, String shortLabel, String unit, boolean higherIsBetter) {
    return new Metric(
        key,
        label,
        shortLabel,
        unit,
        higherIsBetter,
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

  public String key() {
    return key;
  }

  public String label() {
    return label;
  }

  public String shortLabel() {
    return shortLabel;
  }

  public String unit() {
    return unit;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
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
