package io.aimstore.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of a run in microseconds.
 *
 * @param count operations recorded
 */
public record LatencySummary(
    long count, double p50, double p90, double p99, double p999, double max, double mean) {

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  /** Summarizes a histogram of nanosecond values. */
  public static LatencySummary ofNanos(Histogram h) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        h.getTotalCount(),
        micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(90)),
        micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)),
        micros(h.getMaxValue()),
        h.getMean() / 1000.0);
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }
}
