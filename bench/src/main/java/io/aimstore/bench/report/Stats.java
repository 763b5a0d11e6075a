package io.aimstore.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and ranges over repetitions. */
public final class Stats {
  private Stats() {}

  /** Median (mean of the middle two for an even count); NaN for no values. */
  public static double median(List<Double> values) {
    List<Double> v = finite(values);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  public static double min(List<Double> values) {
    return finite(values).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  public static double max(List<Double> values) {
    return finite(values).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /**
   * {@code a / b}, NaN when either is missing, b is 0 or less, or a is negative (a memory growth
   * that came out negative has no meaningful ratio).
   */
  public static double ratio(double a, double b) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || b <= 0 || a < 0) {
      return Double.NaN;
    }
    return a / b;
  }

  private static List<Double> finite(List<Double> values) {
    List<Double> out = new ArrayList<>();
    for (Double d : values) {
      if (d != null && Double.isFinite(d)) {
        out.add(d);
      }
    }
    return out;
  }
}
