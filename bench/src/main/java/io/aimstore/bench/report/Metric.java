package io.aimstore.bench.report;

import io.aimstore.bench.result.Measurement;
import java.util.function.ToDoubleFunction;

/** The numbers compared per workload. */
public enum Metric {
  THROUGHPUT("throughput", "ops/s", true, Measurement::opsPerS, 1),
  P50("latency p50", "ms", false, Measurement::p50Us, 1e-3),
  P99("latency p99", "ms", false, Measurement::p99Us, 1e-3),
  P999("latency p99.9", "ms", false, Measurement::p999Us, 1e-3),
  SERVER_CPU("server CPU per op", "µs", false, Measurement::serverCpuUsPerOp, 1),
  CLIENT_CPU("client CPU per op", "µs", false, Measurement::clientCpuUsPerOp, 1);

  private final String label;
  private final String unit;
  private final boolean higherIsBetter;
  private final ToDoubleFunction<Measurement> raw;
  private final double scale;

  Metric(
      String label,
      String unit,
      boolean higherIsBetter,
      ToDoubleFunction<Measurement> raw,
      double scale) {
    this.label = label;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
    this.raw = raw;
    this.scale = scale;
  }

  public String label() {
    return label;
  }

  public String unit() {
    return unit;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The value in this metric's display unit; NaN for a run that completed nothing. */
  public double of(Measurement m) {
    if (m.ops() == 0) {
      return Double.NaN;
    }
    return raw.applyAsDouble(m) * scale;
  }
}
